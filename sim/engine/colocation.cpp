#include "sim/engine/colocation.hpp"

#include <algorithm>
#include <cmath>

#include "sim/engine/engine_state.hpp"
#include "sim/engine/service_load.hpp"

namespace suanwang::engine {

namespace {

// The highest request-rate multiplier of `profile` over [t0, t1): the
// profile changes on the hour, so its value at t0 and at each hour start.
double peak_multiplier(const RateProfile& profile, double t0, double t1) {
  double peak = profile.multiplier(t0);
  for (double h = (std::floor(t0 / 3600) + 1) * 3600; h < t1; h += 3600) peak = std::max(peak, profile.multiplier(h));
  return peak;
}

}  // namespace

Colocation::Colocation(EngineState& st) : st_(st), lenders_(st.sc.workload.services.size()) {}

Colocation::~Colocation() = default;

void Colocation::service_started(int service, Handle deployment) {
  const ServiceSpec& spec = st_.sc.workload.services[static_cast<std::size_t>(service)];
  if (!spec.lend) return;
  Lender& L = lenders_[static_cast<std::size_t>(service)];
  const ActiveJob& j = st_.jobs[deployment];
  L.deployment = deployment;
  L.pool = j.pool;
  L.held_units = j.units;
  L.lent_units = 0;
  L.segment_start_s = st_.now();
  L.active = true;
  if (!L.queue) {
    auto cap = std::make_unique<FlatCapacity>(0);
    L.capacity = cap.get();
    L.queue = std::make_unique<LocalQueue>(std::move(cap), QueueDiscipline::fcfs);
  }
  on_lend_event(service);
}

void Colocation::service_stopped(int service) {
  Lender& L = lenders_[static_cast<std::size_t>(service)];
  if (!L.active) return;
  set_lent(service, 0);  // evicts every borrower
  L.active = false;
  L.deployment = kNoHandle;
  ++L.gen;  // its pending lend event is void
}

void Colocation::on_lend_event(int service) {
  Lender& L = lenders_[static_cast<std::size_t>(service)];
  if (!L.active) return;
  const ServiceSpec& spec = st_.sc.workload.services[static_cast<std::size_t>(service)];
  const double t = st_.now();
  const double rate = spec.peak_rate_per_s * peak_multiplier(spec.profile, t, t + spec.lend_interval_s);
  const double held = static_cast<double>(L.held_units) / st_.slices;
  const ActiveJob& dep = st_.jobs[L.deployment];
  const double need = chips_needed(st_, spec, dep, held, rate, spec.slo_target);
  const double keep = std::min(held, std::ceil(need * (1 + spec.headroom)));
  set_lent(service, L.held_units - static_cast<std::int64_t>(std::llround(keep * st_.slices)));
  // None at the horizon: its sample meters the interval that ends there,
  // with the chips that interval kept.
  if (t + spec.lend_interval_s < st_.sc.duration_s)
    st_.calendar.schedule(t + spec.lend_interval_s, EventKind::lend, static_cast<std::uint32_t>(service), L.gen);
}

void Colocation::set_lent(int service, std::int64_t units) {
  Lender& L = lenders_[static_cast<std::size_t>(service)];
  const double t = st_.now();
  // The deployment was charged busy power for all its chips: take back what
  // it lent during the segment that ends now (borrowers pay for their own).
  st_.charge_chips(st_.jobs[L.deployment], L.segment_start_s, t,
                   -static_cast<double>(L.lent_units) / st_.slices);
  L.segment_start_s = t;
  L.lent_units = std::max<std::int64_t>(0, units);
  L.capacity->resize(L.lent_units);
  evict_until_fits(service);
  start_ready(service);
  st_.sync_pool(L.pool);
}

void Colocation::evict_until_fits(int service) {
  Lender& L = lenders_[static_cast<std::size_t>(service)];
  // The borrowers started last go first.
  std::sort(L.running.begin(), L.running.end(), [&](Handle a, Handle b) {
    const ActiveJob &x = st_.jobs[a], &y = st_.jobs[b];
    return x.start_s != y.start_s ? x.start_s < y.start_s : x.job.id < y.job.id;
  });
  const double t = st_.now();
  while (L.queue->used_units() > L.lent_units && !L.running.empty()) {
    const Handle h = L.running.back();
    L.running.pop_back();
    ActiveJob& j = st_.jobs[h];
    st_.lose_work(h, t);
    L.queue->finish(h);
    --st_.net.pools[j.pool].running_jobs;
    ++j.preemptions;
    j.phase = Phase::queued;
    L.queue->push(st_.queued_job(h));
  }
}

void Colocation::start_ready(int service) {
  Lender& L = lenders_[static_cast<std::size_t>(service)];
  for (const QueuedJob& q : L.queue->select(st_.now())) {
    L.running.push_back(static_cast<Handle>(q.id));
    st_.start_exec(static_cast<Handle>(q.id));
  }
}

int Colocation::lender_for(int pool) const {
  for (std::size_t s = 0; s < lenders_.size(); ++s)
    if (lenders_[s].active && lenders_[s].pool == pool) return static_cast<int>(s);
  return -1;
}

void Colocation::enqueue(Handle h, int service) {
  Lender& L = lenders_[static_cast<std::size_t>(service)];
  ActiveJob& j = st_.jobs[h];
  j.borrow = service;
  j.phase = Phase::queued;
  L.queue->push(st_.queued_job(h));
  start_ready(service);
  st_.sync_pool(L.pool);
}

void Colocation::finish(Handle h) {
  const int service = st_.jobs[h].borrow;
  Lender& L = lenders_[static_cast<std::size_t>(service)];
  L.queue->finish(h);
  L.running.erase(std::remove(L.running.begin(), L.running.end(), h), L.running.end());
  start_ready(service);
  st_.sync_pool(L.pool);
}

void Colocation::remove(Handle h) {
  Lender& L = lenders_[static_cast<std::size_t>(st_.jobs[h].borrow)];
  L.queue->remove(h);
}

void Colocation::settle(double t) {
  for (Lender& L : lenders_) {
    if (!L.active) continue;
    st_.charge_chips(st_.jobs[L.deployment], L.segment_start_s, t, -static_cast<double>(L.lent_units) / st_.slices);
    L.segment_start_s = t;
  }
}

std::int64_t Colocation::lent_units(int service) const {
  const Lender& L = lenders_[static_cast<std::size_t>(service)];
  return L.active ? L.lent_units : 0;
}

std::int64_t Colocation::borrowed_units(int service) const {
  const Lender& L = lenders_[static_cast<std::size_t>(service)];
  return L.active ? L.queue->used_units() : 0;
}

std::int64_t Colocation::idle_lent_units(int pool) const {
  std::int64_t idle = 0;
  for (const Lender& L : lenders_)
    if (L.active && L.pool == pool) idle += L.lent_units - L.queue->used_units();
  return idle;
}

}  // namespace suanwang::engine

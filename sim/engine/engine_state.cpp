#include "sim/engine/engine_state.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "sim/core/user_error.hpp"

namespace sg4 = simgrid::s4u;

namespace suanwang::engine {

std::int64_t units_for(double gpus, int slices) {
  if (gpus >= 1.0) return static_cast<std::int64_t>(std::llround(gpus)) * slices;
  // A vGPU share: round up to whole slices so a share is never starved.
  return std::max<std::int64_t>(1, static_cast<std::int64_t>(std::ceil(gpus * slices - 1e-9)));
}

EngineState::EngineState(const Scenario& scenario, Policy& pol, Recorder& recorder,
                         const SimulationOptions& options)
    : sc(scenario), topo(scenario.topology), policy(pol), rec(recorder), opt(options) {
  slices = std::max(1, sc.vgpu_slices);
  const int ref = topo.accelerator_index(sc.reference_chip);
  if (ref < 0)
    throw UserError(sc.file, "reference_chip",
                    "unknown chip '" + sc.reference_chip + "' (expected an id of the accelerator catalog)");
  ref_flops = topo.accelerators[ref].fp16_flops;
  routes = std::make_unique<topo::RouteTable>(topo);

  const int n = static_cast<int>(topo.cities.size());
  const int V = routes->max_variants();
  hops_.resize(static_cast<std::size_t>(n) * n * V);
  variant_ok_.assign(hops_.size(), 1);
  for (int s = 0; s < n; ++s)
    for (int d = 0; d < n; ++d) {
      if (s == d) continue;
      const auto& vars = routes->variants(s, d);
      for (int v = 0; v < V; ++v) {
        const topo::Route& r = vars[std::min<std::size_t>(v, vars.size() - 1)];
        auto& h = hops_[(static_cast<std::size_t>(s) * n + d) * V + v];
        int at = s;
        for (int li : r.links) {
          const topo::Link& l = topo.links[li];
          const bool fwd = l.a == at;
          h.push_back(fwd ? li + 1 : -(li + 1));
          at = fwd ? l.b : l.a;
        }
      }
    }

  // NetState: static parts once.
  net = make_idle_net_state(topo);
  for (CenterState& cs : net.centers) cs.price_cny_per_J *= price_factor(0);
  link_bytes_up.assign(topo.links.size(), 0.0);
  link_bytes_down.assign(topo.links.size(), 0.0);
  link_bytes_total.assign(topo.links.size(), 0);
  max_units_any_.assign(4, 0);
  for (int pool = 0; pool < static_cast<int>(net.pools.size()); ++pool) {
    const PoolState& ps = net.pools[pool];
    pool_center.push_back(ps.center);
    queues.push_back(std::make_unique<LocalQueue>(static_cast<std::int64_t>(ps.total_chips) * slices,
                                                  sc.local_queue));
    if (policy.has_order()) {
      // The policy's `order` hook permutes the queue before the discipline
      // (fcfs or easy) picks what starts. A bad permutation is a policy error.
      queues.back()->set_ordering([this, pool](const std::vector<QueuedJob>& queue) {
        std::vector<const Job*> jobs;
        jobs.reserve(queue.size());
        for (const QueuedJob& q : queue) jobs.push_back(&job(static_cast<Handle>(q.id)).job);
        try {
          return this->policy.order(jobs, pool, net);
        } catch (const UserError& e) {
          policy_failed(kNoHandle, e.what());  // stops the run: does not return
          throw;
        }
      });
    }
  }
  center_busy_chip_s.assign(net.centers.size(), 0.0);
  center_jobs_completed.assign(net.centers.size(), 0);
  center_down_since.assign(net.centers.size(), -1.0);
  center_down_total_s.assign(net.centers.size(), 0.0);
  refresh_paths();
}

Handle EngineState::admit(const Job& job) {
  Handle h;
  if (!free_.empty()) {
    h = free_.back();
    free_.pop_back();
  } else {
    h = static_cast<Handle>(jobs_.size());
    jobs_.emplace_back();
  }
  ActiveJob& j = jobs_[h];
  j = ActiveJob{};
  j.job = job;
  j.job.id = next_id++;
  j.remaining_s = job.duration_s;
  j.units = units_for(job.gpus, slices);
  j.in_use = true;
  ++totals.jobs_submitted;
  return h;
}

void EngineState::finish_job(Handle h, JobStatus status, const std::string& reason) {
  ActiveJob& j = jobs_[h];
  JobRecord r;
  r.id = j.job.id;
  r.kind = j.job.kind;
  r.origin = j.job.origin;
  r.center = j.center >= 0 ? net.centers[j.center].city : -1;
  r.pool = j.pool;
  if (j.pool >= 0) r.chip = topo.accelerators[net.pools[j.pool].accel].id;
  r.submit_s = j.job.submit_s;
  r.start_s = j.first_start_s;
  r.end_s = j.end_s;
  r.wait_s = j.first_start_s >= 0 ? j.first_start_s - j.job.submit_s : -1;
  r.gpus = j.job.gpus;
  r.transfer_s = j.transfer_s;
  r.transfer_delay_s = j.transfer_delay_s;
  r.bytes_moved = j.bytes_moved;
  r.energy_J = j.energy_J;
  r.cost_CNY = j.cost_cny;
  r.carbon_kg = j.carbon_kg;
  r.restarts = j.restarts;
  r.status = status;
  r.reason = reason;
  rec.job(r);

  totals.bytes_moved += j.bytes_moved;
  switch (status) {
    case JobStatus::completed:
      ++totals.jobs_completed;
      if (j.center >= 0) ++center_jobs_completed[j.center];
      break;
    case JobStatus::failed: ++totals.jobs_failed; break;
    case JobStatus::rejected: ++totals.jobs_rejected; break;
    case JobStatus::unfinished: ++totals.jobs_unfinished; break;
  }
  if (status != JobStatus::unfinished) {
    FinishedJob f;
    f.job = &j.job;
    f.center = j.center;
    f.pool = j.pool;
    f.start_s = j.first_start_s;
    f.end_s = j.end_s;
    f.wait_s = r.wait_s;
    f.completed = status == JobStatus::completed;
    try {
      policy.on_finish(f, net);
    } catch (const UserError& e) {
      policy_failed(kNoHandle, e.what());
    }
  }
  if (j.service >= 0) service_handles[j.service] = kNoHandle;
  j.activity = nullptr;
  j.in_use = false;
  free_.push_back(h);
}

int EngineState::usable_variant(int src, int dst) const {
  const int n = static_cast<int>(topo.cities.size());
  const int V = routes->max_variants();
  const std::size_t base = (static_cast<std::size_t>(src) * n + dst) * V;
  for (int v = 0; v < V; ++v)
    if (variant_ok_[base + v]) return v;
  return -1;
}

const std::vector<int>& EngineState::hops(int src, int dst, int variant) const {
  const int n = static_cast<int>(topo.cities.size());
  return hops_[(static_cast<std::size_t>(src) * n + dst) * routes->max_variants() + variant];
}

void EngineState::credit_link_bytes(ActiveJob& j, double sent_total_B) {
  const double delta = sent_total_B - j.transfer_counted_B;
  if (delta <= 0 || j.route_variant < 0) return;
  for (int s : hops(j.route_src, j.route_dst, j.route_variant)) {
    if (s > 0) link_bytes_up[s - 1] += delta;
    else link_bytes_down[-s - 1] += delta;
  }
  j.transfer_counted_B = sent_total_B;
}

void EngineState::refresh_paths() {
  const int n = static_cast<int>(topo.cities.size());
  const int V = routes->max_variants();
  for (std::size_t i = 0; i < hops_.size(); ++i) {
    bool ok = true;
    for (int s : hops_[i]) ok = ok && net.link_up[std::abs(s) - 1];
    variant_ok_[i] = ok;
  }
  net.latency_s.assign(static_cast<std::size_t>(n) * n, 0.0);
  net.path_bandwidth_Bps.assign(static_cast<std::size_t>(n) * n,
                                std::numeric_limits<double>::infinity());
  for (int s = 0; s < n; ++s)
    for (int d = 0; d < n; ++d) {
      if (s == d) continue;
      const std::size_t k = static_cast<std::size_t>(s) * n + d;
      const int v = usable_variant(s, d);
      if (v >= 0) {
        const auto& vars = routes->variants(s, d);
        const topo::Route& r = vars[std::min<std::size_t>(v, vars.size() - 1)];
        net.latency_s[k] = r.latency_s;
        net.path_bandwidth_Bps[k] = r.bottleneck_Bps;
      } else {
        net.latency_s[k] = std::numeric_limits<double>::infinity();
        net.path_bandwidth_Bps[k] = 0;
      }
    }
  (void)V;
}

double EngineState::price_factor(double t_s) const {
  const auto& p = sc.price_profile_hourly;
  if (p.empty()) return 1.0;
  const auto hour = static_cast<long long>(std::floor(t_s / 3600.0));
  return p[static_cast<std::size_t>(((hour % 24) + 24) % 24)];
}

double EngineState::price_integral(double t0, double t1) const {
  if (t1 <= t0) return 0.0;
  if (sc.price_profile_hourly.empty()) return t1 - t0;
  double sum = 0, t = t0;
  while (t < t1) {
    const double hour_end = (std::floor(t / 3600.0) + 1.0) * 3600.0;
    const double e = std::min(hour_end, t1);
    sum += (e - t) * price_factor(t);
    t = e;
  }
  return sum;
}

void EngineState::charge_job_energy(ActiveJob& j, double t0, double t1) {
  if (t1 <= t0 || j.pool < 0) return;
  const PoolState& ps = net.pools[j.pool];
  const topo::Accelerator& acc = topo.accelerators[ps.accel];
  const topo::City& city = topo.cities[net.centers[ps.center].city];
  const double chips = static_cast<double>(j.units) / slices;
  const double it_J = chips * acc.busy_W * (t1 - t0);
  const double fac_J = it_J * city.pue;
  j.energy_J += fac_J;
  j.cost_cny += chips * acc.busy_W * city.pue * city.price_cny_per_J * price_integral(t0, t1);
  j.carbon_kg += fac_J * topo.grids[city.grid_index].carbon_kg_per_J;
  busy_chip_seconds += chips * (t1 - t0);
  center_busy_chip_s[ps.center] += chips * (t1 - t0);
}

void EngineState::policy_failed(Handle h, const std::string& message) {
  if (sc.on_policy_error == "reject" && h != kNoHandle) {
    ActiveJob& j = jobs_[h];
    j.end_s = sg4::Engine::get_clock();
    finish_job(h, JobStatus::rejected, message);
    return;
  }
  if (fatal_error_.empty()) fatal_error_ = message;
  // Stop the world without killing actors (killing one blocked in wait_any
  // makes SimGrid 3.32 later resume a dead actor): cancel every activity, so
  // each center agent wakes, sees stopped() and returns; the sleeping actors
  // return when they next wake. The CLI reports the error; no result file.
  for (auto& a : agents) a->cancel_all();
  throw PolicyAbort{};
}

}  // namespace suanwang::engine

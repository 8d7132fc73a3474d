#include "sim/engine/meter.hpp"

#include <algorithm>
#include <cmath>
#include <limits>


#include "sim/engine/colocation.hpp"
#include "sim/engine/service_load.hpp"
#include "sim/topology/carbon.hpp"


namespace suanwang::engine {

Meter::Meter(EngineState& st) : st_(st) {
  period_s_ = st.sc.sample_interval_s > 0 ? st.sc.sample_interval_s : 3600.0;
  // Hourly prices or carbon factors are charged per interval: at most an hour.
  if (!st.sc.price_profile_hourly.empty() || topo::carbon_varies(st.topo)) period_s_ = std::min(period_s_, 3600.0);
  pool_energy_J_.assign(st.net.pools.size(), 0.0);
  const std::size_t nc = st.net.centers.size();
  center_fac_J_.assign(nc, 0.0);
  center_it_J_.assign(nc, 0.0);
  center_cost_.assign(nc, 0.0);
  center_carbon_.assign(nc, 0.0);
}

void Meter::start() {
  next_s_ = period_s_;
  if (next_s_ < st_.sc.duration_s) st_.calendar.schedule(next_s_, EventKind::sample);
}

void Meter::on_sample() {
  sample(next_s_);
  // Sample times are k x period, computed as the old loop did (t += period).
  next_s_ += period_s_;
  if (next_s_ < st_.sc.duration_s) st_.calendar.schedule(next_s_, EventKind::sample);
}

void Meter::sample(double now) {
  const double dt = now - last_s_;
  if (dt <= 0) return;
  const std::vector<double> center_power = meter_pool_energy(now, dt);
  // Bytes of transfers still in flight belong to this interval too.
  st_.transfers->credit_in_flight();
  record_link_samples(now, dt);
  record_center_samples(now, center_power);
  record_service_samples(now);
  last_s_ = now;
}

// Charges each pool's IT energy since the last sample to its center; returns
// the mean facility power per center over the interval.
std::vector<double> Meter::meter_pool_energy(double now, double dt) {
  std::vector<double> center_power(st_.net.centers.size(), 0.0);
  for (std::size_t p = 0; p < st_.power.size(); ++p) {
    const double e = st_.power[p].energy_J(now);
    const double it = e - pool_energy_J_[p];
    pool_energy_J_[p] = e;
    const int c = st_.pool_center[p];
    const topo::City& city = st_.topo.cities[st_.net.centers[c].city];
    const double fac = it * city.pue;
    center_it_J_[c] += it;
    center_fac_J_[c] += fac;
    center_cost_[c] += fac * city.price_cny_per_J * st_.price_integral(last_s_, now) / dt;
    center_carbon_[c] += fac * topo::carbon_integral(st_.topo, city, last_s_, now) / dt;
    center_power[c] += fac / dt;
  }
  return center_power;
}

// Records link utilization over the interval and resets the byte counters.
void Meter::record_link_samples(double now, double dt) {
  LinkSample ls;
  ls.time_s = now;
  const std::size_t nl = st_.topo.links.size();
  ls.utilization.resize(nl);
  ls.bytes.resize(nl);
  ls.up.resize(nl);
  for (std::size_t l = 0; l < nl; ++l) {
    const double cap = st_.topo.links[l].bandwidth_Bps * dt;
    const double up = st_.link_bytes_up[l], down = st_.link_bytes_down[l];
    ls.utilization[l] = std::max(up, down) / cap;
    ls.bytes[l] = up + down;
    ls.up[l] = st_.net.link_up[l] ? 1 : 0;
    st_.net.link_utilization[l] = ls.utilization[l];
    st_.link_bytes_up[l] = st_.link_bytes_down[l] = 0;
  }
  ++st_.net.links_version;

  st_.rec.link_sample(ls);
}

void Meter::record_center_samples(double now, const std::vector<double>& center_power) {
  for (std::size_t c = 0; c < st_.net.centers.size(); ++c) {
    const CenterState& cs = st_.net.centers[c];
    CenterSample s;
    s.time_s = now;
    s.center = static_cast<int>(c);
    s.busy_chips = cs.up ? cs.total_chips - cs.free_chips : 0;
    s.queue_length = cs.queued_jobs;
    for (int p : cs.pools) s.running_jobs += st_.net.pools[p].running_jobs;
    s.power_W = center_power[c];
    s.energy_J = center_fac_J_[c];
    s.up = cs.up;
    if (cs.up)
      for (int p : cs.pools)
        if (ServerCapacity* sp = st_.server_pools[p])
          s.fragmented_chips += sp->fragmentation() / st_.slices;
    s.cache_used_B = st_.data->cache(static_cast<int>(c)).used_B();
    st_.rec.center_sample(s);
  }
}

// Services are sampled at the interval's midpoint; those not yet started are skipped.
void Meter::record_service_samples(double now) {
  const double mid = 0.5 * (last_s_ + now);
  for (std::size_t i = 0; i < services_.size(); ++i) {
    const ServiceRuntime& sr = services_[i];
    if (mid < sr.spec.start_s) continue;
    ServiceSample s;
    s.time_s = now;
    s.service = static_cast<int>(i);
    s.request_rate_per_s = sr.spec.peak_rate_per_s * sr.spec.profile.multiplier(mid);
    const Handle h = st_.service_handles[i];
    const ActiveJob* j = h != kNoHandle ? &st_.jobs[h] : nullptr;
    if (!j || j->phase != Phase::running) {
      // Not serving (still deploying, waiting, or evicted): every request misses.
      s.p50_latency_s = s.p95_latency_s = s.p99_latency_s = std::numeric_limits<double>::infinity();
      s.slo_violation_fraction = s.request_rate_per_s > 0 ? 1.0 : 0.0;
      st_.rec.service_sample(s);
      continue;
    }
    // A lending service is served by the chips it kept.
    const double chips = static_cast<double>(j->units - st_.colocation->lent_units(static_cast<int>(i))) / st_.slices;
    s.lent_chips = static_cast<double>(st_.colocation->lent_units(static_cast<int>(i))) / st_.slices;
    s.borrowed_chips = static_cast<double>(st_.colocation->borrowed_units(static_cast<int>(i))) / st_.slices;
    const ServiceLatency lat = service_latency(st_, sr.spec, *j, chips, s.request_rate_per_s);
    s.p50_latency_s = lat.p50_s;
    s.p95_latency_s = lat.p95_s;
    s.p99_latency_s = lat.p99_s;
    s.slo_violation_fraction = lat.slo_violation;
    s.utilization = lat.utilization;
    st_.rec.service_sample(s);
  }
}

std::vector<CenterTotals> Meter::totals() const {
  std::vector<CenterTotals> out;
  for (std::size_t c = 0; c < st_.net.centers.size(); ++c) {
    CenterTotals t;
    t.center = static_cast<int>(c);
    t.energy_J = center_fac_J_[c];
    t.it_energy_J = center_it_J_[c];
    t.cost_CNY = center_cost_[c];
    t.carbon_kg = center_carbon_[c];
    t.busy_chip_seconds = st_.center_busy_chip_s[c];
    t.jobs_completed = st_.center_jobs_completed[c];
    const DatasetCache& cache = st_.data->cache(static_cast<int>(c));
    t.cache_B = cache.capacity_B();
    t.cache_hits = cache.hits();
    t.cache_misses = cache.misses();
    t.cache_evictions = cache.evictions();
    out.push_back(t);
  }
  return out;
}

}  // namespace suanwang::engine

#include "sim/engine/service_load.hpp"

#include <algorithm>
#include <cmath>
#include <vector>

#include "sim/engine/engine_state.hpp"

namespace suanwang::engine {

ServiceLatency service_latency(const EngineState& st, const ServiceSpec& spec, const ActiveJob& deployment,
                               double chips, double rate_per_s) {
  const PoolState& ps = st.net.pools[deployment.pool];
  const double speed = st.topo.accelerators[ps.accel].fp16_flops / st.ref_flops;
  // One server per whole chip; a fractional deployment is one slower server.
  const int servers = std::max(1, static_cast<int>(std::floor(chips)));
  const double mu = speed / spec.service_time_s * (chips / servers);
  const int center_city = st.net.centers[deployment.center].city;
  std::vector<ServiceOrigin> origins;
  const int n = static_cast<int>(st.topo.cities.size());
  for (int o = 0; o < n; ++o) {
    const double w = spec.origin_weights.empty() ? st.topo.cities[o].demand_weight : spec.origin_weights[o];
    if (w <= 0) continue;
    origins.push_back({2.0 * st.net.latency(o, center_city), w});
  }
  return evaluate_service(rate_per_s, mu, servers, origins, spec.slo_s);
}

double chips_needed(const EngineState& st, const ServiceSpec& spec, const ActiveJob& deployment, double held_chips,
                    double rate_per_s, double target) {
  const double most = std::floor(held_chips);
  if (most < 1) return held_chips;  // a share of one chip: nothing to lend
  const auto meets = [&](double chips) {
    return 1.0 - service_latency(st, spec, deployment, chips, rate_per_s).slo_violation >= target;
  };
  if (!meets(most)) return held_chips;
  // Violations fall as chips grow: bisect on whole chips.
  double lo = 0, hi = most;  // !meets(lo) (or lo = 0), meets(hi)
  while (hi - lo > 1) {
    const double mid = std::floor((lo + hi) / 2);
    (meets(mid) ? hi : lo) = mid;
  }
  return std::max(1.0, hi);
}

}  // namespace suanwang::engine

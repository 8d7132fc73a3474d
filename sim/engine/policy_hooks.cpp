#include "sim/engine/policy_hooks.hpp"

#include <cmath>

#include "sim/engine/engine_state.hpp"
#include "sim/topology/carbon.hpp"

namespace suanwang::engine {

void PolicyHooks::refresh() {
  NetState& net = st_.net;
  net.now_s = st_.now();
  net.waiting_jobs = static_cast<int>(st_.waiting.size());
  // Time-of-use prices and hourly carbon factors change on the hour.
  const auto hour = static_cast<long long>(std::floor(net.now_s / 3600.0));
  if (hour != hour_) {
    hour_ = hour;
    const double factor = st_.price_factor(net.now_s);
    for (CenterState& c : net.centers) {
      const topo::City& city = st_.topo.cities[c.city];
      c.price_cny_per_J = city.price_cny_per_J * factor;
      c.carbon_kg_per_J = topo::carbon_kg_per_J(st_.topo, city, net.now_s);
    }
  }
}

std::vector<Placement> PolicyHooks::place_batch(const std::vector<const Job*>& jobs) {
  refresh();
  return st_.policy.place_batch(jobs, st_.net);
}

Placement PolicyHooks::place(const Job& job) {
  refresh();
  return st_.policy.place(job, st_.net);
}

std::vector<int> PolicyHooks::order(const std::vector<const Job*>& queue, int pool) {
  refresh();
  return st_.policy.order(queue, pool, st_.net);
}

void PolicyHooks::on_finish(const FinishedJob& job) {
  refresh();
  st_.policy.on_finish(job, st_.net);
}

int PolicyHooks::bind(const Job& job, int pool, const std::vector<int>& feasible) {
  refresh();
  return st_.policy.bind(job, pool, feasible, st_.net);
}

void PolicyHooks::on_tick() {
  refresh();
  st_.policy.on_tick(st_.net);
}

}  // namespace suanwang::engine

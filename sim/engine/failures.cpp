#include "sim/engine/failures.hpp"

#include <algorithm>

#include "sim/core/user_error.hpp"
#include "sim/topology/link_name.hpp"
#include "sim/workload/distribution.hpp"


namespace suanwang::engine {

FailureInjector::FailureInjector(EngineState& st, std::uint64_t seed) : st_(st) {
  const Scenario& sc = st.sc;
  const topo::Topology& topo = st.topo;
  int order = 0;
  auto add = [&](double t, bool is_link, int target, double for_s) {
    if (t >= sc.duration_s) return;
    events_.push_back({t, is_link, target, true, order++});
    if (for_s > 0) events_.push_back({t + for_s, is_link, target, false, order++});
  };
  for (const LinkFailure& f : sc.failures.links)
    for (int l : topo::resolve_link_name(topo, f.link, sc.file, "failures.links: " + f.link))
      add(f.at_s, true, l, f.for_s);
  for (const CenterOutage& o : sc.failures.centers) {
    const int city = topo.city_index(o.city);
    const int c = city >= 0 ? st.net.center_of_city[city] : -1;
    if (c < 0)
      throw UserError(sc.file, "failures.centers: " + o.city,
                      city < 0 ? "unknown city (did you mean '" + topo.suggest_city(o.city) + "'?)"
                               : "this city has no computing center");
    add(o.at_s, false, c, o.for_s);
  }
  // Random failures: one independent stream per element.
  const RandomFailures& r = sc.failures.random;
  auto random_for = [&](bool is_link, int count, double mtbf, double mttr, std::uint64_t salt) {
    if (mtbf <= 0) return;
    for (int i = 0; i < count; ++i) {
      Rng rng(seed * 0x9E3779B97F4A7C15ULL + salt * 1000003ULL + static_cast<std::uint64_t>(i));
      double t = 0;
      for (;;) {
        t += sample_exponential(rng, mtbf);
        if (t >= sc.duration_s) break;
        const double down = mttr > 0 ? sample_exponential(rng, mttr) : 0;
        add(t, is_link, i, down);
        t += down;
      }
    }
  };
  random_for(true, static_cast<int>(topo.links.size()), r.link_mtbf_s, r.link_mttr_s, 1);
  random_for(false, static_cast<int>(st.net.centers.size()), r.center_mtbf_s, r.center_mttr_s, 2);
  std::sort(events_.begin(), events_.end(), [](const FailureEvent& a, const FailureEvent& b) {
    return a.time_s != b.time_s ? a.time_s < b.time_s : a.order < b.order;
  });
  link_depth_.assign(topo.links.size(), 0);
  center_depth_.assign(st.net.centers.size(), 0);
}

void FailureInjector::start() {
  if (!events_.empty()) st_.calendar.schedule(events_[0].time_s, EventKind::failure, 0);
}

void FailureInjector::on_event(std::uint32_t index) {
  if (index + 1 < events_.size())
    st_.calendar.schedule(events_[index + 1].time_s, EventKind::failure, index + 1);
  apply(events_[index]);
}

void FailureInjector::apply(const FailureEvent& e) {
  if (e.is_link) {
    int& d = link_depth_[e.target];
    const bool was_up = d == 0;
    d += e.down ? 1 : -1;
    const bool is_up = d == 0;
    if (was_up == is_up) return;
    st_.net.link_up[e.target] = is_up;
    ++st_.net.links_version;
    st_.refresh_paths();
    st_.transfers->on_links_changed();
    if (is_up) st_.capacity_changed();
  } else {
    int& d = center_depth_[e.target];
    const bool was_up = d == 0;
    d += e.down ? 1 : -1;
    const bool is_up = d == 0;
    if (was_up == is_up) return;
    const double now = st_.now();
    if (!is_up) st_.center_down_since[e.target] = now;
    else {
      st_.center_down_total_s[e.target] += now - st_.center_down_since[e.target];
      st_.center_down_since[e.target] = -1;
    }
    if (is_up) st_.center_repair(e.target);
    else st_.center_outage(e.target);
  }
}

}  // namespace suanwang::engine

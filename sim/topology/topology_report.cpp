#include "sim/topology/topology_report.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "sim/core/units.hpp"

namespace suanwang::topo {

namespace {

double median(std::vector<double> v) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  const std::size_t n = v.size();
  return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

std::string fmt_gbps(double Bps) {
  char buf[64];
  const double tbps = Bps * units::kBitsPerByte / 1e12;
  if (tbps >= 1)
    std::snprintf(buf, sizeof buf, "%.1f Tbps", tbps);
  else
    std::snprintf(buf, sizeof buf, "%.0f Gbps", Bps * units::kBitsPerByte / 1e9);
  return buf;
}

// Cities, centers, chips; fills the lists of center, hub and demand cities.
void count_cities(const Topology& t, TopologyReport& r, std::vector<int>& centers, std::vector<int>& hubs,
                  std::vector<int>& demand) {
  r.cities = static_cast<int>(t.cities.size());
  for (int i = 0; i < r.cities; ++i) {
    const City& c = t.cities[static_cast<std::size_t>(i)];
    if (c.interconnect) ++r.interconnects;
    if (c.demand_weight > 0) demand.push_back(i);
    if (!c.has_center()) continue;
    centers.push_back(i);
    if (!c.hub.empty()) hubs.push_back(i);
    for (const Pool& p : c.pools) {
      const Accelerator& a = t.accelerators[static_cast<std::size_t>(p.accel)];
      r.chips += p.count;
      r.total_fp16_flops += a.fp16_flops * p.count;
      r.chips_by_chip[a.id] += p.count;
      r.chips_by_vendor[a.vendor] += p.count;
      if (a.domestic()) r.domestic_chips += p.count;
    }
  }
  r.centers = static_cast<int>(centers.size());
  r.hubs = static_cast<int>(hubs.size());
  r.center_pairs = r.centers * (r.centers - 1);
}

// Links, capacity and which centers carrier k alone joins.
CarrierFacts carrier_facts(const Topology& t, const RouteTable& routes, int k, const std::vector<int>& centers) {
  CarrierFacts f;
  f.carrier = t.carriers[static_cast<std::size_t>(k)];
  for (const Link& l : t.links)
    if (l.carrier_index == k) {
      ++f.links;
      f.capacity_Bps += l.bandwidth_Bps;
    }
  for (int a : centers) {
    bool all = true;
    for (int b : centers) {
      if (a == b) continue;
      if (routes.on_carrier(a, b, k))
        ++f.centers_reachable_pairs;
      else
        all = false;
    }
    if (!all) f.unreachable_centers.push_back(t.cities[static_cast<std::size_t>(a)].name);
  }
  return f;
}

// Latencies from demand cities to hub centers: to the nearest one, and to all.
void hub_latencies(const Topology& t, const RouteTable& routes, const std::vector<int>& demand,
                   const std::vector<int>& hubs, TopologyReport& r) {
  const auto pair_name = [&](int a, int b) {
    return t.cities[static_cast<std::size_t>(a)].name + " -> " + t.cities[static_cast<std::size_t>(b)].name;
  };
  std::vector<double> nearest, all_pairs;
  for (int d : demand) {
    double best = std::numeric_limits<double>::infinity();
    int best_hub = -1;
    for (int h : hubs) {
      const double lat = routes.latency_s(d, h);
      all_pairs.push_back(lat);
      if (lat > r.demand_hub_worst_s) {
        r.demand_hub_worst_s = lat;
        r.demand_hub_worst_pair = pair_name(d, h);
      }
      if (lat < best) {
        best = lat;
        best_hub = h;
      }
    }
    if (best_hub < 0) continue;
    nearest.push_back(best);
    if (best > r.nearest_hub_worst_s) {
      r.nearest_hub_worst_s = best;
      r.nearest_hub_worst_pair = pair_name(d, best_hub);
    }
  }
  r.nearest_hub_median_s = median(nearest);
  r.demand_hub_median_s = median(all_pairs);
}

}  // namespace

TopologyReport describe(const Topology& t, const RouteTable& routes) {
  TopologyReport r;
  std::vector<int> centers, hubs, demand;
  count_cities(t, r, centers, hubs, demand);
  for (int k = 0; k < static_cast<int>(t.carriers.size()); ++k) r.carriers.push_back(carrier_facts(t, routes, k, centers));
  for (int a = 0; a < r.cities; ++a)
    for (int b = 0; b < r.cities; ++b)
      if (a != b && routes.best(a, b).empty()) r.all_routes_exist = false;
  hub_latencies(t, routes, demand, hubs, r);
  return r;
}

void print_report(std::FILE* out, const Topology& t, const TopologyReport& r) {
  std::fprintf(out, "topology %s: sound\n", t.source_file.c_str());
  std::fprintf(out, "  cities          %d (%d with a computing center, %d in EDWC hubs, %d interconnection points)\n",
               r.cities, r.centers, r.hubs, r.interconnects);
  std::fprintf(out, "  accelerators    %lld chips, %.1f PFLOPS dense FP16, %.0f%% domestic\n",
               r.chips, r.total_fp16_flops / 1e15,
               r.chips ? 100.0 * static_cast<double>(r.domestic_chips) / static_cast<double>(r.chips) : 0.0);
  std::fprintf(out, "    by vendor    ");
  for (const auto& [v, c] : r.chips_by_vendor) std::fprintf(out, " %s %lld;", v.c_str(), c);
  std::fprintf(out, "\n    by chip      ");
  for (const auto& [v, c] : r.chips_by_chip) std::fprintf(out, " %s %lld;", v.c_str(), c);
  std::fprintf(out, "\n  links           %zu\n", t.links.size());
  for (const CarrierFacts& f : r.carriers) {
    std::fprintf(out, "    %-4s %4d links, %s total; centers joined on this carrier alone: %d/%d pairs",
                 f.carrier.c_str(), f.links, fmt_gbps(f.capacity_Bps).c_str(),
                 f.centers_reachable_pairs, r.center_pairs);
    if (!f.unreachable_centers.empty()) {
      std::fprintf(out, " (not all: ");
      for (std::size_t i = 0; i < f.unreachable_centers.size() && i < 5; ++i)
        std::fprintf(out, "%s%s", i ? ", " : "", f.unreachable_centers[i].c_str());
      std::fprintf(out, "%s)", f.unreachable_centers.size() > 5 ? ", ..." : "");
    }
    std::fprintf(out, "\n");
  }
  std::fprintf(out, "  latency, one way (round trip)\n");
  std::fprintf(out, "    demand city -> nearest hub center: median %.1f ms (%.1f), worst %.1f ms (%.1f) %s\n",
               r.nearest_hub_median_s * 1e3, 2e3 * r.nearest_hub_median_s,
               r.nearest_hub_worst_s * 1e3, 2e3 * r.nearest_hub_worst_s,
               r.nearest_hub_worst_pair.c_str());
  std::fprintf(out, "    demand city -> any hub center:     median %.1f ms (%.1f), worst %.1f ms (%.1f) %s\n",
               r.demand_hub_median_s * 1e3, 2e3 * r.demand_hub_median_s,
               r.demand_hub_worst_s * 1e3, 2e3 * r.demand_hub_worst_s,
               r.demand_hub_worst_pair.c_str());
  std::fprintf(out, "  routes          %s\n",
               r.all_routes_exist ? "every city pair routable (carriers change only at interconnection points)"
                                  : "SOME CITY PAIRS HAVE NO ROUTE under the interconnection rule");
}

void write_latency_matrix_csv(std::FILE* out, const Topology& t, const RouteTable& routes) {
  std::fprintf(out, "latency_ms");
  for (const City& c : t.cities) std::fprintf(out, ",%s", c.name.c_str());
  std::fprintf(out, "\n");
  const int n = static_cast<int>(t.cities.size());
  for (int a = 0; a < n; ++a) {
    std::fprintf(out, "%s", t.cities[static_cast<std::size_t>(a)].name.c_str());
    for (int b = 0; b < n; ++b) {
      if (a != b && routes.best(a, b).empty())
        std::fprintf(out, ",");
      else
        std::fprintf(out, ",%.3f", routes.latency_s(a, b) * 1e3);
    }
    std::fprintf(out, "\n");
  }
}

void write_dot(std::FILE* out, const Topology& t) {
  static const char* kColours[] = {"#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b"};
  std::fprintf(out, "graph suanwang {\n  layout=neato; overlap=true; splines=true;\n"
                    "  node [fontname=\"Helvetica\", fontsize=9];\n");
  for (const City& c : t.cities) {
    long long chips = 0;
    for (const Pool& p : c.pools) chips += p.count;
    const double size = c.has_center() ? 0.2 + 0.08 * std::sqrt(static_cast<double>(chips) / 100.0) : 0.15;
    std::fprintf(out, "  \"%s\" [pos=\"%.2f,%.2f!\", shape=%s, width=%.2f, height=%.2f, label=\"%s%s\"%s];\n",
                 c.name.c_str(), (c.lon_deg - 100) * 1.0, (c.lat_deg - 30) * 1.2,
                 c.has_center() ? "box" : "ellipse", size, size * 0.6, c.name.c_str(),
                 c.has_center() ? ("\\n" + std::to_string(chips) + " chips").c_str() : "",
                 c.hub.empty() ? "" : ", style=filled, fillcolor=\"#fff2cc\"");
  }
  for (const Link& l : t.links)
    std::fprintf(out, "  \"%s\" -- \"%s\" [color=\"%s\", penwidth=%.1f, tooltip=\"%s %.1f ms\"];\n",
                 l.a_name.c_str(), l.b_name.c_str(), kColours[l.carrier_index % 6],
                 0.5 + l.bandwidth_Bps * units::kBitsPerByte / 1e12, l.name().c_str(), l.latency_s * 1e3);
  std::fprintf(out, "}\n");
}

}  // namespace suanwang::topo

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
    r.capacity_flops += c.capacity_flops;
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

bool listed(const std::vector<std::string>& v, const std::string& x) {
  return std::find(v.begin(), v.end(), x) != v.end();
}

// Values per attribute and how many are estimates (topology.hpp: estimated).
void count_provenance(const Topology& t, TopologyReport& r) {
  bool green = false;
  for (const City& c : t.cities) green = green || c.green_share > 0 || listed(c.estimated, "green_share");
  for (const City& c : t.cities) {
    std::vector<std::string> attrs = {"lat", "lon", "grid", "demand", "price_cny_per_kwh", "pue", "interconnect"};
    if (!c.hub.empty()) attrs.push_back("hub");
    if (green) attrs.push_back("green_share");
    if (c.has_center()) attrs.push_back("pools");
    if (c.capacity_flops > 0) attrs.push_back("capacity_pflops");
    for (const std::string& a : attrs) {
      ValueCount& v = r.city_values[a];
      ++v.values;
      v.estimated += listed(c.estimated, a);
    }
  }
  for (const Link& l : t.links)
    for (const char* a : {"bandwidth_gbps", "length_km"}) {
      ValueCount& v = r.link_values[a];
      ++v.values;
      v.estimated += listed(l.estimated, a);
    }
  for (const Accelerator& a : t.accelerators)
    for (const char* k : {"fp16_tflops", "memory_gb", "busy_w", "idle_w"}) {
      ValueCount& v = r.chip_values[k];
      ++v.values;
      v.estimated += listed(a.estimated, k);
    }
  for (const CarbonFactor& f : t.carbon.factors) {
    ++r.carbon_factors.values;
    r.carbon_factors.estimated += f.source.rfind("estimate", 0) == 0;
  }
  for (const CarbonProfile& p : t.carbon.profiles) {
    r.hourly_multipliers.values += 24;
    r.hourly_multipliers.estimated += p.estimated_hours;
  }
}

// The grid factors the centers get and their green power.
void carbon_facts(const Topology& t, TopologyReport& r) {
  bool first = true;
  double green_sum = 0;
  for (const City& c : t.cities) {
    if (!c.has_center()) continue;
    if (first || c.grid_carbon_kg_per_J < r.center_carbon_min) {
      r.center_carbon_min = c.grid_carbon_kg_per_J;
      r.center_carbon_min_city = c.name;
    }
    if (first || c.grid_carbon_kg_per_J > r.center_carbon_max) {
      r.center_carbon_max = c.grid_carbon_kg_per_J;
      r.center_carbon_max_city = c.name;
    }
    first = false;
    if (c.green_share > 0) {
      ++r.green_centers;
      green_sum += c.green_share;
    }
  }
  r.green_share_mean = r.green_centers ? green_sum / r.green_centers : 0;
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
  count_provenance(t, r);
  carbon_facts(t, r);
  return r;
}

namespace {

// "demand 38/38, pools 24/35" for the attributes with estimates; "none" if none.
std::string estimated_list(const std::map<std::string, ValueCount>& m) {
  std::string s;
  for (const auto& [a, v] : m)
    if (v.estimated > 0) s += (s.empty() ? "" : ", ") + a + " " + std::to_string(v.estimated) + "/" + std::to_string(v.values);
  return s.empty() ? "none" : s;
}

ValueCount total(const std::map<std::string, ValueCount>& m) {
  ValueCount t;
  for (const auto& [a, v] : m) {
    t.values += v.values;
    t.estimated += v.estimated;
  }
  return t;
}

void print_provenance(std::FILE* out, const Topology& t, const TopologyReport& r) {
  std::fprintf(out, "  data            vintage %s; sources: %s\n", t.vintage.empty() ? "not stated" : t.vintage.c_str(),
               t.sources_file.empty() ? "not stated" : t.sources_file.c_str());
  ValueCount all;
  for (const auto* m : {&r.city_values, &r.link_values, &r.chip_values}) {
    const ValueCount v = total(*m);
    all.values += v.values;
    all.estimated += v.estimated;
  }
  for (const ValueCount& v : {r.carbon_factors, r.hourly_multipliers}) {
    all.values += v.values;
    all.estimated += v.estimated;
  }
  std::fprintf(out, "    values        %d, of which %d sourced and %d estimates (no public source)\n", all.values,
               all.values - all.estimated, all.estimated);
  std::fprintf(out, "    estimated     cities: %s\n", estimated_list(r.city_values).c_str());
  std::fprintf(out, "                  links: %s\n", estimated_list(r.link_values).c_str());
  std::fprintf(out, "                  chips: %s\n", estimated_list(r.chip_values).c_str());
  std::fprintf(out, "                  carbon factors %d/%d, hourly multipliers %d/%d\n", r.carbon_factors.estimated,
               r.carbon_factors.values, r.hourly_multipliers.estimated, r.hourly_multipliers.values);
}

void print_carbon(std::FILE* out, const Topology& t, const TopologyReport& r) {
  const CarbonChoice& c = t.carbon_choice;
  std::fprintf(out, "  carbon          MEE/NBS %s factors of %d (scenario key carbon); centers %.4f (%s) to %.4f (%s) kg/kWh\n",
               c.series.c_str(), c.year, r.center_carbon_min * units::kJoulePerKWh, r.center_carbon_min_city.c_str(),
               r.center_carbon_max * units::kJoulePerKWh, r.center_carbon_max_city.c_str());
  std::fprintf(out, "    green power   %d centers (mean share %.2f)%s; hourly profiles: %zu%s\n", r.green_centers,
               r.green_share_mean, c.green_power ? ", applied" : ", not applied", t.carbon.profiles.size(),
               c.hourly ? ", applied" : ", off (scenario: carbon.hourly = true)");
}

}  // namespace

void print_report(std::FILE* out, const Topology& t, const TopologyReport& r) {
  std::fprintf(out, "topology %s: sound\n", t.source_file.c_str());
  std::fprintf(out, "  cities          %d (%d with a computing center, %d in EDWC hubs, %d interconnection points)\n",
               r.cities, r.centers, r.hubs, r.interconnects);
  std::fprintf(out, "  accelerators    %lld chips, %.1f PFLOPS dense FP16, %.0f%% domestic\n",
               r.chips, r.total_fp16_flops / 1e15,
               r.chips ? 100.0 * static_cast<double>(r.domestic_chips) / static_cast<double>(r.chips) : 0.0);
  if (r.capacity_flops > 0)
    std::fprintf(out, "    capacity     %.1f PFLOPS dense FP16 stated per center (published figures converted, or estimated)\n",
                 r.capacity_flops / 1e15);
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
  print_carbon(out, t, r);
  print_provenance(out, t, r);
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

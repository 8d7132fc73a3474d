#include "sim/topology/graphml_reader.hpp"

#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/graphml.hpp>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "sim/core/units.hpp"
#include "sim/core/user_error.hpp"
#include "sim/topology/catalogs.hpp"
#include "sim/topology/graphml_scan.hpp"
#include "sim/topology/link_name.hpp"
#include "sim/topology/pools_text.hpp"

#ifndef SUANWANG_TOPOLOGY_DIR
#error "SUANWANG_TOPOLOGY_DIR must name the folder holding the shipped catalogs"
#endif

namespace suanwang::topo {

std::string default_accelerators_csv() { return SUANWANG_TOPOLOGY_DIR "/accelerators.csv"; }
std::string default_carbon_factors_csv() { return SUANWANG_TOPOLOGY_DIR "/carbon_factors.csv"; }
std::string default_carbon_hourly_csv() { return SUANWANG_TOPOLOGY_DIR "/carbon_hourly.csv"; }
std::string default_carbon_areas_csv() { return SUANWANG_TOPOLOGY_DIR "/carbon_hourly_areas.csv"; }

namespace {

// Every attribute is read as text and converted here, not by Boost: that way
// a mistyped value is reported with its city or edge, which Boost's
// lexical_cast failure could not do.
struct NodeText {
  std::string name, name_zh, province, lat, lon, grid, demand, price, pue, pools, hub,
      interconnect, green_share, capacity_pflops, estimated;
};
struct EdgeText {
  std::string carrier, bandwidth_gbps, latency_ms, length_km, estimated;
};
struct GraphText {
  std::string vintage, sources;
};

// "a,b,c" -> {"a", "b", "c"}; "" -> {}.
std::vector<std::string> split_list(const std::string& text) {
  std::vector<std::string> out;
  std::string cur;
  for (char ch : text) {
    if (ch == ',') {
      if (!cur.empty()) out.push_back(cur);
      cur.clear();
    } else if (ch != ' ') {
      cur += ch;
    }
  }
  if (!cur.empty()) out.push_back(cur);
  return out;
}
using Graph = boost::adjacency_list<boost::vecS, boost::vecS, boost::undirectedS, NodeText,
                                   EdgeText>;

std::string format_ms(double s) {
  char b[32];
  std::snprintf(b, sizeof b, "%g", s * 1e3);
  return b;
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw UserError(path, "", "cannot open topology file (expected a GraphML file)");
  std::error_code ec;
  const auto size = std::filesystem::file_size(path, ec);
  if (!ec && size > kMaxGraphmlBytes)
    throw UserError(path, "", "larger than " + std::to_string(kMaxGraphmlBytes >> 20) +
                                  " MB (expected a GraphML topology; see README \"Limits\")");
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// "<unspecified file>(12): expected element name" -> "line 12: expected element name"
std::string tidy_parse_error(const std::string& what) {
  const std::size_t open = what.find('('), close = what.find("):", open == std::string::npos ? 0 : open);
  if (open == std::string::npos || close == std::string::npos || close == open + 1) return what;
  for (std::size_t i = open + 1; i < close; ++i)
    if (what[i] < '0' || what[i] > '9') return what;
  std::size_t rest = close + 2;
  while (rest < what.size() && what[rest] == ' ') ++rest;
  return "line " + what.substr(open + 1, close - open - 1) + ": " + what.substr(rest);
}

class Builder {
 public:
  Builder(const std::string& path, const Graph& g, const std::set<std::string>& keys,
          Topology& topo)
      : path_(path), g_(g), keys_(keys), t_(topo) {}

  void require_key(const std::string& for_what, const std::string& name) const {
    if (!keys_.count(for_what + "/" + name) && !keys_.count("all/" + name))
      throw UserError(path_, "",
                      "missing attribute declaration <key for=\"" + for_what +
                          "\" attr.name=\"" + name + "\">");
  }

  double number(const std::string& element, const std::string& attr, const std::string& text,
                const char* expected) const {
    if (text.empty())
      throw UserError(path_, element, "missing attribute '" + attr + "' (expected " + expected + ")");
    double v = 0;
    const char* b = text.data();
    const char* e = b + text.size();
    const auto [p, ec] = std::from_chars(b, e, v);
    if (ec != std::errc() || p != e || !std::isfinite(v))
      throw UserError(path_, element,
                      "attribute '" + attr + "': expected " + expected + ", got \"" + text + "\"");
    return v;
  }

  void build_cities() {
    for (const char* k : {"name", "lat", "lon", "grid", "demand", "price_cny_per_kwh", "pue"})
      require_key("node", k);
    if (boost::num_vertices(g_) > static_cast<std::size_t>(kMaxCities))
      throw UserError(path_, "", std::to_string(boost::num_vertices(g_)) + " cities (expected at most " +
                                     std::to_string(kMaxCities) + ": routes grow as n^3; see README \"Limits\")");
    std::set<std::string> names;
    int ordinal = 0;
    for (auto v : boost::make_iterator_range(boost::vertices(g_))) {
      ++ordinal;
      const NodeText& n = g_[v];
      City c;
      c.name = n.name;
      if (c.name.empty())
        throw UserError(path_, "node #" + std::to_string(ordinal),
                        "missing attribute 'name' (expected a unique city id; an edge "
                        "naming an undeclared node also creates such a node)");
      const std::string el = "city " + c.name;
      if (!is_id(c.name)) throw UserError(path_, el, "attribute 'name': " + id_problem(c.name));
      if (!names.insert(c.name).second)
        throw UserError(path_, el, "duplicate city name (expected each city once)");
      c.name_zh = n.name_zh;
      c.province = n.province;
      c.lat_deg = number(el, "lat", n.lat, "a latitude in degrees");
      c.lon_deg = number(el, "lon", n.lon, "a longitude in degrees");
      if (c.lat_deg < -90 || c.lat_deg > 90 || c.lon_deg < -180 || c.lon_deg > 180)
        throw UserError(path_, el, "lat/lon out of range (expected degrees, lat in [-90,90])");
      c.grid = n.grid;
      if (c.grid.empty())
        throw UserError(path_, el, "missing attribute 'grid' (expected a grid region id)");
      c.grid_index = grid_index(c.grid);
      if (c.grid_index < 0)
        throw UserError(path_, el, "unknown grid '" + c.grid + "' (expected one of " +
                                       grid_list() + ")");
      c.demand_weight = number(el, "demand", n.demand, "a relative weight >= 0");
      if (c.demand_weight < 0 || c.demand_weight > kMaxDemandWeight)
        throw UserError(path_, el, "demand must be >= 0 and at most 1e9");
      const double price_kwh = number(el, "price_cny_per_kwh", n.price, "CNY per kWh >= 0");
      if (price_kwh < 0 || price_kwh > kMaxPriceCnyPerKwh)
        throw UserError(path_, el, "price_cny_per_kwh must be >= 0 and at most 1000");
      c.price_cny_per_J = price_kwh / units::kJoulePerKWh;
      c.pue = number(el, "pue", n.pue, "a PUE >= 1");
      if (c.pue < 1)
        throw UserError(path_, el, "pue " + n.pue + " is below 1 (expected a PUE >= 1)");
      if (c.pue > kMaxPue) throw UserError(path_, el, "pue " + n.pue + " is above 10 (expected a PUE, 1 to 10)");
      c.hub = n.hub;
      if (!n.green_share.empty()) {
        c.green_share = number(el, "green_share", n.green_share, "a share of green power in [0, 1]");
        if (c.green_share < 0 || c.green_share > 1)
          throw UserError(path_, el, "green_share " + n.green_share + " (expected a share in [0, 1])");
      }
      if (!n.capacity_pflops.empty()) {
        c.capacity_flops = number(el, "capacity_pflops", n.capacity_pflops, "PFLOPS >= 0") * 1e15;
        if (c.capacity_flops < 0) throw UserError(path_, el, "capacity_pflops must be >= 0");
      }
      c.estimated = split_list(n.estimated);
      if (n.interconnect.empty() || n.interconnect == "false" || n.interconnect == "0")
        c.interconnect = false;
      else if (n.interconnect == "true" || n.interconnect == "1")
        c.interconnect = true;
      else
        throw UserError(path_, el, "attribute 'interconnect': expected true or false, got \"" +
                                       n.interconnect + "\"");
      PoolsParse pools = parse_pools(n.pools, t_.accelerators);
      if (!pools.ok()) throw UserError(path_, el, "attribute 'pools': " + pools.error);
      c.pools = std::move(pools.pools);
      t_.cities.push_back(std::move(c));
    }
    if (t_.cities.empty()) throw UserError(path_, "", "no cities (expected <node> elements)");
  }

  void build_links() {
    require_key("edge", "carrier");
    require_key("edge", "bandwidth_gbps");
    if (boost::num_edges(g_) > static_cast<std::size_t>(kMaxLinks))
      throw UserError(path_, "", std::to_string(boost::num_edges(g_)) + " links (expected at most " +
                                     std::to_string(kMaxLinks) + "; see README \"Limits\")");
    std::set<std::string> carriers;
    std::set<std::string> seen;
    for (auto e : boost::make_iterator_range(boost::edges(g_))) {
      const EdgeText& et = g_[e];
      Link l;
      l.a = static_cast<int>(boost::source(e, g_));
      l.b = static_cast<int>(boost::target(e, g_));
      l.a_name = t_.cities[static_cast<std::size_t>(l.a)].name;
      l.b_name = t_.cities[static_cast<std::size_t>(l.b)].name;
      l.carrier = et.carrier;
      const std::string el = "edge " + link_name(l.a_name, l.b_name, l.carrier);
      if (l.carrier.empty())
        throw UserError(path_, el, "missing attribute 'carrier' (expected e.g. ct, cm, cu)");
      if (!is_id(l.carrier)) throw UserError(path_, el, "attribute 'carrier': " + id_problem(l.carrier));
      if (l.a == l.b) throw UserError(path_, el, "self-loop (expected two different cities)");
      const auto lo = std::min(l.a_name, l.b_name), hi = std::max(l.a_name, l.b_name);
      if (!seen.insert(lo + "|" + hi + "|" + l.carrier).second)
        throw UserError(path_, el, "duplicate edge (expected one link per city pair and carrier)");
      const double gbps = number(el, "bandwidth_gbps", et.bandwidth_gbps, "Gbit/s > 0");
      if (gbps <= 0)
        throw UserError(path_, el, "bandwidth_gbps " + et.bandwidth_gbps + " (expected > 0)");
      if (!link_capacity_in_range(gbps))
        throw UserError(path_, el, "bandwidth_gbps " + et.bandwidth_gbps + " (expected 0.001 (1 Mbit/s) to 1e6 (1 Pbit/s))");
      l.bandwidth_Bps = gbps * 1e9 / units::kBitsPerByte;
      if (!et.latency_ms.empty()) {
        l.latency_s = number(el, "latency_ms", et.latency_ms, "milliseconds > 0") * 1e-3;
        if (!et.length_km.empty()) l.length_m = number(el, "length_km", et.length_km, "km") * 1e3;
      } else if (!et.length_km.empty()) {
        l.length_m = number(el, "length_km", et.length_km, "km > 0") * 1e3;
        l.latency_s = l.length_m * kFibreSecondsPerMetre * kRouteInflation;
      } else {
        throw UserError(path_, el, "missing attribute 'latency_ms' or 'length_km'");
      }
      if (l.latency_s <= 0 || l.length_m < 0)
        throw UserError(path_, el, "latency must be > 0 (latency_ms or length_km)");
      if (!(l.latency_s >= kMinLinkLatency_s && l.latency_s <= kMaxLinkLatency_s) || !std::isfinite(l.length_m))
        throw UserError(path_, el, "latency of " + format_ms(l.latency_s) + " ms (expected 0.001 ms to 10 s one way: latency_ms, or length_km "
                                       "at 0.01 ms per km)");
      l.estimated = split_list(et.estimated);
      carriers.insert(l.carrier);
      t_.links.push_back(std::move(l));
    }
    if (t_.links.empty() && t_.cities.size() > 1)
      throw UserError(path_, "", "no links (expected <edge> elements between cities)");
    if (carriers.size() > static_cast<std::size_t>(kMaxCarriers))
      throw UserError(path_, "", std::to_string(carriers.size()) + " carriers (expected at most " +
                                     std::to_string(kMaxCarriers) + ")");
    t_.carriers.assign(carriers.begin(), carriers.end());
    for (Link& l : t_.links) l.carrier_index = t_.carrier_index(l.carrier);
  }

  void check_connected() const {
    const std::size_t n = t_.cities.size();
    std::vector<std::vector<int>> adj(n);
    for (const Link& l : t_.links) {
      adj[static_cast<std::size_t>(l.a)].push_back(l.b);
      adj[static_cast<std::size_t>(l.b)].push_back(l.a);
    }
    std::vector<bool> seen(n, false);
    std::vector<int> stack{0};
    seen[0] = true;
    while (!stack.empty()) {
      const int v = stack.back();
      stack.pop_back();
      for (int w : adj[static_cast<std::size_t>(v)])
        if (!seen[static_cast<std::size_t>(w)]) {
          seen[static_cast<std::size_t>(w)] = true;
          stack.push_back(w);
        }
    }
    for (std::size_t i = 0; i < n; ++i)
      if (!seen[i])
        throw UserError(path_, "city " + t_.cities[i].name,
                        "not connected to " + t_.cities[0].name +
                            " (expected a connected graph: add a link)");
  }

  // Connected is not enough: a route may change carrier only at an
  // interconnection city (routes.hpp), so A -ct- B -cm- C with B not an
  // interconnection point has no route from A to C, and a run could not
  // build its platform. Union-find over (carrier, city) layers, as the
  // routing graph joins them; every pair of cities must share a component.
  void check_routable() const {
    const int n = static_cast<int>(t_.cities.size()), k = static_cast<int>(t_.carriers.size());
    std::vector<int> parent(static_cast<std::size_t>(n) * k);
    for (std::size_t i = 0; i < parent.size(); ++i) parent[i] = static_cast<int>(i);
    auto find = [&](int x) {
      while (parent[x] != x) x = parent[x] = parent[parent[x]];
      return x;
    };
    auto join = [&](int a, int b) { parent[find(a)] = find(b); };
    std::vector<std::vector<char>> touches(n, std::vector<char>(k, 0));  // city uses carrier
    for (const Link& l : t_.links) {
      join(l.carrier_index * n + l.a, l.carrier_index * n + l.b);
      touches[l.a][l.carrier_index] = touches[l.b][l.carrier_index] = 1;
    }
    for (int c = 0; c < n; ++c)
      if (t_.cities[c].interconnect)
        for (int x = 0; x < k; ++x)
          if (touches[c][x])
            for (int y = x + 1; y < k; ++y)
              if (touches[c][y]) join(x * n + c, y * n + c);
    std::vector<std::vector<int>> comps(n);  // components each city can start or end in
    for (int c = 0; c < n; ++c)
      for (int x = 0; x < k; ++x)
        if (touches[c][x]) comps[c].push_back(find(x * n + c));
    for (int a = 0; a < n; ++a)
      for (int b = a + 1; b < n; ++b) {
        bool ok = false;
        for (int ca : comps[a])
          for (int cb : comps[b]) ok = ok || ca == cb;
        if (!ok)
          throw UserError(path_, "cities " + t_.cities[a].name + " and " + t_.cities[b].name,
                          "no route between them: carriers exchange traffic only at interconnection "
                          "cities (expected interconnect=true on a city where their carriers meet, or a link)");
      }
  }

 private:
  int grid_index(const std::string& id) const {
    for (std::size_t i = 0; i < t_.grids.size(); ++i)
      if (t_.grids[i].id == id) return static_cast<int>(i);
    return -1;
  }
  std::string grid_list() const {
    std::string s;
    for (const auto& g : t_.grids) s += (s.empty() ? "" : ", ") + g.id;
    return s;
  }

  const std::string& path_;
  const Graph& g_;
  const std::set<std::string>& keys_;
  Topology& t_;
};

}  // namespace

Topology load_topology(const std::string& graphml_path, const CatalogPaths& catalogs) {
  Topology t;
  t.source_file = graphml_path;
  t.accelerators = load_accelerators(catalogs.accelerators_csv.empty()
                                         ? default_accelerators_csv()
                                         : catalogs.accelerators_csv);
  const auto or_default = [](const std::string& path, std::string (*def)()) { return path.empty() ? def() : path; };
  t.carbon = load_carbon_catalog(or_default(catalogs.carbon_factors_csv, default_carbon_factors_csv),
                                 or_default(catalogs.carbon_hourly_csv, default_carbon_hourly_csv),
                                 or_default(catalogs.carbon_areas_csv, default_carbon_areas_csv));
  t.grids = grid_regions(t.carbon);

  GraphmlScan scan = scan_graphml(graphml_path, read_file(graphml_path));
  const std::set<std::string>& keys = scan.keys;

  Graph g;
  boost::dynamic_properties dp(boost::ignore_other_properties);
  dp.property("name", boost::get(&NodeText::name, g));
  dp.property("name_zh", boost::get(&NodeText::name_zh, g));
  dp.property("province", boost::get(&NodeText::province, g));
  dp.property("lat", boost::get(&NodeText::lat, g));
  dp.property("lon", boost::get(&NodeText::lon, g));
  dp.property("grid", boost::get(&NodeText::grid, g));
  dp.property("demand", boost::get(&NodeText::demand, g));
  dp.property("price_cny_per_kwh", boost::get(&NodeText::price, g));
  dp.property("pue", boost::get(&NodeText::pue, g));
  dp.property("pools", boost::get(&NodeText::pools, g));
  dp.property("hub", boost::get(&NodeText::hub, g));
  dp.property("interconnect", boost::get(&NodeText::interconnect, g));
  dp.property("green_share", boost::get(&NodeText::green_share, g));
  dp.property("capacity_pflops", boost::get(&NodeText::capacity_pflops, g));
  dp.property("estimated", boost::get(&NodeText::estimated, g));
  dp.property("estimated", boost::get(&EdgeText::estimated, g));
  GraphText graph_text;
  dp.property("vintage", boost::ref_property_map<Graph*, std::string>(graph_text.vintage));
  dp.property("sources", boost::ref_property_map<Graph*, std::string>(graph_text.sources));
  dp.property("carrier", boost::get(&EdgeText::carrier, g));
  dp.property("bandwidth_gbps", boost::get(&EdgeText::bandwidth_gbps, g));
  dp.property("latency_ms", boost::get(&EdgeText::latency_ms, g));
  dp.property("length_km", boost::get(&EdgeText::length_km, g));

  std::istringstream in(std::move(scan.xml));
  try {
    boost::read_graphml(in, g, dp);
  } catch (const boost::parse_error& e) {
    throw UserError(graphml_path, "", "not valid GraphML: " + tidy_parse_error(e.what()));
  } catch (const std::exception& e) {
    throw UserError(graphml_path, "", "not valid GraphML: " + tidy_parse_error(e.what()));
  }

  Builder b(graphml_path, g, keys, t);
  b.build_cities();
  b.build_links();
  b.check_connected();
  b.check_routable();
  t.vintage = graph_text.vintage;
  t.sources_file = graph_text.sources;
  apply_carbon(t, CarbonChoice{});
  return t;
}

}  // namespace suanwang::topo

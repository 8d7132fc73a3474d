// TopologyReport: the facts `suanwang topo` prints about a topology, computed
// once so that tests can check the numbers the user reads.
//
// "Demand cities" are cities with demand weight > 0; "hub centers" are cities
// that belong to an East-Data-West-Compute hub (City::hub non-empty) and host
// a center. Latencies are one way, over the best route (RouteTable::best).
#pragma once

#include <cstdio>
#include <map>
#include <string>
#include <vector>

#include "sim/topology/routes.hpp"
#include "sim/topology/topology.hpp"

namespace suanwang::topo {

struct CarrierFacts {
  std::string carrier;
  int links = 0;
  double capacity_Bps = 0;        // sum of link bandwidths (one direction)
  int centers_reachable_pairs = 0;// ordered center pairs joined by this carrier alone
  std::vector<std::string> unreachable_centers;  // centers this carrier cannot join to all others
};

// How many values of one kind the data holds and how many of them are
// estimates (no public source).
struct ValueCount {
  int values = 0, estimated = 0;
};

struct TopologyReport {
  int cities = 0, centers = 0, hubs = 0, interconnects = 0;
  // Data provenance: attribute -> counts, for cities (pools and
  // capacity_pflops over centers), links and the chip catalog; carbon
  // factors and hourly multipliers of the carbon catalog.
  std::map<std::string, ValueCount> city_values, link_values, chip_values;
  ValueCount carbon_factors, hourly_multipliers;
  // Carbon in effect: centers' grid factors (kg/J), centers buying green power.
  double center_carbon_min = 0, center_carbon_max = 0;
  std::string center_carbon_min_city, center_carbon_max_city;
  int green_centers = 0;
  double green_share_mean = 0;   // over the centers with green power
  long long chips = 0;
  double total_fp16_flops = 0;
  double capacity_flops = 0;      // sum of the centers' stated capacity (City::capacity_flops)
  std::map<std::string, long long> chips_by_chip, chips_by_vendor;
  long long domestic_chips = 0;
  std::vector<CarrierFacts> carriers;
  int center_pairs = 0;           // ordered pairs of distinct centers
  // Demand city -> nearest hub center.
  double nearest_hub_median_s = 0, nearest_hub_worst_s = 0;
  std::string nearest_hub_worst_pair;  // "Harbin -> Zhangjiakou"
  // All (demand city, hub center) pairs.
  double demand_hub_median_s = 0, demand_hub_worst_s = 0;
  std::string demand_hub_worst_pair;
  bool all_routes_exist = true;   // every ordered city pair has a best route
};

TopologyReport describe(const Topology& t, const RouteTable& routes);

// The human summary printed by `suanwang topo`.
void print_report(std::FILE* out, const Topology& t, const TopologyReport& r);

// City-to-city one-way latency matrix in milliseconds, CSV with a header row.
void write_latency_matrix_csv(std::FILE* out, const Topology& t, const RouteTable& routes);

// Graphviz: cities placed by lon/lat, centers as boxes sized by chips, links
// coloured per carrier.
void write_dot(std::FILE* out, const Topology& t);

}  // namespace suanwang::topo

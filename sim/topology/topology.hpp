// Topology: the national compute network as plain data, validated.
//
// Cities (some hosting an intelligent computing center made of accelerator
// pools), carrier backbone links between cities, and the two catalogs that
// give chips and grid regions their physical meaning. Built by
// load_topology() (graphml_reader.hpp); this layer knows nothing of SimGrid,
// Lua or HDF5.
//
// Invariants after loading (violations are UserErrors at load time):
//  - city names are unique ids (an ASCII letter, then letters, digits, '_'
//    or '\'': see link_name.hpp); indices are 0..cities.size()-1 in file order;
//  - every pool names a chip of the catalog and has 0 < count <= kMaxPoolChips
//    (count = servers x per_server when servers > 0); every city's
//    grid is in the grid catalog; pue >= 1; demand_weight >= 0; price >= 0;
//  - every link joins two different existing cities, has bandwidth_Bps > 0
//    and latency_s > 0; its carrier is an id and is in `carriers`;
//  - the graph (all carriers together) is connected.
// Units are SI: seconds, bytes/s, watts, joules, FLOP/s, degrees for lat/lon.
#pragma once

#include <limits>
#include <string>
#include <string_view>
#include <vector>

#include "sim/core/job.hpp"
#include "sim/topology/carbon.hpp"

namespace suanwang::topo {

struct Accelerator {
  std::string id;          // "ascend-910b"
  std::string vendor;      // "Huawei"
  std::string family;      // "domestic" | "imported"
  double fp16_flops = 0;   // dense FP16 FLOP/s of one chip
  double memory_B = 0;
  double busy_W = 0;       // power of one chip running flat out
  double idle_W = 0;       // power of one idle chip
  bool cuda = false;       // runs CUDA code
  // The host of a typical server of this chip (for pools written "chip:NxG");
  // 0 when the catalog does not say: that resource is then not modelled.
  double server_cpu_cores = 0;
  double server_memory_B = 0;
  // Values the catalog marks as estimates ("fp16_tflops", "busy_w", ...).
  std::vector<std::string> estimated;
  bool domestic() const { return family == "domestic"; }
};

// An MEE grid region (the `region` series of the carbon catalog): the valid
// values of a city's `grid`.
struct GridRegion {
  std::string id;              // "northwest"
  double carbon_kg_per_J = 0;  // the region's factor in the carbon choice's year (kg CO2/J)
};

// One server of an explicit, possibly mixed, server list (a scenario's
// `nodes` file): its accelerators and its host. 0 = not modelled.
struct ServerShape {
  int gpus = 0;
  double cpu_cores = 0;
  double memory_B = 0;
};

// A center's accelerators of one chip. Written as text "chip:count" (a flat
// pool) or "chip:NxG" (N servers of G chips): see pools_text.hpp. A pool made
// of servers is simulated server by server (node placement, fragmentation);
// a flat pool is a bag of chips.
struct Pool {
  std::string chip;    // accelerator id
  int accel = -1;      // index into Topology::accelerators
  int count = 0;       // chips in all, 1..kMaxPoolChips
  int servers = 0;     // servers of per_server chips each (count = servers x per_server);
  int per_server = 0;  // both 0 for a flat pool
  // Servers listed one by one (servers = its size, per_server = 0, count =
  // the sum of their chips); empty otherwise.
  std::vector<ServerShape> server_list;
  bool has_servers() const { return servers > 0; }
};

// Limits that keep every chip count in the int it is stored in. The engine
// splits each chip into up to kMaxVgpuSlices integer units, and a pool's
// units (chips x slices) are a SimGrid core count, an int: 2e6 x 1000 = 2e9
// < 2^31 - 1. A center's chips (the sum of its pools, one per catalog chip)
// stay far below that too.
inline constexpr int kMaxPoolChips = 2'000'000;
inline constexpr int kMaxVgpuSlices = 1000;
static_assert(static_cast<long long>(kMaxPoolChips) * kMaxVgpuSlices <= std::numeric_limits<int>::max());
static_assert(kMaxPoolChips == kMaxJobGpus, "a job may ask for at most one whole pool (sim/core/job.hpp)");

// Limits of a topology (README "Limits"), checked by the loader. Routes cost
// about n^3 log n time and n^2 x variants memory (README "Routing": 300
// cities take seconds); past these a run would take hours and gigabytes
// before it starts. Raise them here if a study needs it.
inline constexpr int kMaxCities = 400;
inline constexpr int kMaxLinks = 10'000;
inline constexpr int kMaxCarriers = 16;
// A link's capacity and latency: 1 Mbit/s .. 1 Pbit/s, 1 us .. 10 s. Beyond
// them SimGrid's sharing and the calendar lose the precision they need
// (1e308 Gbit/s is infinite in bytes/s; 1e-320 s is not a latency).
inline constexpr double kMinLinkGbps = 1e-3, kMaxLinkGbps = 1e6;
inline constexpr double kMinLinkLatency_s = 1e-6, kMaxLinkLatency_s = 10;
// The capacity rule, for the GraphML loader and for scenario overrides
// (backbone_bandwidth, bandwidth_factor) alike.
inline bool link_capacity_in_range(double gbps) { return gbps >= kMinLinkGbps && gbps <= kMaxLinkGbps; }
// A city's figures: beyond these, energy x price x PUE overflows the
// doubles of the results (a price of 1e308 printed a cost of 0 CNY).
inline constexpr double kMaxPriceCnyPerKwh = 1000;
inline constexpr double kMaxPue = 10;
inline constexpr double kMaxDemandWeight = 1e9;

struct City {
  std::string name;         // unique id, "Shanghai" (link_name.hpp says which)
  std::string name_zh;      // "上海"
  std::string province;
  double lat_deg = 0, lon_deg = 0;
  std::string grid;         // grid region id
  int grid_index = -1;      // index into Topology::grids
  double demand_weight = 0; // relative weight of jobs originating here
  double price_cny_per_J = 0;
  double pue = 1;
  std::string hub;          // East-Data-West-Compute hub cluster name, "" if none
  bool interconnect = false;// national backbone interconnection point: carriers meet here
  std::vector<Pool> pools;  // empty: no computing center
  // Carbon (carbon.hpp): the share of its electricity bought as green power
  // (0..1); and, set by apply_carbon for the run's series and year, the grid
  // factor in effect, the area it is published for ("Beijing", "north",
  // "China") and the hourly profile (-1: flat).
  double green_share = 0;
  double grid_carbon_kg_per_J = 0;
  // The published (or derived) FP16-dense capacity the pools were built from,
  // FLOP/s; 0 when the topology does not say.
  double capacity_flops = 0;
  std::string carbon_area;
  int carbon_profile = -1;
  // Attributes whose value the topology marks as an estimate (no public
  // source): names as in the GraphML ("price_cny_per_kwh", "pools", ...).
  std::vector<std::string> estimated;
  bool has_center() const { return !pools.empty(); }
};

struct Link {
  int a = -1, b = -1;       // city indices, a != b; links are full duplex
  std::string carrier;      // an id: "ct", "cm", "cu"
  int carrier_index = -1;   // index into Topology::carriers
  double bandwidth_Bps = 0; // each direction
  double latency_s = 0;     // one way
  double length_m = 0;      // 0 when the file gave latency directly
  std::string a_name, b_name;  // city names of a and b
  std::vector<std::string> estimated;  // attributes marked as estimates ("bandwidth_gbps", ...)
  std::string name() const;  // "Beijing-Tianjin/ct": see link_name.hpp
};

struct Topology {
  std::string source_file;
  std::vector<City> cities;
  std::vector<Link> links;
  std::vector<std::string> carriers;  // sorted, unique
  std::vector<Accelerator> accelerators;
  std::vector<GridRegion> grids;
  CarbonCatalog carbon;       // every published factor and hourly profile
  CarbonChoice carbon_choice; // the one in effect (year resolved), see apply_carbon
  std::string vintage;        // the data's vintage ("2025"), "" if the file does not say
  std::string sources_file;   // where its sources are listed, "" if the file does not say

  // -1 when absent.
  int city_index(std::string_view name) const;
  int accelerator_index(std::string_view id) const;
  int carrier_index(std::string_view id) const;
  std::vector<std::string> city_names() const;  // in index order
  // The city name `name` is a plausible typo of, or "" (the rule of sim/core/text.hpp).
  std::string suggest_city(std::string_view name) const;
};

// Fibre propagation: 5 us per km, times the route inflation factor used when
// an edge gives length_km instead of latency_ms (fibre routes are longer than
// the great circle; see README).
inline constexpr double kFibreSecondsPerMetre = 5e-9;
// Calibrated so the national file gives the observed backbone round trips
// (Beijing-Shanghai ~26 ms, Beijing-Guangzhou ~40 ms): regeneration, switching
// and metro legs roughly double pure propagation over the fibre route length.
inline constexpr double kRouteInflation = 2.0;

}  // namespace suanwang::topo

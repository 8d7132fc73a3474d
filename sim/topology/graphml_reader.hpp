// load_topology: reads a GraphML topology file and its two catalogs into a
// validated Topology (see topology.hpp for the invariants and README for the
// file format). Uses Boost.Graph's read_graphml with dynamic properties.
//
// Every problem (missing file, malformed XML, missing or mistyped attribute,
// unknown chip or grid, non-positive capacity, PUE < 1, a green share outside
// 0..1, duplicate city, self-loop, disconnected graph) is a UserError naming
// the file, the element (city name or "edge A-B/carrier") and what was
// expected. No Boost exception text ever reaches the user.
//
// The carbon catalog is loaded with the topology and the default carbon
// choice (province factors of the latest year, green power applied, no hourly
// profile) is applied; a scenario may apply another (carbon.hpp).
#pragma once

#include <string>

#include "sim/topology/topology.hpp"

namespace suanwang::topo {

struct CatalogPaths {
  std::string accelerators_csv;    // empty: the installed topology/accelerators.csv
  std::string carbon_factors_csv;  // empty: the installed topology/carbon_factors.csv
  std::string carbon_hourly_csv;   // empty: the installed topology/carbon_hourly.csv
  std::string carbon_areas_csv;    // empty: the installed topology/carbon_hourly_areas.csv
};

Topology load_topology(const std::string& graphml_path, const CatalogPaths& catalogs = {});

// Where the catalogs shipped with suanwang live (source tree at build time).
std::string default_accelerators_csv();
std::string default_carbon_factors_csv();
std::string default_carbon_hourly_csv();
std::string default_carbon_areas_csv();

}  // namespace suanwang::topo

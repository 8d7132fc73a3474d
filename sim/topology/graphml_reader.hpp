// load_topology: reads a GraphML topology file and its two catalogs into a
// validated Topology (see topology.hpp for the invariants and README for the
// file format). Uses Boost.Graph's read_graphml with dynamic properties.
//
// Every problem (missing file, malformed XML, missing or mistyped attribute,
// unknown chip or grid, non-positive capacity, PUE < 1, duplicate city,
// self-loop, disconnected graph) is a UserError naming the file, the element
// (city name or "edge A-B/carrier") and what was expected. No Boost exception
// text ever reaches the user.
#pragma once

#include <string>

#include "sim/topology/topology.hpp"

namespace suanwang::topo {

struct CatalogPaths {
  std::string accelerators_csv;  // empty: the installed topology/accelerators.csv
  std::string grids_csv;         // empty: the installed topology/grids.csv
};

Topology load_topology(const std::string& graphml_path, const CatalogPaths& catalogs = {});

// Where the catalogs shipped with suanwang live (source tree at build time).
std::string default_accelerators_csv();
std::string default_grids_csv();

}  // namespace suanwang::topo

// read_scenario: a scenario file's root table (after --set overrides) ->
// Scenario. The top-level keys are read here; each larger part by its own
// reader (load_context.hpp lists them). The loader (scenario_loader.cpp)
// evaluates the Lua file and validates the sweep's points with this.
#pragma once

#include <map>
#include <string>

#include "sim/lua/lua_table_reader.hpp"
#include "sim/scenario/scenario.hpp"

namespace suanwang {

struct ScenarioSource {
  std::string file;  // as given
  std::string dir;   // its folder, absolute
  std::string text;  // the file's text, kept in the results
};

// Topologies by path: a sweep reads the scenario once per point, and loads
// each topology file once.
using TopologyCache = std::map<std::string, topo::Topology>;

// Reads, validates and resolves every top-level key. `*sweep` (when sweep is
// not null) gets the raw `sweep` table, or null when there is none.
Scenario read_scenario(const ScenarioSource& src, const lua::Node& root, TopologyCache& cache,
                       const lua::Node** sweep);

}  // namespace suanwang

// apply_center_overrides: the scenario's `centers` key, applied to its copy of
// the topology.
//
//   centers = { { city = "Guiyang", pue = 1.1 }, ... }   -- a list, or
//   centers = { Guiyang = { pue = 1.1 }, ... }            -- a table by city
//
// An entry may set `pools` (the pools text of pools_text.hpp, or a table
// chip = count | "NxG"), `swap_to_chip` (every pool becomes one flat pool of
// that chip, same chip total; "none" leaves them), `pue`, `price` (replaces
// the city's price) and `price_factor` (multiplies it, after `price`). A city
// may appear once. The applied values are what the engine sees; the text of
// each is recorded in Scenario::resolved under centers.<entry>.<key>.
#pragma once

#include "sim/lua/lua_table_reader.hpp"
#include "sim/scenario/load_context.hpp"
#include "sim/topology/topology.hpp"

namespace suanwang {

void apply_center_overrides(lua::TableReader& root, const LoadContext& lc, topo::Topology& topology);

}  // namespace suanwang

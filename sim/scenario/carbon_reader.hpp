// The scenario's `carbon` table: which published CO2 factors a run charges
// and how (sim/topology/carbon.hpp):
//   carbon = { series = "province", year = 2023, green_power = true, hourly = false }
// series: a series of topology/carbon_factors.csv ("province", "region",
// "national", ...; default "province"); year: one it publishes (default: its
// latest); green_power: charge (1 - green_share) x the grid factor (default
// true); hourly: follow the hourly profiles (default false: the annual
// factor all day). Applied to the scenario's topology after the centers
// overrides (which may set centers.*.green_share).
#pragma once

#include "sim/lua/lua_table_reader.hpp"
#include "sim/topology/topology.hpp"

namespace suanwang {

void read_carbon(lua::TableReader& root, topo::Topology& topology);

}  // namespace suanwang

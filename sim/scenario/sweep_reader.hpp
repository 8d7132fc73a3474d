// The scenario's `sweep` table and its replication count.
//
//   sweep = { axes = { policy = { "nearest", "least_loaded" } }, replications = 3 }
//   sweep = { ["params.alpha"] = { 0.1, 0.5 } }          -- axes as keys of sweep
//   replications = 3                                       -- or at the top level
//
// An axis is a dotted scenario key and a non-empty list of scalar values
// (rendered as --set values). Whether every point gives a valid scenario is
// checked by the loader (scenario_loader.cpp), which can build one.
#pragma once

#include <string>
#include <vector>

#include "sim/lua/lua_table_reader.hpp"
#include "sim/scenario/scenario.hpp"

namespace suanwang {

// The axes of the sweep table `sweep`, in the order of their keys.
std::vector<SweepAxis> read_sweep_axes(const lua::Node& sweep, const std::string& file);

// The replication count: top-level `replications` or `sweep.replications`
// (not both); `sweep` may be null.
int read_replications(lua::TableReader& root, const lua::Node* sweep, int def);

// UserError when the sweep has more than kMaxSweepPoints points.
void check_sweep_size(const std::vector<SweepAxis>& axes, int replications, const std::string& file);

}  // namespace suanwang

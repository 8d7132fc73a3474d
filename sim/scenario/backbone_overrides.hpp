// apply_backbone_overrides: what-ifs on the backbone's capacity without
// editing the topology file, applied to the scenario's copy of it:
//   backbone_bandwidth (a bandwidth > 0, "800Gbps"; default: the topology's):
//     every backbone link's capacity, per direction, becomes this value;
//   bandwidth_factor (a number > 0, default 1): then multiplies every link's
//     capacity ("the backbone at 2x").
// Routes are chosen by latency, so they do not change; the links as
// simulated (network/links in the HDF5 file) carry the new capacity. Errors
// name their key (one line, exit 2), the same for `check` and `run`.
#pragma once

#include "sim/lua/lua_table_reader.hpp"
#include "sim/topology/topology.hpp"

namespace suanwang {

void apply_backbone_overrides(lua::TableReader& root, topo::Topology& topology);

}  // namespace suanwang

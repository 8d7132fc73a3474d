// apply_bandwidth_factor: the scenario's `bandwidth_factor` key (a number
// > 0, default 1) multiplies the capacity of every backbone link of its copy
// of the topology: a what-if on bandwidth ("the backbone at 2x") without
// editing the topology file. Routes are chosen by latency, so they do not
// change; the links as simulated (network/links in the HDF5 file) carry the
// scaled capacity.
#pragma once

#include "sim/lua/lua_table_reader.hpp"
#include "sim/topology/topology.hpp"

namespace suanwang {

void apply_bandwidth_factor(lua::TableReader& root, topo::Topology& topology);

}  // namespace suanwang

// load_node_list: a center's servers listed one by one, from a CSV file.
//
// One row per server. Columns, found by name (others are ignored):
//   gpu          accelerators on the server (an integer >= 0; 0: a CPU-only
//                server, which holds no accelerator and is left out)
//   cpu_milli    host CPU in milli-cores   } optional, the Alibaba PAI
//   memory_mib   host memory in MiB        } openb node-list columns
// Every server gets the chip `chip` (a node list describes one pool). The
// result is a Pool whose server_list holds the servers in file order.
// Errors (missing file or column, a bad number, no server with accelerators,
// more than the pool limit) are UserErrors naming the file and line.
#pragma once

#include <string>

#include "sim/topology/topology.hpp"

namespace suanwang::topo {

Pool load_node_list(const std::string& csv_path, const std::string& chip, const std::vector<Accelerator>& catalog);

}  // namespace suanwang::topo

// read_workload: the scenario's `workload` list -> WorkloadSpec.
//
// Each entry is a generator (the default: synthetic arrivals at `rate`), a
// trace (it has `trace = "path"`) or a service (it has `service = "name"`);
// README "Scenario reference" lists every key with its unit and default (the
// defaults themselves live in workload_spec.hpp). City names resolve against
// the topology; trace paths against the scenario's folder.
#pragma once

#include "sim/lua/lua_table_reader.hpp"
#include "sim/scenario/load_context.hpp"
#include "sim/workload/workload_spec.hpp"

namespace suanwang {

WorkloadSpec read_workload(lua::TableReader& root, const LoadContext& lc);

}  // namespace suanwang

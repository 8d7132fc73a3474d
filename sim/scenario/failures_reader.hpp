// read_failures: the scenario's `failures` table -> FailureSpec.
//
//   failures = {
//     links   = { { link = "A-B/carrier" | "carrier:ID", at = "12h", ["for"] = "2h" }, ... },
//     centers = { { city = "Guiyang", at = "1d", ["for"] = "2h" }, ... },
//     random  = { link_mtbf = "30d", link_mttr = "4h", center_mtbf = ..., center_mttr = ... },
//     max_restarts = 10,
//   }
// Link names are checked with topo::resolve_link_name, the function the
// engine resolves them with, so a name accepted here is a name that runs.
#pragma once

#include "sim/lua/lua_table_reader.hpp"
#include "sim/scenario/load_context.hpp"
#include "sim/scenario/scenario.hpp"

namespace suanwang {

FailureSpec read_failures(lua::TableReader& root, const LoadContext& lc);

}  // namespace suanwang

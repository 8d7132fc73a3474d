// The `params` global of a policy: the scenario's params table, rebuilt in Lua
// from the flattened dotted keys of Scenario::params ("weights.carbon" ->
// params.weights.carbon) and read-only at every level.
#pragma once

#include <map>
#include <string>

#include "sim/scenario/scenario.hpp"

struct lua_State;

namespace suanwang::lua {

// Pushes the nested, read-only `params` table.
void push_params(lua_State* L, const std::map<std::string, ParamValue>& params);

}  // namespace suanwang::lua

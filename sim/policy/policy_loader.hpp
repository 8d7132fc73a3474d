// Building the scenario's policy: the one place that knows policies are Lua.
#pragma once

#include <memory>
#include <string>

#include "sim/policy/policy.hpp"
#include "sim/scenario/scenario.hpp"

namespace suanwang {

// Loads sc.policy_path into a LuaPolicy: require() may read the built-in
// policies folder (SUANWANG_POLICIES_DIR, for `require "lib.util"`) and the
// scenario's folder; the instruction budget and math.random seed come from
// the scenario. Throws UserError (the message names the policy file).
std::unique_ptr<Policy> load_policy(const Scenario& sc);

// The policy's source text, recorded with the run for reproducibility.
std::string read_policy_text(const Scenario& sc);

// The built-in policies folder (policies/ of the source tree).
std::string policies_dir();

}  // namespace suanwang

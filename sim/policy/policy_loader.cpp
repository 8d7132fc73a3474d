#include "sim/policy/policy_loader.hpp"

#include <fstream>
#include <sstream>

#include "sim/core/user_error.hpp"
#include "sim/policy/lua_policy.hpp"

namespace suanwang {

std::string policies_dir() { return SUANWANG_POLICIES_DIR; }

std::unique_ptr<Policy> load_policy(const Scenario& sc) {
  lua::SandboxOptions opt;
  opt.require_dirs = {policies_dir()};
  if (!sc.dir.empty()) opt.require_dirs.push_back(sc.dir);
  opt.instruction_budget = sc.instruction_budget;
  opt.time_limit_s = sc.hook_time_limit_s;
  opt.memory_limit_B = static_cast<std::size_t>(sc.policy_memory_B);
  opt.name = sc.policy_path;
  opt.budget_key = "instruction_budget";
  opt.time_key = "hook_time_limit";
  opt.memory_key = "policy_memory";
  opt.seed = sc.seed;
  const std::string name =
      sc.policy_name.empty() ? std::string("policy") : sc.policy_name;
  return std::make_unique<LuaPolicy>(sc.policy_path, name, sc.params, std::move(opt), sc.topology);
}

std::string read_policy_text(const Scenario& sc) {
  std::ifstream in(sc.policy_path, std::ios::binary);
  if (!in) throw UserError(sc.policy_path, "", "cannot read the policy file");
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace suanwang

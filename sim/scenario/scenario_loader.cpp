// load_scenario: a Lua scenario file -> Scenario. See scenario.hpp and the
// README "Scenario reference" (the key table) for the contract.
//
// The steps: read the file, evaluate it in the sandbox (a table comes back),
// copy that table into a plain Node tree, apply the --set overrides to the
// tree, read the tree (scenario_reader.hpp), and when there is a sweep, read
// its axes and check that every point gives a valid scenario.
#include <lua5.4/lua.hpp>

#include <functional>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "sim/core/text.hpp"
#include "sim/core/user_error.hpp"
#include "sim/lua/lua_sandbox.hpp"
#include "sim/lua/lua_table_reader.hpp"
#include "sim/scenario/scenario.hpp"
#include "sim/scenario/scenario_reader.hpp"
#include "sim/scenario/sweep_reader.hpp"

namespace fs = std::filesystem;

namespace suanwang {

namespace {

using lua::Node;

// A scenario builds tables; it does not compute for long, nor hold much.
// Fixed limits (README "Limits"): 10^8 instructions, 10 s and 256 MB for the
// file, each --set table and each module it requires.
constexpr std::uint64_t kScenarioInstructionBudget = 100000000;  // 10^8
constexpr double kScenarioTimeLimit_s = 10;
constexpr std::size_t kScenarioMemory_B = 256000000;

ScenarioSource read_source(const std::string& path) {
  ScenarioSource src;
  src.file = path;
  std::ifstream in(path, std::ios::binary);
  if (!in) throw UserError(path, "", "cannot open the scenario file");
  std::ostringstream text;
  text << in.rdbuf();
  src.text = text.str();
  std::error_code ec;
  const fs::path abs = fs::absolute(path, ec);
  const fs::path dir = (ec ? fs::path(path) : abs).parent_path().lexically_normal();
  src.dir = dir.empty() ? fs::path(".").string() : dir.string();
  return src;
}

// Runs the file in a sandbox whose `require` stays in the file's folder, with
// a fixed seed (a scenario that calls math.random reads the same every time).
Node evaluate(lua::Sandbox& sandbox, const std::string& path) {
  lua_State* L = sandbox.L();
  sandbox.run_file(path, 1);
  if (!lua_istable(L, -1)) {
    const std::string got = luaL_typename(L, -1);
    lua_pop(L, 1);
    throw UserError(path, "", "the scenario file must return a table (got " + got +
                                  "); write `return { name = ..., workload = { ... } }`");
  }
  Node root = lua::node_from_lua(L, -1, path, "");
  lua_pop(L, 1);
  return root;
}

// A value in braces (--set, sweep axes) is a Lua table constructor for `key`,
// evaluated in the scenario's sandbox; its errors name the override
// ("--set params.x: key 'params.x[1]': ...").
std::function<Node(const std::string&)> table_evaluator(lua::Sandbox& sandbox, const std::string& key) {
  return [&sandbox, where = "--set " + key, key](const std::string& text) {
    lua_State* L = sandbox.L();
    sandbox.run_string("return " + text, where, 1);
    Node n = lua::node_from_lua(L, -1, where, key);
    lua_pop(L, 1);
    return n;
  };
}

void apply_overrides(lua::Sandbox& sandbox, Node& root, const std::vector<Override>& overrides) {
  for (const Override& o : overrides) lua::apply_override(root, o.key, o.value, table_evaluator(sandbox, o.key));
}

// Every point of every axis must give a valid scenario: a typo in an axis key
// or value is caught now, not in the middle of a sweep.
void check_sweep_points(const ScenarioSource& src, lua::Sandbox& sandbox, const Node& root, TopologyCache& cache,
                        Scenario& sc) {
  for (const SweepAxis& ax : sc.sweep) {
    const auto eval_table = table_evaluator(sandbox, ax.key);
    for (const std::string& value : ax.values) {
      Node copy = root;
      try {
        lua::apply_override(copy, ax.key, value, eval_table);
        read_scenario(src, copy, cache, nullptr);
      } catch (const UserError& e) {
        throw UserError(src.file, "sweep axis '" + ax.key + "' = " + value, e.what());
      }
    }
    sc.resolved["sweep." + ax.key] = text::join(ax.values, ",");
  }
}

}  // namespace

Scenario load_scenario(const std::string& path, const std::vector<Override>& overrides) {
  const ScenarioSource src = read_source(path);
  lua::SandboxOptions options;
  options.require_dirs = {src.dir};
  options.instruction_budget = kScenarioInstructionBudget;
  options.time_limit_s = kScenarioTimeLimit_s;
  options.memory_limit_B = kScenarioMemory_B;
  options.name = path;
  options.seed = 1;
  lua::Sandbox sandbox(options);
  Node root = evaluate(sandbox, path);
  apply_overrides(sandbox, root, overrides);
  TopologyCache cache;
  const Node* sweep = nullptr;
  Scenario sc = read_scenario(src, root, cache, &sweep);
  if (sweep) {
    sc.sweep = read_sweep_axes(*sweep, src.file);
    check_sweep_size(sc.sweep, sc.replications, src.file);
    check_sweep_points(src, sandbox, root, cache, sc);
  }
  return sc;
}

}  // namespace suanwang

namespace suanwang {

const char* to_string(QueueDiscipline d) {
  switch (d) {
    case QueueDiscipline::fcfs: return "fcfs";
    case QueueDiscipline::easy: return "easy";
    case QueueDiscipline::easy_servers: return "easy_servers";
    case QueueDiscipline::none: return "none";
  }
  return "?";
}

}  // namespace suanwang

namespace suanwang {

namespace {

struct NodePolicyName {
  NodePolicy policy;
  const char* name;
};
constexpr NodePolicyName kNodePolicies[] = {
    {NodePolicy::random_fit, "random_fit"}, {NodePolicy::best_fit, "best_fit"},
    {NodePolicy::worst_fit, "worst_fit"},   {NodePolicy::dot_product, "dot_product"},
    {NodePolicy::packing, "packing"},       {NodePolicy::fgd, "fgd"}};

}  // namespace

const char* to_string(NodePolicy p) {
  for (const NodePolicyName& n : kNodePolicies)
    if (n.policy == p) return n.name;
  return "?";
}

bool parse_node_policy(const std::string& text, NodePolicy* out) {
  for (const NodePolicyName& n : kNodePolicies)
    if (text == n.name) {
      *out = n.policy;
      return true;
    }
  return false;
}

const std::vector<std::string>& node_policy_names() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> v;
    for (const NodePolicyName& n : kNodePolicies) v.emplace_back(n.name);
    return v;
  }();
  return names;
}

}  // namespace suanwang

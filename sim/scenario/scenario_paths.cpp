#include "sim/scenario/scenario_paths.hpp"

#include <algorithm>
#include <filesystem>

#include "sim/core/text.hpp"

#ifndef SUANWANG_POLICIES_DIR
#define SUANWANG_POLICIES_DIR "policies"
#endif
#ifndef SUANWANG_TOPOLOGY_DIR
#define SUANWANG_TOPOLOGY_DIR "topology"
#endif

namespace fs = std::filesystem;

namespace suanwang {

namespace {

constexpr const char* kDefaultPolicy = "least_loaded";

bool is_bare_name(const std::string& s) {
  return s.find('/') == std::string::npos && s.find('\\') == std::string::npos;
}

bool ends_with(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// The policy `v` names when it is not a file: a missing built-in, a typo of
// one, or a path that is not there.
[[noreturn]] void policy_not_found(lua::TableReader& r, const std::string& v, bool bare, const std::string& tried) {
  const auto& b = builtin_policies();
  if (bare && std::find(b.begin(), b.end(), v) != b.end())
    r.fail("policy", "built-in policy '" + v + "' not found at " + SUANWANG_POLICIES_DIR + "/" + v + ".lua");
  if (bare)
    r.fail("policy", "unknown policy " + text::quote(v) + text::did_you_mean(v, b) + "; built-ins: " + text::join(b) +
                         "; or a path to a .lua file");
  r.fail("policy", "policy file not found: " + tried);
}

}  // namespace

const std::vector<std::string>& builtin_policies() {
  static const std::vector<std::string> names = {
      "random", "round_robin", "nearest", "least_loaded", "cheapest_energy", "lowest_carbon",
      "east_data_west_compute", "latency_aware_inference", "carbon_aware", "data_local", "split_training"};
  return names;
}

bool is_file(const std::string& path) {
  std::error_code ec;
  return fs::is_regular_file(path, ec);
}

std::string resolve_against(const std::string& dir, const std::string& path) {
  const fs::path p(path);
  if (p.is_absolute()) return p.lexically_normal().string();
  return (fs::path(dir) / p).lexically_normal().string();
}

std::string resolve_topology(lua::TableReader& r, const std::string& dir) {
  const std::string def = std::string(SUANWANG_TOPOLOGY_DIR) + "/china.graphml";
  const auto given = r.opt_string("topology");
  if (!given) return def;
  const std::string p = resolve_against(dir, *given);
  if (is_file(p)) return p;
  if (is_bare_name(*given)) {
    for (const std::string& c : {std::string(SUANWANG_TOPOLOGY_DIR) + "/" + *given,
                                 std::string(SUANWANG_TOPOLOGY_DIR) + "/" + *given + ".graphml"})
      if (is_file(c)) return c;
  }
  r.fail("topology", "topology file not found: " + p);
}

PolicyFile resolve_policy(lua::TableReader& r, const std::string& dir) {
  const std::string v = r.string("policy", kDefaultPolicy);
  if (v.empty()) r.fail("policy", "expected a built-in policy name or a path to a .lua file");
  const bool bare = is_bare_name(v) && !ends_with(v, ".lua");
  if (bare) {
    const std::string p = std::string(SUANWANG_POLICIES_DIR) + "/" + v + ".lua";
    if (is_file(p)) return {p, v};
  }
  std::string p = resolve_against(dir, v);
  if (!is_file(p) && !ends_with(p, ".lua") && is_file(p + ".lua")) p += ".lua";
  if (is_file(p)) return {p, fs::path(p).stem().string()};
  policy_not_found(r, v, bare, p);
}

}  // namespace suanwang

// Where a scenario's files are: its topology, its policy and its traces.
//
// A relative path resolves against the scenario file's folder. A bare name
// (no '/') may also name a shipped file: `topology = "china"` is
// topology/china.graphml, `policy = "nearest"` is policies/nearest.lua (a
// built-in policy). A file that is not there is a UserError naming the path
// tried (and for a mistyped built-in, the closest name).
#pragma once

#include <string>
#include <vector>

#include "sim/lua/lua_table_reader.hpp"

namespace suanwang {

bool is_file(const std::string& path);
// `path` made absolute against `dir` (unless it already is), normalized.
std::string resolve_against(const std::string& dir, const std::string& path);

// The topology file of the `topology` key (default: the national topology).
std::string resolve_topology(lua::TableReader& r, const std::string& dir);

struct PolicyFile {
  std::string path;  // the resolved .lua file
  std::string name;  // the built-in's name, or the file's stem
};
// The policy of the `policy` key (default: least_loaded).
PolicyFile resolve_policy(lua::TableReader& r, const std::string& dir);

// The names of the built-in policies (policies/<name>.lua).
const std::vector<std::string>& builtin_policies();

}  // namespace suanwang

// LuaTableReader: a Lua table copied into plain C++ (Node), and typed,
// key-path-aware access to it for the scenario loader.
//
// The scenario file's returned table is copied once into a Node tree; --set
// overrides are applied to that tree (before any validation), and the loader
// then reads it through TableReader, which
//  - names every value by its key path ("workload[2].duration") in errors,
//  - parses unit strings with units::parse (bare numbers are SI),
//  - records every key it was asked about, so finish() can reject unknown keys
//    with an edit-distance suggestion ("did you mean 'duration'?"),
//  - records every resolved scalar as text for Scenario::resolved.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "sim/core/units.hpp"
#include "sim/core/user_error.hpp"

struct lua_State;

namespace suanwang::lua {

struct Node {
  enum class Type { nil, boolean, number, string, table };
  Type type = Type::nil;
  bool boolean = false;
  double number = 0;
  bool integer = false;  // a Lua integer (or a float with an integral value from --set)
  std::string string;
  std::vector<Node> items;               // t[1..n]
  std::map<std::string, Node> fields;    // string keys
  bool from_override = false;            // created by --set (for messages)

  bool is_table() const { return type == Type::table; }
  static const char* type_name(Type t);
  const char* type_name() const { return type_name(type); }
};

// Copies the value at `index` (a table, recursively) into a Node. `path` names
// it in errors; `file` is the scenario file. Functions, userdata, threads,
// non-string non-sequence keys are UserErrors.
Node node_from_lua(lua_State* L, int index, const std::string& file, const std::string& path);

// Applies one --set override: dotted key ("workload.1.rate"), numeric
// segments index lists (1-based; n+1 appends), missing tables are created.
// Value text: true/false, numbers, "nil" (removes the key), {...} table
// constructors (evaluated by `eval_table`, may be null), 'quoted' or "quoted"
// strings, anything else a string.
void apply_override(Node& root, const std::string& key, const std::string& value,
                    const std::function<Node(const std::string&)>& eval_table);

// Parses an override value that is not a table constructor.
Node parse_override_value(const std::string& value);

// Renders a scalar as override text ("1", "0.8", "true", "nearest").
std::string render_scalar(const Node& n);

// How every message names a value of the scenario: "key 'workload[2].rate'".
std::string key_element(const std::string& path);
// A UserError about the value at key path `path` of `file`.
UserError key_error(const std::string& file, const std::string& path, const std::string& what);

struct ReadContext {
  std::string file;                              // scenario file (as given)
  std::map<std::string, std::string>* resolved = nullptr;
};

class TableReader {
 public:
  // `path` is the error path of this table ("" for the root, "workload[2]");
  // `dotted` is its --set form ("", "workload.2").
  TableReader(const Node& node, std::string path, std::string dotted, ReadContext& ctx);

  const std::string& path() const { return path_; }
  const std::string& dotted() const { return dotted_; }
  std::string key_path(const std::string& key) const;     // "workload[2].rate"
  std::string dotted_key(const std::string& key) const;   // "workload.2.rate"
  ReadContext& ctx() const { return ctx_; }

  // Declares `key` as known and returns its node, or null when absent or nil.
  const Node* get(const std::string& key);
  bool has(const std::string& key);

  [[noreturn]] void fail(const std::string& key, const std::string& what) const;
  // For a value below this table that is not one of its keys ("values[3]").
  [[noreturn]] void fail_at(const std::string& path, const std::string& what) const;
  [[noreturn]] void fail_type(const std::string& key, const Node& n, const char* expected) const;

  std::string string(const std::string& key, const std::string& def);
  std::optional<std::string> opt_string(const std::string& key);
  bool boolean(const std::string& key, bool def);
  double number(const std::string& key, double def);
  std::optional<double> opt_number(const std::string& key);
  long long integer(const std::string& key, long long def);
  // Number or unit string of the given dimension.
  double quantity(const std::string& key, units::Dimension dim, double def);
  std::optional<double> opt_quantity(const std::string& key, units::Dimension dim);
  // One of `choices`.
  std::string choice(const std::string& key, const std::vector<std::string>& choices,
                     const std::string& def);

  void record(const std::string& key, const std::string& text) const;

  // Rejects every field not asked about, with a suggestion; rejects list
  // entries when `allow_items` is false.
  void finish(bool allow_items = false) const;

 private:
  const Node& node_;
  std::string path_, dotted_;
  ReadContext& ctx_;
  std::set<std::string> known_;
};

// A scalar quantity from a node (number or unit string).
double quantity_of(const Node& n, units::Dimension dim, const std::string& file,
                   const std::string& path);
std::string format_number(double v);

}  // namespace suanwang::lua

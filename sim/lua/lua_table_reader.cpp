#include "sim/lua/lua_table_reader.hpp"

#include <lua5.4/lua.hpp>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <limits>

#include "sim/core/text.hpp"
#include "sim/core/user_error.hpp"

namespace suanwang::lua {

const char* Node::type_name(Type t) {
  switch (t) {
    case Type::nil: return "nil";
    case Type::boolean: return "boolean";
    case Type::number: return "number";
    case Type::string: return "string";
    case Type::table: return "table";
  }
  return "?";
}

std::string format_number(double v) {
  if (std::isfinite(v) && v == std::floor(v) && std::fabs(v) < 9.007199254740992e15) {
    return std::to_string(static_cast<long long>(v));
  }
  char buf[64];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
  return ec == std::errc() ? std::string(buf, end) : std::to_string(v);
}

namespace {

std::string index_path(const std::string& path, std::size_t i) {
  return path + "[" + std::to_string(i) + "]";
}
std::string field_path(const std::string& path, const std::string& key) {
  return path.empty() ? key : path + "." + key;
}

}  // namespace

namespace {

// Limits of a table copied from Lua (README "Limits"): scenarios are a few
// levels deep and a few thousand values; these stop a cyclic, absurdly deep
// or absurdly large table before it costs a stack overflow or gigabytes.
constexpr int kMaxTableDepth = 64;
constexpr std::size_t kMaxTableValues = 1000000;

// A key that is neither a name nor a list position, described without
// running any of its metamethods (this code runs outside a protected call).
std::string describe_key(lua_State* L, int index) {
  switch (lua_type(L, index)) {
    case LUA_TNUMBER: {
      lua_pushvalue(L, index);  // lua_tostring converts in place: work on a copy
      std::string s = lua_tostring(L, -1);
      lua_pop(L, 1);
      return s;
    }
    case LUA_TBOOLEAN: return lua_toboolean(L, index) ? "true" : "false";
    default: return std::string("(a ") + luaL_typename(L, index) + ")";
  }
}

class NodeCopier {
 public:
  NodeCopier(lua_State* L, const std::string& file) : L_(L), file_(file) {}

  Node copy(int index, const std::string& path) {
    index = lua_absindex(L_, index);
    if (++values_ > kMaxTableValues)
      throw UserError(file_, key_element(shown(path)),
                      "more than " + std::to_string(kMaxTableValues) + " values (expected a scenario, not a data set)");
    Node n;
    switch (lua_type(L_, index)) {
      case LUA_TNIL: n.type = Node::Type::nil; return n;
      case LUA_TBOOLEAN:
        n.type = Node::Type::boolean;
        n.boolean = lua_toboolean(L_, index);
        return n;
      case LUA_TNUMBER:
        n.type = Node::Type::number;
        n.integer = lua_isinteger(L_, index);
        n.number = lua_tonumber(L_, index);
        return n;
      case LUA_TSTRING: {
        n.type = Node::Type::string;
        std::size_t len = 0;
        const char* s = lua_tolstring(L_, index, &len);
        n.string.assign(s, len);
        return n;
      }
      case LUA_TTABLE: return copy_table(index, path);
      default:
        throw UserError(file_, key_element(shown(path)),
                        std::string("a ") + luaL_typename(L_, index) +
                            " cannot be a scenario value (expected a number, string, boolean or table)");
    }
  }

 private:
  // The table at absolute `index`: checked for cycles and depth, its keys
  // read first, then its values in key order.
  Node copy_table(int index, const std::string& path) {
    Node n;
    const void* self = lua_topointer(L_, index);
    for (const void* p : open_)
      if (p == self)
        throw UserError(file_, key_element(shown(path)), "the table contains itself (expected a tree of tables, no cycle)");
    if (static_cast<int>(open_.size()) >= kMaxTableDepth)
      throw UserError(file_, key_element(shown(path)),
                      "tables nested more than " + std::to_string(kMaxTableDepth) + " deep");
    if (!lua_checkstack(L_, 4)) throw UserError(file_, key_element(shown(path)), "tables nested too deep");
    open_.push_back(self);
    n.type = Node::Type::table;
    // Keys first, then values in key order: the same scenario gives the same
    // error every time (Lua's traversal order of names changes from run to
    // run, so a limit used to be met at a different key by run and check).
    std::vector<std::string> names;
    std::vector<lua_Integer> positions;
    lua_pushnil(L_);
    while (lua_next(L_, index) != 0) {  // raw: no metamethod runs here
      if (names.size() + positions.size() >= kMaxTableValues) {
        lua_pop(L_, 2);
        throw UserError(file_, key_element(shown(path)),
                        "more than " + std::to_string(kMaxTableValues) + " values (expected a scenario, not a data set)");
      }
      if (lua_type(L_, -2) == LUA_TSTRING) {
        std::size_t len = 0;
        const char* k = lua_tolstring(L_, -2, &len);  // a string key: no conversion in place
        names.emplace_back(k, len);
      } else if (lua_type(L_, -2) == LUA_TNUMBER && lua_isinteger(L_, -2)) {
        positions.push_back(lua_tointeger(L_, -2));
      } else {
        const std::string key = describe_key(L_, -2);
        lua_pop(L_, 2);
        throw UserError(file_, key_element(field_path(path, key)),
                        "table keys must be names or list positions 1, 2, 3...");
      }
      lua_pop(L_, 1);
    }
    std::sort(names.begin(), names.end());
    std::sort(positions.begin(), positions.end());
    for (std::size_t i = 0; i < positions.size(); ++i)
      if (positions[i] != static_cast<lua_Integer>(i + 1))
        throw UserError(file_, key_element(index_path(path, static_cast<std::size_t>(positions[i]))),
                        "list positions must run 1, 2, 3... without holes");
    for (const std::string& key : names) {
      lua_pushlstring(L_, key.data(), key.size());
      lua_rawget(L_, index);
      n.fields[key] = copy(-1, field_path(path, key));
      lua_pop(L_, 1);
    }
    n.items.reserve(positions.size());
    for (const lua_Integer k : positions) {
      lua_rawgeti(L_, index, k);
      n.items.push_back(copy(-1, index_path(path, static_cast<std::size_t>(k))));
      lua_pop(L_, 1);
    }
    open_.pop_back();
    return n;
  }

  static std::string shown(const std::string& path) { return path.empty() ? std::string("(scenario)") : path; }

  lua_State* L_;
  const std::string& file_;
  std::vector<const void*> open_;  // tables being copied, outermost first
  std::size_t values_ = 0;
};

}  // namespace

// Copies without recursion limits of Lua's own (lua_next is raw) and with
// ours: depth, cycles and size (NodeCopier).
Node node_from_lua(lua_State* L, int index, const std::string& file, const std::string& path) {
  NodeCopier c(L, file);
  return c.copy(index, path);
}

Node parse_override_value(const std::string& value) {
  Node n;
  if (value == "true" || value == "false") {
    n.type = Node::Type::boolean;
    n.boolean = value == "true";
    return n;
  }
  if (value == "nil") return n;
  if (value.size() >= 2 && (value.front() == '"' || value.front() == '\'') &&
      value.back() == value.front()) {
    n.type = Node::Type::string;
    n.string = value.substr(1, value.size() - 2);
    return n;
  }
  // A plain number (no unit): Lua literal.
  std::string_view s = value;
  if (!s.empty() && s.front() == '+') s.remove_prefix(1);
  double v = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v, std::chars_format::general);
  if (!s.empty() && ec == std::errc() && end == s.data() + s.size() && std::isfinite(v)) {
    n.type = Node::Type::number;
    n.number = v;
    n.integer = s.find_first_of(".eE") == std::string_view::npos;
    return n;
  }
  n.type = Node::Type::string;
  n.string = value;
  return n;
}

std::string render_scalar(const Node& n) {
  switch (n.type) {
    case Node::Type::boolean: return n.boolean ? "true" : "false";
    case Node::Type::number: return format_number(n.number);
    case Node::Type::string: return n.string;
    case Node::Type::nil: return "nil";
    case Node::Type::table: break;
  }
  return "";
}

namespace {

// "workload.1.rate" -> {"workload", "1", "rate"}; an empty segment is an error.
std::vector<std::string> split_key(const std::string& key, const std::string& where) {
  if (key.empty()) throw UserError("", where, "empty key");
  std::vector<std::string> segs;
  for (std::size_t start = 0;;) {
    const std::size_t dot = key.find('.', start);
    segs.push_back(key.substr(start, dot == std::string::npos ? std::string::npos : dot - start));
    if (segs.back().empty()) throw UserError("", where, "empty segment in key '" + key + "'");
    if (dot == std::string::npos) return segs;
    start = dot + 1;
  }
}

Node override_value(const std::string& value, const std::string& where,
                    const std::function<Node(const std::string&)>& eval_table) {
  Node val;
  if (!value.empty() && value.front() == '{') {
    if (!eval_table) throw UserError("", where, "table values are not accepted here");
    val = eval_table(value);
  } else {
    val = parse_override_value(value);
  }
  val.from_override = true;
  return val;
}

// Makes `n` a table: a nil becomes an empty one, anything else is an error
// naming the first `depth` segments.
void make_table(Node& n, const std::vector<std::string>& segs, std::size_t depth, const std::string& where) {
  if (n.type == Node::Type::table) return;
  if (n.type != Node::Type::nil) {
    std::string prefix;
    for (std::size_t j = 0; j < depth; ++j) prefix += (j ? "." : "") + segs[j];
    throw UserError("", where, "'" + prefix + "' is a " + n.type_name() + ", not a table");
  }
  n.type = Node::Type::table;
  n.from_override = true;
}

// Entry `seg` (a list position, n+1 appends) of the table `t`. With `remove`
// the entry is removed instead and the result is null.
Node* list_entry(Node& t, const std::string& seg, bool remove, const std::string& where) {
  const std::size_t idx = seg.size() > 9 ? 0 : std::stoul(seg), n = t.items.size();  // 0: out of range
  if (idx == 0 || idx > n + 1)
    throw UserError("", where, "list position " + seg + " out of range (the list has " + std::to_string(n) +
                                   " entries; use 1.." + std::to_string(n + 1) + ")");
  if (remove) {
    if (idx == n + 1) return nullptr;
    if (idx != n) throw UserError("", where, "only the last list entry can be removed");
    t.items.pop_back();
    return nullptr;
  }
  if (idx == n + 1) {
    t.items.emplace_back();
    t.items.back().from_override = true;
  }
  return &t.items[idx - 1];
}

// Field `seg` of the table `t`, created when missing; with `remove`, erased (null).
Node* field_entry(Node& t, const std::string& seg, bool remove) {
  if (remove) {
    t.fields.erase(seg);
    return nullptr;
  }
  auto it = t.fields.find(seg);
  if (it == t.fields.end()) {
    it = t.fields.emplace(seg, Node{}).first;
    it->second.from_override = true;
  }
  return &it->second;
}

}  // namespace

void apply_override(Node& root, const std::string& key, const std::string& value,
                    const std::function<Node(const std::string&)>& eval_table) {
  const std::string where = "--set " + key + "=" + value;
  const std::vector<std::string> segs = split_key(key, where);
  Node val = override_value(value, where, eval_table);
  Node* cur = &root;
  for (std::size_t i = 0; i < segs.size(); ++i) {
    const std::string& seg = segs[i];
    const bool last = i + 1 == segs.size();
    const bool remove = last && val.type == Node::Type::nil;
    make_table(*cur, segs, i, where);
    const bool numeric = std::all_of(seg.begin(), seg.end(), [](char c) { return c >= '0' && c <= '9'; });
    Node* next = numeric ? list_entry(*cur, seg, remove, where) : field_entry(*cur, seg, remove);
    if (!next) return;  // removed
    if (last) {
      *next = std::move(val);
      return;
    }
    cur = next;
  }
}

std::string key_element(const std::string& path) { return "key '" + path + "'"; }

UserError key_error(const std::string& file, const std::string& path, const std::string& what) {
  return UserError(file, key_element(path), what);
}

// ---------------------------------------------------------------- TableReader

TableReader::TableReader(const Node& node, std::string path, std::string dotted, ReadContext& ctx)
    : node_(node), path_(std::move(path)), dotted_(std::move(dotted)), ctx_(ctx) {}

std::string TableReader::key_path(const std::string& key) const { return field_path(path_, key); }
std::string TableReader::dotted_key(const std::string& key) const {
  return dotted_.empty() ? key : dotted_ + "." + key;
}

const Node* TableReader::get(const std::string& key) {
  known_.insert(key);
  auto it = node_.fields.find(key);
  if (it == node_.fields.end() || it->second.type == Node::Type::nil) return nullptr;
  return &it->second;
}

bool TableReader::has(const std::string& key) { return get(key) != nullptr; }

void TableReader::fail(const std::string& key, const std::string& what) const { fail_at(key_path(key), what); }

void TableReader::fail_at(const std::string& path, const std::string& what) const {
  throw key_error(ctx_.file, path, what);
}

void TableReader::fail_type(const std::string& key, const Node& n, const char* expected) const {
  fail(key, std::string("expected ") + expected + ", got " + n.type_name() +
                (n.type == Node::Type::string ? " \"" + n.string + "\"" : std::string()));
}

void TableReader::record(const std::string& key, const std::string& text) const {
  if (ctx_.resolved) (*ctx_.resolved)[dotted_key(key)] = text;
}

std::string TableReader::string(const std::string& key, const std::string& def) {
  auto v = opt_string(key);
  if (!v) {
    record(key, def);
    return def;
  }
  return *v;
}

std::optional<std::string> TableReader::opt_string(const std::string& key) {
  const Node* n = get(key);
  if (!n) return std::nullopt;
  if (n->type != Node::Type::string) fail_type(key, *n, "a string");
  record(key, n->string);
  return n->string;
}

bool TableReader::boolean(const std::string& key, bool def) {
  const Node* n = get(key);
  bool v = def;
  if (n) {
    if (n->type != Node::Type::boolean) fail_type(key, *n, "true or false");
    v = n->boolean;
  }
  record(key, v ? "true" : "false");
  return v;
}

std::optional<double> TableReader::opt_number(const std::string& key) {
  const Node* n = get(key);
  if (!n) return std::nullopt;
  if (n->type != Node::Type::number) fail_type(key, *n, "a number");
  if (!std::isfinite(n->number)) fail(key, "expected a finite number, got " + format_number(n->number));
  record(key, format_number(n->number));
  return n->number;
}

double TableReader::number(const std::string& key, double def) {
  auto v = opt_number(key);
  if (!v) {
    record(key, format_number(def));
    return def;
  }
  return *v;
}

long long TableReader::integer(const std::string& key, long long def) {
  const Node* n = get(key);
  long long v = def;
  if (n) {
    if (n->type != Node::Type::number || n->number != std::floor(n->number) ||
        std::fabs(n->number) > 9.2e18)
      fail_type(key, *n, "a whole number");
    v = static_cast<long long>(n->number);
  }
  record(key, std::to_string(v));
  return v;
}

// Every quantity of a scenario is finite: math.huge, 1e309 or 0/0 is a
// mistake, never "no limit" (units::parse checks the string forms).
double quantity_of(const Node& n, units::Dimension dim, const std::string& file,
                   const std::string& path) {
  if (n.type == Node::Type::number) {
    if (!std::isfinite(n.number))
      throw UserError(file, key_element(path), "expected a finite " + std::string(units::dimension_name(dim)) +
                                                   ", got " + format_number(n.number));
    return n.number;
  }
  if (n.type == Node::Type::string) {
    try {
      return units::parse(n.string, dim, key_element(path));
    } catch (const UserError& e) {
      throw UserError(file.empty() ? std::string(e.what()) : file + ": " + e.what());
    }
  }
  throw UserError(file, key_element(path),
                  std::string("expected a ") + units::dimension_name(dim) +
                      " (a number in SI units or a string with a unit), got " + n.type_name());
}

std::optional<double> TableReader::opt_quantity(const std::string& key, units::Dimension dim) {
  const Node* n = get(key);
  if (!n) return std::nullopt;
  const double v = quantity_of(*n, dim, ctx_.file, key_path(key));
  record(key, format_number(v));
  return v;
}

double TableReader::quantity(const std::string& key, units::Dimension dim, double def) {
  auto v = opt_quantity(key, dim);
  if (!v) {
    record(key, format_number(def));
    return def;
  }
  return *v;
}

std::string TableReader::choice(const std::string& key, const std::vector<std::string>& choices,
                                const std::string& def) {
  const Node* n = get(key);
  if (!n) {
    record(key, def);
    return def;
  }
  std::string list;
  for (const std::string& c : choices) list += (list.empty() ? "" : ", ") + ("\"" + c + "\"");
  if (n->type != Node::Type::string) fail_type(key, *n, ("one of " + list).c_str());
  if (std::find(choices.begin(), choices.end(), n->string) == choices.end()) {
    fail(key, "unknown value \"" + n->string + "\"" + text::did_you_mean(n->string, choices, '"') +
                  "; expected one of " + list);
  }
  record(key, n->string);
  return n->string;
}

void TableReader::finish(bool allow_items) const {
  if (!allow_items && !node_.items.empty())
    throw UserError(ctx_.file, key_element(index_path(path_, 1)),
                    "unexpected list entry (this table takes named keys only)");
  std::vector<std::string> known(known_.begin(), known_.end());
  for (const auto& [key, value] : node_.fields) {
    if (known_.count(key)) continue;
    const std::string what = "unknown key" + text::did_you_mean(key, known);
    if (value.from_override)
      throw UserError(ctx_.file, key_element(key_path(key)) + " (from --set " + dotted_key(key) + ")", what);
    fail(key, what);
  }
}

}  // namespace suanwang::lua

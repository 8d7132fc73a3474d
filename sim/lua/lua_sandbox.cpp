// LuaSandbox implementation: see lua_sandbox.hpp for the rules.
#include "sim/lua/lua_sandbox.hpp"

#include <lua5.4/lua.hpp>

#include <cstdio>
#include <cstring>
#include <filesystem>
#include <string>
#include <vector>

#include "sim/core/user_error.hpp"

namespace suanwang::lua {
namespace {

// Per-state bookkeeping, reachable from C callbacks through the state's
// extra space (LUA_EXTRASPACE bytes, pointer-sized in every build).
struct State {
  const SandboxOptions* options = nullptr;
  std::uint64_t executed = 0;  // instructions counted in the current call()
  bool exceeded = false;       // budget blown: sticky until the next call()
  std::vector<std::string> files;  // files loaded: to undo Lua's "..." shortening of long names
};

constexpr int kHookEvery = 1000;

State* state_of(lua_State* L) { return *static_cast<State**>(lua_getextraspace(L)); }

void remember_file(lua_State* L, const std::string& path) {
  auto& files = state_of(L)->files;
  for (const auto& f : files)
    if (f == path) return;
  files.push_back(path);
}

int raise_budget(lua_State* L) {
  State* s = state_of(L);
  return luaL_error(L, "exceeded the instruction budget of %I (infinite loop?)",
                    static_cast<lua_Integer>(s->options->instruction_budget));
}

void count_hook(lua_State* L, lua_Debug* /*ar*/) {
  State* s = state_of(L);
  if (s->options->instruction_budget == 0) return;
  s->executed += kHookEvery;
  if (s->executed > s->options->instruction_budget) {
    s->exceeded = true;
    raise_budget(L);
  }
}

// Passes its arguments through, unless the budget was blown: then a pcall,
// xpcall or coroutine.resume that swallowed the budget error re-raises it, so
// `while true do pcall(loop) end` still stops.
int budget_passthrough(lua_State* L) {
  if (state_of(L)->exceeded) return raise_budget(L);
  return lua_gettop(L);
}

bool valid_module_name(const char* name, std::size_t len) {
  if (len == 0 || name[0] == '.' || name[len - 1] == '.') return false;
  for (std::size_t i = 0; i < len; ++i) {
    const char c = name[i];
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '_' || c == '-' || c == '.';
    if (!ok) return false;
    if (c == '.' && name[i + 1] == '.') return false;
  }
  return true;
}

// require(name): package.loaded[name], else "<dir>/<name with dots as
// slashes>.lua" in the allowed folders, loaded as text.
int sandbox_require(lua_State* L) {
  std::size_t len = 0;
  const char* name = luaL_checklstring(L, 1, &len);
  lua_settop(L, 1);
  luaL_getsubtable(L, LUA_REGISTRYINDEX, LUA_LOADED_TABLE);  // 2: loaded
  lua_getfield(L, 2, name);
  if (lua_toboolean(L, -1)) return 1;
  lua_pop(L, 1);
  if (!valid_module_name(name, len))
    return luaL_error(L, "require: invalid module name '%s' (letters, digits, _ - and dots only)",
                      name);
  std::string rel(name, len);
  for (char& c : rel)
    if (c == '.') c = '/';
  rel += ".lua";
  const State* s = state_of(L);
  std::string tried;
  for (const std::string& dir : s->options->require_dirs) {
    const std::string path = (std::filesystem::path(dir) / rel).string();
    std::error_code ec;
    if (!std::filesystem::is_regular_file(path, ec)) {
      tried += "\n\tno file '" + path + "'";
      continue;
    }
    remember_file(L, path);
    if (luaL_loadfilex(L, path.c_str(), "t") != LUA_OK) return lua_error(L);
    lua_pushstring(L, name);
    lua_pushstring(L, path.c_str());
    lua_call(L, 2, 1);
    if (lua_isnil(L, -1)) {
      lua_pop(L, 1);
      lua_pushboolean(L, 1);
    }
    lua_pushvalue(L, -1);
    lua_setfield(L, 2, name);
    return 1;
  }
  if (s->options->require_dirs.empty()) tried = " (require is disabled here)";
  return luaL_error(L, "module '%s' not found:%s", name, tried.c_str());
}

// math.randomseed() without an argument would seed from the clock: refused.
int sandbox_randomseed(lua_State* L) {
  if (lua_gettop(L) == 0)
    return luaL_error(L, "math.randomseed needs a seed (the run's seed is already set)");
  lua_pushvalue(L, lua_upvalueindex(1));
  lua_insert(L, 1);
  lua_call(L, lua_gettop(L) - 1, LUA_MULTRET);
  return lua_gettop(L);
}

// Wrappers written in Lua so that they stay yieldable.
constexpr const char* kPrelude = R"lua(
local raw_load, passthrough = ...
local raw_pcall, raw_xpcall, raw_resume = pcall, xpcall, coroutine.resume
load = function(chunk, chunkname, mode, env)
  if mode ~= nil and mode ~= "t" then
    error("load: only text chunks are allowed (mode \"t\")", 2)
  end
  if env ~= nil then return raw_load(chunk, chunkname, "t", env) end
  return raw_load(chunk, chunkname, "t")
end
pcall = function(...) return passthrough(raw_pcall(...)) end
xpcall = function(...) return passthrough(raw_xpcall(...)) end
coroutine.resume = function(...) return passthrough(raw_resume(...)) end
)lua";

// Lua shortens chunk names longer than LUA_IDSIZE to "...tail"; put the
// full path back when the tail belongs to a file this sandbox loaded.
std::string restore_path(lua_State* L, std::string msg) {
  if (msg.rfind("...", 0) != 0) return msg;
  const std::size_t colon = msg.find(':', 3);
  if (colon == std::string::npos) return msg;
  const std::string tail = msg.substr(3, colon - 3);
  for (const std::string& f : state_of(L)->files)
    if (f.size() >= tail.size() && f.compare(f.size() - tail.size(), tail.size(), tail) == 0)
      return f + msg.substr(colon);
  return msg;
}

std::string pop_message(lua_State* L) {
  std::string msg;
  if (lua_type(L, -1) == LUA_TSTRING) {
    msg = lua_tostring(L, -1);
  } else {
    msg = luaL_tolstring(L, -1, nullptr);  // error({}) and friends
    lua_pop(L, 1);
  }
  lua_pop(L, 1);
  return restore_path(L, msg);
}

}  // namespace

Sandbox::Sandbox(SandboxOptions options) : options_(std::move(options)) {
  L_ = luaL_newstate();
  if (!L_) throw std::bad_alloc();
  auto* st = new State;
  st->options = &options_;
  *static_cast<State**>(lua_getextraspace(L_)) = st;

  static const luaL_Reg libs[] = {
      {LUA_GNAME, luaopen_base},          {LUA_STRLIBNAME, luaopen_string},
      {LUA_TABLIBNAME, luaopen_table},    {LUA_MATHLIBNAME, luaopen_math},
      {LUA_UTF8LIBNAME, luaopen_utf8},    {LUA_COLIBNAME, luaopen_coroutine},
  };
  for (const luaL_Reg& lib : libs) {
    luaL_requiref(L_, lib.name, lib.func, 1);
    lua_pop(L_, 1);
  }

  // Base library: no file access.
  lua_pushnil(L_);
  lua_setglobal(L_, "dofile");
  lua_pushnil(L_);
  lua_setglobal(L_, "loadfile");

  // package: only `loaded` (the registry table) — no loadlib, cpath, path, searchers.
  lua_newtable(L_);                                          // pkg
  luaL_getsubtable(L_, LUA_REGISTRYINDEX, LUA_LOADED_TABLE);  // pkg loaded
  lua_pushvalue(L_, -2);
  lua_setfield(L_, -2, LUA_LOADLIBNAME);  // loaded.package = pkg
  lua_setfield(L_, -2, "loaded");         // pkg.loaded = loaded
  lua_setglobal(L_, LUA_LOADLIBNAME);
  lua_pushcfunction(L_, sandbox_require);
  lua_setglobal(L_, "require");

  // math.random seeded from the run's seed; randomseed() without args refused.
  lua_getglobal(L_, LUA_MATHLIBNAME);
  lua_getfield(L_, -1, "randomseed");
  lua_pushvalue(L_, -1);
  lua_pushinteger(L_, static_cast<lua_Integer>(options_.seed));
  lua_call(L_, 1, 0);
  lua_pushcclosure(L_, sandbox_randomseed, 1);
  lua_setfield(L_, -2, "randomseed");
  lua_pop(L_, 1);

  // load() text-only; pcall/xpcall/resume cannot swallow a budget overrun.
  if (luaL_loadbufferx(L_, kPrelude, std::strlen(kPrelude), "=sandbox", "t") != LUA_OK) {
    const std::string msg = pop_message(L_);
    throw std::logic_error("sandbox prelude: " + msg);
  }
  lua_getglobal(L_, "load");
  lua_pushcfunction(L_, budget_passthrough);
  if (lua_pcall(L_, 2, 0, 0) != LUA_OK) {
    const std::string msg = pop_message(L_);
    throw std::logic_error("sandbox prelude: " + msg);
  }

  // The count hook is inherited by coroutines created from this state. Any
  // count hook makes Lua 5.4 trap every instruction (about +50% on a policy
  // call, measured by bench/policy_bench), so none is installed when the
  // budget is 0 (unlimited).
  if (options_.instruction_budget > 0) lua_sethook(L_, count_hook, LUA_MASKCOUNT, kHookEvery);
}

Sandbox::~Sandbox() {
  if (!L_) return;
  State* st = state_of(L_);
  lua_close(L_);
  delete st;
}

void Sandbox::run_file(const std::string& path, int nresults) {
  remember_file(L_, path);
  if (luaL_loadfilex(L_, path.c_str(), "t") != LUA_OK) {
    std::string msg = pop_message(L_);
    // "cannot open x.lua" already names the file; syntax errors start with "x.lua:LINE:".
    throw UserError(msg);
  }
  call(0, nresults, "");
}

void Sandbox::run_string(const std::string& code, const std::string& chunk_name, int nresults) {
  const std::string name = "=" + chunk_name;
  if (luaL_loadbufferx(L_, code.data(), code.size(), name.c_str(), "t") != LUA_OK)
    throw UserError(pop_message(L_));
  call(0, nresults, "");
}

void Sandbox::call(int nargs, int nresults, const std::string& context) {
  State* st = state_of(L_);
  st->executed = 0;
  st->exceeded = false;
  const int status = lua_pcall(L_, nargs, nresults, 0);
  const bool exceeded = st->exceeded;
  st->exceeded = false;
  if (status == LUA_OK) return;
  std::string msg = pop_message(L_);
  if (exceeded && msg.find("instruction budget") == std::string::npos)
    msg += " (after exceeding the instruction budget of " +
           std::to_string(options_.instruction_budget) + ")";
  if (status == LUA_ERRMEM) msg = "out of memory: " + msg;
  throw UserError(context.empty() ? msg : context + ": " + msg);
}

}  // namespace suanwang::lua

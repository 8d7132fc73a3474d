// LuaSandbox implementation: see lua_sandbox.hpp for the rules.
#include "sim/lua/lua_sandbox.hpp"

#include "sim/lua/lua_ordered.hpp"

#include <lua5.4/lua.hpp>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <string>
#include <vector>

#include "sim/core/hard_stop.hpp"
#include "sim/core/units.hpp"
#include "sim/core/user_error.hpp"
#include "sim/core/watchdog.hpp"

namespace suanwang::lua {

enum class Stop { none, budget, time };

// Per-state bookkeeping, reachable from C callbacks through the state's
// extra space (LUA_EXTRASPACE bytes, pointer-sized in every build) and as
// the allocator's user data.
struct Sandbox::State {
  explicit State(const SandboxOptions* o)
      : options(o), timer((o->name.empty() ? std::string("a Lua script") : o->name) + ": a Lua call") {}
  const SandboxOptions* options;
  std::uint64_t executed = 0;      // instructions counted in the current call()
  Stop stop = Stop::none;          // why the call must end: sticky until the next call()
  std::int64_t deadline_ns = 0;    // wall-clock end of the current call(); 0 = none
  std::size_t used_B = 0;          // bytes the allocator handed out
  bool enforce_memory = false;     // refuse growth past the limit (only inside calls)
  std::vector<std::string> files;  // files loaded: to undo Lua's "..." shortening of long names
  watchdog::Timer timer;           // for work the count hook cannot reach
};

namespace {

using State = Sandbox::State;

constexpr int kHookEvery = 1000;

State* state_of(lua_State* L) { return *static_cast<State**>(lua_getextraspace(L)); }

std::int64_t now_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

std::string seconds_text(double s) {
  char b[32];
  std::snprintf(b, sizeof b, "%g", s);
  return b;
}

// " (scenario key x)" when the limit comes from a scenario key.
std::string key_hint(const std::string& key) { return key.empty() ? "" : " (scenario key " + key + ")"; }

// Every allocation of the state goes through here. Growth past the limit is
// refused only while Lua code runs (enforce_memory), where Lua turns the
// refusal into an ordinary "not enough memory" error; the bridge writing
// views between calls must never fail, so it is never refused.
void* sandbox_alloc(void* ud, void* ptr, std::size_t osize, std::size_t nsize) {
  State* s = static_cast<State*>(ud);
  const std::size_t old = ptr != nullptr ? osize : 0;  // osize is a type tag when ptr is null
  if (nsize == 0) {
    std::free(ptr);
    s->used_B -= old;
    return nullptr;
  }
  const std::size_t limit = s->options->memory_limit_B;
  if (s->enforce_memory && limit > 0 && nsize > old && s->used_B + (nsize - old) > limit) return nullptr;
  void* p = std::realloc(ptr, nsize);
  if (p == nullptr) return nullptr;
  s->used_B = s->used_B - old + nsize;
  return p;
}

// A Lua error with no protected call to catch it: a bug in a bridge, never
// the user's. End the process cleanly rather than abort().
int sandbox_panic(lua_State* L) {
  const char* msg = lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1) : "(an error object)";
  const State* s = state_of(L);
  const std::string who = s && !s->options->name.empty() ? s->options->name + ": " : "";
  hard_stop(who + "Lua error outside a protected call (a suanwang bug, please report it): " + msg);
}

void remember_file(lua_State* L, const std::string& path) {
  auto& files = state_of(L)->files;
  for (const auto& f : files)
    if (f == path) return;
  files.push_back(path);
}

// "file:line:" of the innermost running Lua function that is not the
// sandbox's own prelude (a stop noticed inside a wrapper belongs to the
// user's code that called it).
std::string user_position(lua_State* L) {
  lua_Debug ar;
  for (int level = 0; lua_getstack(L, level, &ar); ++level) {  // 0: the hooked function
    if (!lua_getinfo(L, "Sl", &ar) || ar.currentline <= 0) continue;
    if (std::strcmp(ar.source, "=sandbox") == 0) continue;
    return std::string(ar.short_src) + ":" + std::to_string(ar.currentline) + ": ";
  }
  return "";
}

int raise_stop(lua_State* L) {
  const State* s = state_of(L);
  const SandboxOptions& o = *s->options;
  const std::string where = user_position(L);
  // lua_error, not luaL_error: the position is ours (luaL_where would name the prelude).
  if (s->stop == Stop::time)
    lua_pushfstring(L, "%sexceeded the time limit of %s s per call%s", where.c_str(),
                    seconds_text(o.time_limit_s).c_str(), key_hint(o.time_key).c_str());
  else
    lua_pushfstring(L, "%sexceeded the instruction budget of %I per call%s (an infinite loop?)", where.c_str(),
                    static_cast<lua_Integer>(o.instruction_budget), key_hint(o.budget_key).c_str());
  return lua_error(L);
}

void count_hook(lua_State* L, lua_Debug* /*ar*/) {
  State* s = state_of(L);
  s->executed += kHookEvery;
  const std::uint64_t budget = s->options->instruction_budget;
  if (budget != 0 && s->executed > budget) {
    s->stop = Stop::budget;
  } else if (s->deadline_ns != 0 && now_ns() > s->deadline_ns) {
    s->stop = Stop::time;
  } else {
    return;
  }
  raise_stop(L);
}

// Passes its arguments through, unless the call must stop: then a pcall,
// xpcall or coroutine.resume that swallowed the budget error re-raises it, so
// `while true do pcall(loop) end` still stops.
int budget_passthrough(lua_State* L) {
  if (state_of(L)->stop != Stop::none) return raise_stop(L);
  return lua_gettop(L);
}

// For the xpcall wrapper: whether the call must stop (then the user's
// message handler is skipped).
int must_stop(lua_State* L) {
  lua_pushboolean(L, state_of(L)->stop != Stop::none);
  return 1;
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
//  - load: text chunks only;
//  - pcall, xpcall, coroutine.resume, coroutine.close: re-raise a budget or
//    time overrun they caught;
//  - xpcall: the message handler is not run once the call must stop (a hook
//    error runs it with hooks off: a looping handler would never end);
//  - setmetatable: no __gc (finalizers run with hooks off, at any allocation).
constexpr const char* kPrelude = R"lua(
local raw_load, passthrough, must_stop = ...
local raw_pcall, raw_xpcall, raw_resume, raw_close = pcall, xpcall, coroutine.resume, coroutine.close
local raw_setmetatable, raw_rawget, raw_type, raw_error = setmetatable, rawget, type, error
load = function(chunk, chunkname, mode, env)
  if mode ~= nil and mode ~= "t" then
    error("load: only text chunks are allowed (mode \"t\")", 2)
  end
  if env ~= nil then return raw_load(chunk, chunkname, "t", env) end
  return raw_load(chunk, chunkname, "t")
end
pcall = function(...) return passthrough(raw_pcall(...)) end
xpcall = function(f, handler, ...)
  if raw_type(handler) ~= "function" then return passthrough(raw_xpcall(f, handler, ...)) end
  return passthrough(raw_xpcall(f, function(m)
    if must_stop() then return m end
    return handler(m)
  end, ...))
end
coroutine.resume = function(...) return passthrough(raw_resume(...)) end
coroutine.close = function(...) return passthrough(raw_close(...)) end
setmetatable = function(t, mt)
  if raw_type(mt) == "table" and raw_rawget(mt, "__gc") ~= nil then
    raw_error("setmetatable: __gc finalizers are not allowed in the sandbox", 2)
  end
  return raw_setmetatable(t, mt)
end
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

// luaL_tolstring under a protected call: an error object's __tostring may
// fail or loop, and neither may escape (the count hook still runs; the
// stop flag of the call that failed is lifted for the conversion).
int tolstring_protected(lua_State* L) {
  luaL_tolstring(L, 1, nullptr);
  return 1;
}

std::string pop_message(lua_State* L) {
  std::string msg;
  const int t = lua_type(L, -1);
  if (t == LUA_TSTRING || t == LUA_TNUMBER) {
    lua_pushvalue(L, -1);  // lua_tolstring converts numbers in place: work on a copy
    std::size_t n = 0;
    const char* s = lua_tolstring(L, -1, &n);
    msg.assign(s, n);
    lua_pop(L, 1);
  } else if (t == LUA_TNIL || t == LUA_TBOOLEAN) {
    msg = t == LUA_TNIL ? "nil" : lua_toboolean(L, -1) ? "true" : "false";
  } else {
    State* s = state_of(L);
    const Stop stop = s->stop;
    const std::uint64_t executed = s->executed;
    const std::int64_t deadline = s->deadline_ns;
    const std::uint64_t budget = s->options->instruction_budget;
    s->stop = Stop::none;
    s->executed = budget > 100000 ? budget - 100000 : 0;  // a little room for __tostring
    if (s->deadline_ns != 0) s->deadline_ns = now_ns() + 1000000000LL;
    lua_pushcfunction(L, tolstring_protected);
    lua_pushvalue(L, -2);
    const bool enforced = s->enforce_memory;
    s->enforce_memory = true;
    const int status = lua_pcall(L, 1, 1, 0);
    s->enforce_memory = enforced;
    if (status == LUA_OK && lua_type(L, -1) == LUA_TSTRING) {
      msg = lua_tostring(L, -1);
    } else {
      msg = std::string("(an error object of type ") + lua_typename(L, t) +
            " whose __tostring failed)";
    }
    lua_pop(L, 1);
    s->stop = stop;
    s->executed = executed;
    s->deadline_ns = deadline;
  }
  lua_pop(L, 1);
  return restore_path(L, msg);
}

}  // namespace

Sandbox::Sandbox(SandboxOptions options)
    : options_(std::move(options)), state_(std::make_unique<State>(&options_)) {
  L_ = lua_newstate(sandbox_alloc, state_.get());
  if (!L_) throw std::bad_alloc();
  *static_cast<State**>(lua_getextraspace(L_)) = state_.get();
  lua_atpanic(L_, sandbox_panic);

  static const luaL_Reg libs[] = {
      {LUA_GNAME, luaopen_base},          {LUA_STRLIBNAME, luaopen_string},
      {LUA_TABLIBNAME, luaopen_table},    {LUA_MATHLIBNAME, luaopen_math},
      {LUA_UTF8LIBNAME, luaopen_utf8},    {LUA_COLIBNAME, luaopen_coroutine},
  };
  for (const luaL_Reg& lib : libs) {
    luaL_requiref(L_, lib.name, lib.func, 1);
    lua_pop(L_, 1);
  }

  // pairs and next in an order that does not change from run to run.
  open_ordered_traversal(L_);

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
  lua_pushcfunction(L_, must_stop);
  if (lua_pcall(L_, 3, 0, 0) != LUA_OK) {
    const std::string msg = pop_message(L_);
    throw std::logic_error("sandbox prelude: " + msg);
  }

  // The count hook is inherited by coroutines created from this state. Any
  // count hook makes Lua 5.4 trap every instruction (about +50% on a policy
  // call, measured by bench/policy_bench), so none is installed when the
  // budget is 0 (unlimited): the time limit is then the watchdog's alone.
  if (options_.instruction_budget > 0) lua_sethook(L_, count_hook, LUA_MASKCOUNT, kHookEvery);
}

Sandbox::~Sandbox() {
  if (L_) lua_close(L_);  // no __gc of the user's can run here: setmetatable refuses them
}

std::size_t Sandbox::memory_used() const { return state_->used_B; }

namespace {

// Arms the limits of one call (or one load) and lifts them afterwards.
class CallLimits {
 public:
  explicit CallLimits(State& s) : s_(s) {
    s.executed = 0;
    s.stop = Stop::none;
    s.enforce_memory = true;
    const double limit = s.options->time_limit_s;
    if (limit > 0) {
      s.deadline_ns = now_ns() + static_cast<std::int64_t>(limit * 1e9);
      // The count hook stops the call at the limit; the watchdog only when
      // the hook cannot (inside a C function, or no hook at all).
      s.timer.arm(limit * 1.1 + 1.0, s.options->time_key.empty() ? "time limit" : s.options->time_key.c_str());
    }
  }
  ~CallLimits() {
    s_.timer.disarm();
    s_.deadline_ns = 0;
    s_.enforce_memory = false;
  }

 private:
  State& s_;
};

// The message of a failed load or call, with what the limits explain.
std::string failure_message(lua_State* L, int status, Stop stop) {
  const State& s = *state_of(L);
  std::string msg = pop_message(L);
  if (stop != Stop::none && msg.find("exceeded the") == std::string::npos)
    msg += stop == Stop::time ? " (after exceeding the time limit)" : " (after exceeding the instruction budget)";
  if (status == LUA_ERRMEM) {
    const std::size_t limit = s.options->memory_limit_B;
    msg = limit > 0 ? "exceeded the Lua memory limit of " + units::format_bytes(static_cast<double>(limit)) +
                          key_hint(s.options->memory_key)
                    : "out of memory (" + msg + ")";
  }
  return msg;
}

}  // namespace

void Sandbox::run_file(const std::string& path, int nresults) {
  remember_file(L_, path);
  int status;
  {
    CallLimits limits(*state_);
    status = luaL_loadfilex(L_, path.c_str(), "t");
  }
  // "cannot open x.lua" already names the file; syntax errors start with "x.lua:LINE:".
  if (status != LUA_OK) throw UserError(failure_message(L_, status, Stop::none));
  call_naming(path, nresults);
}

void Sandbox::run_string(const std::string& code, const std::string& chunk_name, int nresults) {
  const std::string name = "=" + chunk_name;
  int status;
  {
    CallLimits limits(*state_);
    status = luaL_loadbufferx(L_, code.data(), code.size(), name.c_str(), "t");
  }
  if (status != LUA_OK) throw UserError(failure_message(L_, status, Stop::none));
  call_naming(chunk_name, nresults);
}

// call() of a loaded chunk whose errors must name `what` (an error object
// or a limit has no position of its own; a module's error names the module).
void Sandbox::call_naming(const std::string& what, int nresults) {
  try {
    call(0, nresults, "");
  } catch (const UserError& e) {
    const std::string msg = e.what();
    if (msg.rfind(what, 0) == 0) throw;
    throw UserError(what + ": " + msg);
  }
}

void Sandbox::call(int nargs, int nresults, const std::string& context) {
  State& st = *state_;
  int status;
  {
    CallLimits limits(st);
    status = lua_pcall(L_, nargs, nresults, 0);
  }
  const Stop stop = st.stop;
  st.stop = Stop::none;
  if (status == LUA_OK) return;
  const std::string msg = failure_message(L_, status, stop);
  throw UserError(context.empty() ? msg : context + ": " + msg);
}

}  // namespace suanwang::lua

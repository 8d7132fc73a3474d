// LuaSandbox: one Lua 5.4 state that untrusted, shared scripts run in.
//
// Scenario files and policies are written by one researcher and run by
// another, so the state is locked down the way Redis locks down its scripts:
//  - libraries: base (without dofile, loadfile), string, table, math, utf8,
//    coroutine; no io, os, debug, package.loadlib, package.cpath;
//  - load() accepts text chunks only (mode "t"): no bytecode, ever;
//  - require(name) only finds "<dir>/<name>.lua" (dots become '/') in the
//    allowed folders, text mode, and caches in package.loaded;
//  - math.random is seeded from the run's seed, so "random" is reproducible;
//    pairs() and next() visit keys in a fixed order (lua_ordered.hpp), not
//    in the order of Lua's per-process string hash;
//  - budgets a script cannot escape, message handlers included:
//    * instructions: a count hook raises an error after `instruction_budget`
//      VM instructions of one call(); pcall, xpcall, coroutine.resume and
//      coroutine.close re-raise it, and xpcall's message handler is not run
//      for it (Lua runs message handlers of hook errors with hooks off, so a
//      looping handler would otherwise never stop);
//    * time: the same hook raises after `time_limit_s` of wall time; work
//      inside one C function (string.find with a backtracking pattern) is
//      out of the hook's reach, so a watchdog (sim/core/watchdog.hpp) ends
//      the process one second (plus 10%) later if the call is still running;
//    * memory: the allocator refuses to grow the state past `memory_limit_B`
//      while Lua code runs (a Lua "not enough memory" error); outside calls
//      (the bridge writing views) it never refuses, so no Lua error can
//      happen outside a protected call;
//    * __gc finalizers are refused by setmetatable: Lua runs them with hooks
//      off, at any allocation, where no budget could stop them.
// Errors become UserError with the Lua position ("policies/x.lua:12: ...");
// an error object is converted to text under a protected call (its
// __tostring may fail or loop). A Lua error outside any protected call (a
// bug in a bridge) ends the process through hard_stop with one line.
// Not thread-safe: one sandbox per thread (the parallel score path makes one
// per TBB worker).
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

struct lua_State;

namespace suanwang::lua {

struct SandboxOptions {
  std::vector<std::string> require_dirs;  // folders require() may read from
  std::uint64_t instruction_budget = 0;   // per call(); 0 = unlimited
  std::uint64_t seed = 1;                 // math.random seed
  double time_limit_s = 0;                // wall time per call(); 0 = unlimited
  std::size_t memory_limit_B = 0;         // bytes of the Lua state; 0 = unlimited
  std::string name;                       // what runs here ("policies/x.lua"), for messages
  // Scenario keys that set the limits, named in the errors ("" = fixed limits).
  std::string budget_key, time_key, memory_key;
};

class Sandbox {
 public:
  explicit Sandbox(SandboxOptions options);
  ~Sandbox();
  Sandbox(const Sandbox&) = delete;
  Sandbox& operator=(const Sandbox&) = delete;

  lua_State* L() const { return L_; }
  const SandboxOptions& options() const { return options_; }

  // Loads `path` as a text chunk named "@path" and runs it under the budget,
  // leaving `nresults` values on the stack. Syntax and runtime errors throw
  // UserError("path:line: message").
  void run_file(const std::string& path, int nresults);
  // Same for a string (name shown in messages).
  void run_string(const std::string& code, const std::string& chunk_name, int nresults);

  // Calls the function below `nargs` arguments on the stack with the
  // instruction budget armed; on error pops it and throws UserError whose
  // text is "<context>: <lua message>" (the Lua message carries file:line).
  // A budget overrun says "exceeded the instruction budget of N (infinite loop?)".
  void call(int nargs, int nresults, const std::string& context);

  // Bytes the Lua state holds now.
  std::size_t memory_used() const;

  struct State;  // per-state bookkeeping (lua_sandbox.cpp)

 private:
  void call_naming(const std::string& what, int nresults);

  SandboxOptions options_;
  std::unique_ptr<State> state_;
  lua_State* L_ = nullptr;
};

}  // namespace suanwang::lua

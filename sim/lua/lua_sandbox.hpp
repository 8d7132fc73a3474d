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
//  - an instruction budget (a count hook) stops a script that loops forever:
//    call() raises a budget error after `instruction_budget` VM instructions.
// Errors become UserError with the Lua position ("policies/x.lua:12: ...").
// Not thread-safe: one sandbox per thread (the parallel score path makes one
// per TBB worker).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

struct lua_State;

namespace suanwang::lua {

struct SandboxOptions {
  std::vector<std::string> require_dirs;  // folders require() may read from
  std::uint64_t instruction_budget = 0;   // per call(); 0 = unlimited
  std::uint64_t seed = 1;                 // math.random seed
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

 private:
  lua_State* L_ = nullptr;
  SandboxOptions options_;
};

}  // namespace suanwang::lua

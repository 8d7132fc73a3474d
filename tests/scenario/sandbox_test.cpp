// Sandbox: escapes fail, the budget stops loops, errors carry file:line.
#include <gtest/gtest.h>

#include <lua5.4/lua.hpp>

#include <filesystem>
#include <fstream>
#include <string>
#include <unistd.h>

#include "sim/core/user_error.hpp"
#include "sim/lua/lua_sandbox.hpp"

namespace fs = std::filesystem;
using suanwang::UserError;
using suanwang::lua::Sandbox;
using suanwang::lua::SandboxOptions;

namespace {

struct TempDir {
  fs::path path;
  TempDir() {
    static int counter = 0;
    path = fs::temp_directory_path() /
           ("suanwang_sandbox_" + std::to_string(::getpid()) + "_" + std::to_string(++counter) +
            "_" + ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(path);
    fs::create_directories(path);
  }
  ~TempDir() { fs::remove_all(path); }
  std::string write(const std::string& name, const std::string& text) const {
    const fs::path p = path / name;
    fs::create_directories(p.parent_path());
    std::ofstream(p) << text;
    return p.string();
  }
};

SandboxOptions opts(std::vector<std::string> dirs = {}, std::uint64_t budget = 1000000,
                    std::uint64_t seed = 1) {
  SandboxOptions o;
  o.require_dirs = std::move(dirs);
  o.instruction_budget = budget;
  o.seed = seed;
  return o;
}

// Runs code; returns the error text, or "" when it succeeded.
std::string error_of(Sandbox& sb, const std::string& code) {
  try {
    sb.run_string(code, "test.lua", 0);
  } catch (const UserError& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST(Sandbox, SafeLibrariesWork) {
  Sandbox sb(opts());
  sb.run_string("return string.format('%d', 6 * 7) .. table.concat({'a','b'}) .. math.floor(2.5)"
                " .. utf8.char(72) .. tostring(coroutine.running() ~= nil)",
                "t", 1);
  EXPECT_STREQ(lua_tostring(sb.L(), -1), "42ab2Htrue");
  lua_pop(sb.L(), 1);
}

TEST(Sandbox, EscapesFail) {
  Sandbox sb(opts());
  EXPECT_NE(error_of(sb, "os.execute('true')"), "");
  EXPECT_NE(error_of(sb, "io.open('/etc/passwd')"), "");
  EXPECT_NE(error_of(sb, "debug.getinfo(1)"), "");
  EXPECT_NE(error_of(sb, "package.loadlib('libc.so.6', 'system')"), "");
  EXPECT_NE(error_of(sb, "dofile('/etc/passwd')"), "");
  EXPECT_NE(error_of(sb, "loadfile('/etc/passwd')"), "");
  EXPECT_NE(error_of(sb, "require('os')"), "");
  EXPECT_NE(error_of(sb, "require('io')"), "");
  EXPECT_NE(error_of(sb, "require('debug')"), "");
  EXPECT_NE(error_of(sb, "math.randomseed()"), "");
  // Nothing dangerous is even visible.
  sb.run_string("return os, io, debug, package.loadlib, package.cpath, package.searchers, dofile, loadfile",
                "t", 8);
  for (int i = 1; i <= 8; ++i) EXPECT_TRUE(lua_isnil(sb.L(), -i)) << i;
  lua_pop(sb.L(), 8);
}

TEST(Sandbox, BytecodeIsRefused) {
  Sandbox sb(opts());
  const std::string e = error_of(sb,
      "local f = function() return 1 end\n"
      "local bc = string.dump(f)\n"
      "local g, err = load(bc)\n"
      "if not g then error(err) end\n");
  EXPECT_NE(e.find("binary"), std::string::npos) << e;
  EXPECT_NE(error_of(sb, "local g, err = load(string.dump(function() end), 'x', 'b')\n"
                         "if not g then error(err) end"), "");
  EXPECT_NE(error_of(sb, "local g, err = load(string.dump(function() end), 'x', 'bt')\n"
                         "if not g then error(err) end"), "");
  // Text still loads.
  EXPECT_EQ(error_of(sb, "assert(load('return 1')() == 1)"), "");
  EXPECT_EQ(error_of(sb, "assert(load('return x', 'c', 't', {x = 5})() == 5)"), "");
}

TEST(Sandbox, RequireOnlyFromAllowedFolders) {
  TempDir allowed, outside;
  allowed.write("helper.lua", "return { answer = 42 }");
  allowed.write("lib/deep.lua", "return 'deep'");
  outside.write("secret.lua", "return 'leak'");
  Sandbox sb(opts({allowed.path.string()}));
  EXPECT_EQ(error_of(sb, "assert(require('helper').answer == 42)"), "");
  EXPECT_EQ(error_of(sb, "assert(require('lib.deep') == 'deep')"), "");
  EXPECT_EQ(error_of(sb, "assert(require('helper') == require('helper'))"), "");  // cached
  EXPECT_NE(error_of(sb, "require('secret')"), "");
  const std::string rel = fs::relative(outside.path / "secret", allowed.path).string();
  EXPECT_NE(error_of(sb, "require('" + rel + "')"), "");
  EXPECT_NE(error_of(sb, "require('../secret')"), "");
  EXPECT_NE(error_of(sb, "require('" + (outside.path / "secret").string() + "')"), "");
  // Bytecode files are refused by require too.
  allowed.write("bin.lua", std::string("\x1bLua", 4));
  EXPECT_NE(error_of(sb, "require('bin')"), "");
}

TEST(Sandbox, BudgetStopsInfiniteLoop) {
  Sandbox sb(opts({}, 100000));
  const std::string e = error_of(sb, "while true do end");
  EXPECT_NE(e.find("instruction budget of 100000"), std::string::npos) << e;
  EXPECT_NE(e.find("infinite loop"), std::string::npos) << e;
  // A pcall cannot swallow the overrun.
  const std::string e2 = error_of(sb, "while true do pcall(function() while true do end end) end");
  EXPECT_NE(e2.find("instruction budget"), std::string::npos) << e2;
  const std::string e3 =
      error_of(sb, "while true do coroutine.resume(coroutine.create(function() while true do end end)) end");
  EXPECT_NE(e3.find("instruction budget"), std::string::npos) << e3;
  // The budget is per call: the state is still usable afterwards.
  EXPECT_EQ(error_of(sb, "local s = 0 for i = 1, 1000 do s = s + i end"), "");
}

TEST(Sandbox, CallUnderBudgetWithContext) {
  Sandbox sb(opts({}, 50000));
  sb.run_string("function spin() while true do end end\nfunction ok(x) return x * 2 end", "policy.lua", 0);
  lua_getglobal(sb.L(), "ok");
  lua_pushinteger(sb.L(), 21);
  sb.call(1, 1, "on_job 7");
  EXPECT_EQ(lua_tointeger(sb.L(), -1), 42);
  lua_pop(sb.L(), 1);
  lua_getglobal(sb.L(), "spin");
  try {
    sb.call(0, 0, "on_job 8");
    FAIL() << "expected a budget error";
  } catch (const UserError& e) {
    const std::string m = e.what();
    EXPECT_EQ(m.rfind("on_job 8: ", 0), 0u) << m;
    EXPECT_NE(m.find("instruction budget of 50000"), std::string::npos) << m;
  }
  EXPECT_EQ(lua_gettop(sb.L()), 0);
}

TEST(Sandbox, ErrorsCarryFileAndLine) {
  TempDir d;
  const std::string path = d.write("bad.lua", "local x = 1\n\nerror('boom')\n");
  Sandbox sb(opts());
  try {
    sb.run_file(path, 0);
    FAIL();
  } catch (const UserError& e) {
    EXPECT_NE(std::string(e.what()).find(path + ":3: boom"), std::string::npos) << e.what();
  }
  const std::string syntax = d.write("syntax.lua", "return {\n  a = 1,\n  b = = 2 }\n");
  try {
    sb.run_file(syntax, 0);
    FAIL();
  } catch (const UserError& e) {
    EXPECT_NE(std::string(e.what()).find(syntax + ":3:"), std::string::npos) << e.what();
  }
  try {
    sb.run_file((d.path / "missing.lua").string(), 0);
    FAIL();
  } catch (const UserError& e) {
    EXPECT_NE(std::string(e.what()).find("missing.lua"), std::string::npos) << e.what();
  }
  // A runtime error inside a required module names the module's file and line.
  d.write("mod.lua", "local t = nil\nreturn t.field\n");
  Sandbox sb2(opts({d.path.string()}));
  const std::string e = error_of(sb2, "require('mod')");
  EXPECT_NE(e.find("mod.lua:2:"), std::string::npos) << e;
}

TEST(Sandbox, MathRandomIsSeeded) {
  auto draw = [](std::uint64_t seed) {
    Sandbox sb(opts({}, 0, seed));
    sb.run_string("local t = {} for i = 1, 5 do t[i] = math.random(1, 1000000) end "
                  "return table.concat(t, ',')", "r", 1);
    std::string s = lua_tostring(sb.L(), -1);
    lua_pop(sb.L(), 1);
    return s;
  };
  EXPECT_EQ(draw(42), draw(42));
  EXPECT_NE(draw(42), draw(43));
}

namespace {

// Runs code that returns one string; returns it (or the error text).
std::string result_of(const std::string& code) {
  Sandbox sb(opts());
  try {
    sb.run_string(code, "test.lua", 1);
  } catch (const UserError& e) {
    return std::string("error: ") + e.what();
  }
  std::string s = lua_tostring(sb.L(), -1);
  lua_pop(sb.L(), 1);
  return s;
}

}  // namespace

// Lua seeds its string hash per state (and per process), so its own pairs()
// visits names in a different order each time; the sandbox's visits numbers
// by value, then strings bytewise, then false, then true.
TEST(Sandbox, PairsVisitsKeysInAFixedOrder) {
  const std::string fill =
      "local t = {} for _, k in ipairs({'zeta','alpha','Mu','beta','eta','gamma','delta','theta'}) do t[k] = #k end "
      "t[3] = 'x' t[1] = 'y' t[-2.5] = 'z' t[1e300] = 'w' t[true] = 't' t[false] = 'f' ";
  const std::string walk = "local s = {} for k, v in pairs(t) do s[#s + 1] = tostring(k) .. '=' .. tostring(v) end "
                           "return table.concat(s, ' ')";
  const std::string expected = "-2.5=z 1=y 3=x 1e+300=w Mu=2 alpha=5 beta=4 delta=5 eta=3 gamma=5 theta=5 zeta=4 false=f true=t";
  EXPECT_EQ(result_of(fill + walk), expected);
  // next() walks the same order, one key at a time.
  EXPECT_EQ(result_of(fill + "local s, k, v = {}, next(t) while k ~= nil do s[#s + 1] = tostring(k) .. '=' .. "
                             "tostring(v) k, v = next(t, k) end return table.concat(s, ' ')"),
            expected);
  // Many states (each with its own hash seed) agree.
  for (int i = 0; i < 20; ++i) ASSERT_EQ(result_of(fill + walk), expected) << i;
}

TEST(Sandbox, PairsAndNextEdgeCases) {
  // Clearing fields during the loop is allowed (as in Lua): cleared keys are skipped.
  EXPECT_EQ(result_of("local t = {a=1, b=2, c=3, d=4} local s = '' "
                      "for k, v in pairs(t) do s = s .. k t.c = nil t[k] = nil end return s"),
            "abd");
  EXPECT_EQ(result_of("local t = {} return tostring(next(t)) .. tostring(next({}, nil))"), "nilnil");
  EXPECT_EQ(result_of("local t = {a=1, c=3} return tostring(next(t, 'b'))"), "c");  // a key no longer in t
  EXPECT_EQ(result_of("local t = {a=1} return tostring(next(t, 'a'))"), "nil");
  // __pairs is honoured, and the read-only views use the ordered traversal.
  EXPECT_EQ(result_of("local t = setmetatable({}, {__pairs = function(t) return function(_, k) "
                      "if not k then return 1, 'one' end end, t, nil end}) "
                      "local s = '' for k, v in pairs(t) do s = s .. k .. v end return s"),
            "1one");
  // Keys Lua orders by address cannot be traversed reproducibly: an error says so.
  const std::string e = result_of("local t = {[{}] = 1} for k in pairs(t) do end return 'no error'");
  EXPECT_NE(e.find("test.lua:1:"), std::string::npos) << e;
  EXPECT_NE(e.find("key of type table"), std::string::npos) << e;
  EXPECT_NE(result_of("local t = {[print] = 1} return tostring(next(t))").find("key of type function"),
            std::string::npos);
  EXPECT_NE(result_of("return tostring(pairs(nil))").find("bad argument #1"), std::string::npos);
}

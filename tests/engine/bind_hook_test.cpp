// The bind hook: a Lua policy chooses the server of each job in a pool made
// of servers; what it answers is checked.
#include <gtest/gtest.h>

#include "engine_fixture.hpp"
#include "sim/core/user_error.hpp"
#include "sim/policy/lua_policy.hpp"

namespace suanwang::testing {
namespace {

const std::string kData = std::string(SUANWANG_SOURCE_DIR) + "/tests/engine/data/";

LuaPolicy lua_policy(const std::string& file, const topo::Topology& t) {
  lua::SandboxOptions o;
  o.instruction_budget = 1000000;
  return LuaPolicy(kData + file, file, {}, o, t);
}

TEST(BindHook, TheHookChoosesTheServer) {
  Scenario sc = make_scenario(make_topology({{"X", "a100:3x4"}}, {}), 10 * 3600);
  LuaPolicy policy = lua_policy("bind_last.lua", sc.topology);
  MemoryRecorderForTest rec;
  run(sc, policy, rec, {make_job(0, 0, 2, 3600), make_job(1, 0, 3, 3600), make_job(2, 0, 2, 3600), make_job(3, 0, 0.5, 60)});
  ASSERT_EQ(rec.jobs.size(), 4u);
  EXPECT_EQ(rec.find(1)->server, 2);  // the last of servers 1..3 (0-based 2)
  EXPECT_EQ(rec.find(2)->server, 1);  // 3 chips: server 3 has only 2 free now
  EXPECT_EQ(rec.find(3)->server, 2);  // 2 chips: server 3 has exactly 2
  EXPECT_EQ(rec.find(4)->server, 1);  // a share: server 2 still has a free chip
}

TEST(BindHook, AServerWhereTheJobDoesNotFitStopsTheRun) {
  Scenario sc = make_scenario(make_topology({{"X", "a100:2x4"}}, {}), 3600);
  LuaPolicy policy = lua_policy("bind_bad.lua", sc.topology);
  MemoryRecorderForTest rec;
  try {
    run(sc, policy, rec, {make_job(0, 0, 1, 60)});
    FAIL() << "expected a UserError";
  } catch (const UserError& e) {
    const std::string m = e.what();
    EXPECT_NE(m.find("bind_bad.lua:4: bind(job 1, pool X/a100): returned server 99"), std::string::npos) << m;
  }
  EXPECT_FALSE(rec.ended);
}

}  // namespace
}  // namespace suanwang::testing

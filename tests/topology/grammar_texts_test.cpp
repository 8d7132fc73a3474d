// The C++ side of tests/topology/grammar_texts.txt: parse_pools and is_id give
// every verdict the file states (make_topology_test.py checks the Python side).
#include <gtest/gtest.h>

#include <fstream>
#include <string>

#include "sim/topology/catalogs.hpp"
#include "sim/topology/graphml_reader.hpp"
#include "sim/topology/link_name.hpp"
#include "sim/topology/pools_text.hpp"

namespace suanwang {
namespace {

struct Case {
  int line = 0;
  std::string grammar, verdict, text, canonical;
};

// "\t" (backslash, t) stands for a tab.
std::string unescape(const std::string& s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const bool tab = s[i] == '\\' && i + 1 < s.size() && s[i + 1] == 't';
    out += tab ? '\t' : s[i];
    i += tab ? 1 : 0;
  }
  return out;
}

// GRAMMAR VERDICT "TEXT" ["CANONICAL"]
std::vector<Case> read_cases() {
  std::ifstream in(std::string(SUANWANG_SOURCE_DIR) + "/tests/topology/grammar_texts.txt");
  std::vector<Case> cases;
  std::string line;
  for (int n = 1; std::getline(in, line); ++n) {
    if (line.empty() || line[0] == '#') continue;
    Case c;
    c.line = n;
    const auto q1 = line.find('"'), q2 = line.find('"', q1 + 1);
    const auto q3 = line.find('"', q2 + 1), q4 = line.find('"', q3 + 1);
    const auto sp = line.find(' ');
    c.grammar = line.substr(0, sp);
    c.verdict = line.substr(sp + 1, q1 - sp - 2);
    c.text = unescape(line.substr(q1 + 1, q2 - q1 - 1));
    if (q3 != std::string::npos) c.canonical = line.substr(q3 + 1, q4 - q3 - 1);
    cases.push_back(c);
  }
  return cases;
}

TEST(GrammarTexts, EveryVerdictHolds) {
  const auto catalog = topo::load_accelerators(topo::default_accelerators_csv());
  const std::vector<Case> cases = read_cases();
  ASSERT_GT(cases.size(), 40u);
  for (const Case& c : cases) {
    SCOPED_TRACE("grammar_texts.txt:" + std::to_string(c.line) + " \"" + c.text + "\"");
    if (c.grammar == "pools") {
      const topo::PoolsParse p = topo::parse_pools(c.text, catalog);
      EXPECT_EQ(p.ok(), c.verdict == "ok") << p.error;
      if (p.ok()) {
        EXPECT_EQ(topo::format_pools(p.pools), c.canonical);
      } else {
        EXPECT_TRUE(p.pools.empty());
      }
    } else {
      ASSERT_EQ(c.grammar, "id");
      EXPECT_EQ(topo::is_id(c.text), c.verdict == "ok");
      EXPECT_EQ(topo::id_problem(c.text).empty(), c.verdict == "ok");
    }
  }
}

TEST(PoolsText, ServersTimesChipsIsTheCount) {
  const auto catalog = topo::load_accelerators(topo::default_accelerators_csv());
  const topo::PoolsParse p = topo::parse_pools("ascend-910b:512x8,a100:16", catalog);
  ASSERT_TRUE(p.ok()) << p.error;
  ASSERT_EQ(p.pools.size(), 2u);
  EXPECT_EQ(p.pools[0].chip, "ascend-910b");
  EXPECT_EQ(p.pools[0].accel, 7);
  EXPECT_EQ(p.pools[0].count, 4096);
  EXPECT_EQ(p.pools[0].servers, 512);
  EXPECT_EQ(p.pools[0].per_server, 8);
  EXPECT_EQ(p.pools[1].count, 16);
  EXPECT_EQ(p.pools[1].servers, 0);  // flat
  EXPECT_EQ(p.pools[1].per_server, 0);
}

TEST(PoolsText, ErrorsSayWhatAndWhatWasExpected) {
  const auto catalog = topo::load_accelerators(topo::default_accelerators_csv());
  const auto error = [&](const char* text) { return topo::parse_pools(text, catalog).error; };
  EXPECT_NE(error("a100:-5").find("pool a100: count \"-5\" is not a whole number of chips > 0 (expected "
                                  "chip:count or chip:NxG"), std::string::npos);
  EXPECT_NE(error("a100:3000000").find("expected at most 2000000"), std::string::npos);
  EXPECT_NE(error("a10:8").find("unknown chip 'a10' (did you mean 'a100'?)"), std::string::npos);
  EXPECT_NE(error("a100:1,a100:2").find("chip 'a100' listed twice"), std::string::npos);
  EXPECT_NE(error("a100:1,").find("empty entry"), std::string::npos);
}

}  // namespace
}  // namespace suanwang

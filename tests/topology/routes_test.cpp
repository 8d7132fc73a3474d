// Routing on small graphs whose answers are checked by hand.
#include <gtest/gtest.h>

#include <algorithm>

#include "tests/topology/topo_test_util.hpp"
#include "sim/topology/graphml_reader.hpp"
#include "sim/topology/routes.hpp"

namespace suanwang {
namespace {

using test::edge;
using test::graphml;
using test::node;

const std::string kIc = "<data key=\"ic\">true</data>";

// Diamond: ct A-B-D (5+5 ms), cm A-C-D (2+2 ms), all cities interconnects.
topo::Topology diamond() {
  return topo::load_topology(test::write_temp(graphml(
      node("A", kIc) + node("B", kIc) + node("C", kIc) + node("D", kIc) + edge("A", "B", "ct", "400", "5") +
      edge("B", "D", "ct", "100", "5") + edge("A", "C", "cm", "400", "2") + edge("C", "D", "cm", "200", "2"))));
}

std::vector<std::string> names(const topo::Topology& t, const topo::Route& r) {
  std::vector<std::string> out;
  for (int l : r.links) out.push_back(t.links[static_cast<std::size_t>(l)].name());
  return out;
}

TEST(Routes, BestPathIsLowestLatency) {
  const auto t = diamond();
  const topo::RouteTable rt(t);
  const auto& best = rt.best(t.city_index("A"), t.city_index("D"));
  EXPECT_EQ(names(t, best), (std::vector<std::string>{"A-C/cm", "C-D/cm"}));
  EXPECT_DOUBLE_EQ(best.latency_s, 4e-3);
  EXPECT_DOUBLE_EQ(best.bottleneck_Bps, 200e9 / 8);
  EXPECT_DOUBLE_EQ(rt.latency_s(t.city_index("D"), t.city_index("A")), 4e-3);
}

TEST(Routes, PerCarrierPaths) {
  const auto t = diamond();
  const topo::RouteTable rt(t);
  const int a = t.city_index("A"), d = t.city_index("D");
  const topo::Route* ct = rt.on_carrier(a, d, t.carrier_index("ct"));
  ASSERT_NE(ct, nullptr);
  EXPECT_EQ(names(t, *ct), (std::vector<std::string>{"A-B/ct", "B-D/ct"}));
  EXPECT_DOUBLE_EQ(ct->latency_s, 10e-3);
  EXPECT_DOUBLE_EQ(ct->bottleneck_Bps, 100e9 / 8);
  // B is on ct only: cm cannot join A and B.
  EXPECT_EQ(rt.on_carrier(a, t.city_index("B"), t.carrier_index("cm")), nullptr);
}

TEST(Routes, AlternateAvoidsEachFailedLinkOfTheBestPath) {
  const auto t = diamond();
  const topo::RouteTable rt(t);
  const int a = t.city_index("A"), d = t.city_index("D");
  const auto& vars = rt.variants(a, d);
  ASSERT_GE(vars.size(), 2u);
  for (int failed : vars.front().links) {
    const bool some_alternate_avoids = std::any_of(vars.begin() + 1, vars.end(), [&](const topo::Route& r) {
      return std::find(r.links.begin(), r.links.end(), failed) == r.links.end();
    });
    EXPECT_TRUE(some_alternate_avoids) << t.links[static_cast<std::size_t>(failed)].name();
  }
  EXPECT_EQ(names(t, vars[1]), (std::vector<std::string>{"A-B/ct", "B-D/ct"}));
}

TEST(Routes, RouteAvoidingDownLinks) {
  const auto t = diamond();
  const topo::RouteTable rt(t);
  std::vector<bool> up(t.links.size(), true);
  up[2] = false;  // A-C/cm
  auto r = rt.route_avoiding(t.city_index("A"), t.city_index("D"), up);
  ASSERT_TRUE(r);
  EXPECT_EQ(names(t, *r), (std::vector<std::string>{"A-B/ct", "B-D/ct"}));
  up[0] = false;  // and A-B/ct: A is cut off
  EXPECT_FALSE(rt.route_avoiding(t.city_index("A"), t.city_index("D"), up));
}

// X -ct- Y -cm- Z, plus a slow ct X-Z. Carriers may only meet at interconnects.
TEST(Routes, CarriersMeetOnlyAtInterconnectionPoints) {
  const auto body = [](bool y_is_interconnect) {
    return graphml(node("X") + node("Y", y_is_interconnect ? kIc : "") + node("Z") +
                   edge("X", "Y", "ct", "400", "1") + edge("Y", "Z", "cm", "400", "1") +
                   edge("X", "Z", "ct", "400", "10"));
  };
  {
    const auto t = topo::load_topology(test::write_temp(body(false)));
    const topo::RouteTable rt(t);
    EXPECT_DOUBLE_EQ(rt.latency_s(t.city_index("X"), t.city_index("Z")), 10e-3);
  }
  {
    const auto t = topo::load_topology(test::write_temp(body(true)));
    const topo::RouteTable rt(t);
    EXPECT_DOUBLE_EQ(rt.latency_s(t.city_index("X"), t.city_index("Z")), 2e-3);
  }
}

}  // namespace
}  // namespace suanwang

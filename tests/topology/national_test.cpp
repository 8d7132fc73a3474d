// Invariants of the shipped national topology (topology/china.graphml):
// what the README promises a user about it.
#include <gtest/gtest.h>

#include <chrono>
#include <set>

#include "sim/topology/graphml_reader.hpp"
#include "sim/topology/routes.hpp"
#include "sim/topology/topology_report.hpp"

namespace suanwang {
namespace {

const topo::Topology& national() {
  static const topo::Topology t = topo::load_topology(SUANWANG_SOURCE_DIR "/topology/china.graphml");
  return t;
}

TEST(National, SizeCentersHubsCarriers) {
  const auto& t = national();
  EXPECT_GE(t.cities.size(), 34u);
  int centers = 0;
  std::set<std::string> hubs;
  for (const auto& c : t.cities) {
    centers += c.has_center();
    if (!c.hub.empty() && c.has_center()) hubs.insert(c.hub);
  }
  EXPECT_GE(centers, 30);
  EXPECT_EQ(hubs.size(), 8u) << "all 8 East-Data-West-Compute hubs host a center";
  EXPECT_EQ(t.carriers, (std::vector<std::string>{"cm", "ct", "cu"}));
}

TEST(National, DomesticAndImportedChips) {
  const topo::RouteTable rt(national());
  const auto r = topo::describe(national(), rt);
  EXPECT_GT(r.domestic_chips, 0);
  EXPECT_LT(r.domestic_chips, r.chips);
  EXPECT_GE(r.chips_by_vendor.size(), 3u);
}

TEST(National, EveryCenterReachableOnEveryCarrierAndAllPairsRoutable) {
  const auto& t = national();
  const topo::RouteTable rt(t);
  const auto r = topo::describe(t, rt);
  EXPECT_TRUE(r.all_routes_exist);
  for (const auto& c : r.carriers) {
    EXPECT_EQ(c.centers_reachable_pairs, r.center_pairs) << c.carrier;
    EXPECT_TRUE(c.unreachable_centers.empty()) << c.carrier;
  }
}

TEST(National, LatenciesMatchObservedBackboneRoundTrips) {
  const auto& t = national();
  const topo::RouteTable rt(t);
  const auto rtt_ms = [&](const char* a, const char* b) {
    return 2e3 * rt.latency_s(t.city_index(a), t.city_index(b));
  };
  // Carrier backbones: Beijing-Shanghai 25-35 ms, Beijing-Guangzhou 35-50 ms round trip
  // (see topology/data/reference/README.md); allow a margin for our coarser mesh.
  EXPECT_GT(rtt_ms("Beijing", "Shanghai"), 18);
  EXPECT_LT(rtt_ms("Beijing", "Shanghai"), 40);
  EXPECT_GT(rtt_ms("Beijing", "Guangzhou"), 28);
  EXPECT_LT(rtt_ms("Beijing", "Guangzhou"), 60);
}

TEST(National, EveryBestPathHasAnAlternateAvoidingEachOfItsLinks) {
  const auto& t = national();
  const topo::RouteTable rt(t);
  const int n = static_cast<int>(t.cities.size());
  for (int s = 0; s < n; ++s)
    for (int d = 0; d < n; ++d) {
      if (s == d) continue;
      const auto& v = rt.variants(s, d);
      for (int failed : v.front().links) {
        bool ok = false;
        for (std::size_t i = 1; i < v.size() && !ok; ++i)
          ok = std::find(v[i].links.begin(), v[i].links.end(), failed) == v[i].links.end();
        EXPECT_TRUE(ok) << t.cities[s].name << "->" << t.cities[d].name << " without "
                        << t.links[failed].name();
      }
    }
}

}  // namespace
}  // namespace suanwang

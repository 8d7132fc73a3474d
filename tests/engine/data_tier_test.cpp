// The data tier in the engine: storage sites, shared cache fills, staging
// and streaming, read bandwidth shared at a site, outages during a fill.
// Times are hand-computed: a read from the storage site at S to the center
// at A pays the A-S latency once, then moves at the smaller of the site's
// read bandwidth and the link's.
#include <gtest/gtest.h>

#include <cmath>

#include "engine_fixture.hpp"
#include "sim/policy/lua_policy.hpp"

namespace suanwang::testing {
namespace {

constexpr double kGB = 1e9;
constexpr double kLatency = 0.01;   // A-S one way
constexpr double kRead = 5e9;       // the site's read bandwidth, B/s (the bottleneck)
constexpr double kLink = 1e10;      // A-S link, B/s

// City A: a center of 8 chips; city S: no center, a storage site. Datasets
// of 100 GB each, all homed at S. Cache at A: `cache_B`.
Scenario data_world(double cache_B, int datasets = 3) {
  Scenario sc = make_scenario(make_topology({{"A", "a100:8"}, {"S", ""}}, {{"A", "S", kLink, kLatency}}), 3600);
  const int s = sc.topology.city_index("S");
  sc.storage.sites.push_back({s, kRead, std::numeric_limits<double>::infinity()});
  sc.storage.cache_B.assign(sc.topology.cities.size(), 0.0);
  sc.storage.cache_B[static_cast<std::size_t>(sc.topology.city_index("A"))] = cache_B;
  for (int d = 0; d < datasets; ++d)
    sc.workload.datasets.push_back({"d" + std::to_string(d), 100 * kGB, 1.0, {0}});
  return sc;
}

Job data_job(double submit_s, int dataset, double duration_s, bool stream = false, double passes = 1) {
  Job j = make_job(submit_s, 0, 1, duration_s);
  j.dataset = dataset;
  j.dataset_B = 100 * kGB;
  j.stream = stream;
  j.stream_passes = passes;
  return j;
}

double traffic(const MemoryRecorderForTest& rec, TrafficPurpose p) {
  double b = 0;
  for (const TrafficCell& c : rec.end.traffic)
    if (c.purpose == p) b += c.bytes;
  return b;
}

const double kFill = kLatency + 100 * kGB / kRead;  // 20.01 s

TEST(DataTier, JobsAskingForOneDatasetShareOneCacheFill) {
  Scenario sc = data_world(1000 * kGB);
  FixedPolicy policy("A");
  MemoryRecorderForTest rec;
  run(sc, policy, rec, {data_job(0, 0, 100), data_job(1, 0, 100), data_job(500, 0, 100)});
  ASSERT_EQ(rec.jobs.size(), 3u);
  const JobRecord* first = rec.find(1);
  const JobRecord* second = rec.find(2);
  const JobRecord* third = rec.find(3);
  // The first fills the cache; the second waits for that copy; the third finds it.
  EXPECT_EQ(first->cache_hit, 0);
  EXPECT_NEAR(first->start_s, kFill, 1e-6);
  EXPECT_NEAR(first->data_wait_s, kFill, 1e-6);
  EXPECT_EQ(first->data_from, sc.topology.city_index("S"));
  EXPECT_EQ(second->cache_hit, 1);
  EXPECT_NEAR(second->start_s, kFill, 1e-6);
  EXPECT_NEAR(second->data_wait_s, kFill - 1, 1e-6);
  EXPECT_EQ(second->data_from, -1);
  EXPECT_EQ(third->cache_hit, 1);
  EXPECT_NEAR(third->start_s, 500, 1e-9);
  EXPECT_EQ(third->data_wait_s, 0);
  // One copy crossed the backbone.
  EXPECT_NEAR(traffic(rec, TrafficPurpose::cache_fill), 100 * kGB, 1);
  EXPECT_EQ(traffic(rec, TrafficPurpose::dataset), 0);
  ASSERT_EQ(rec.end.dataset_requests.size(), 3u);
  EXPECT_EQ(rec.end.dataset_requests[0], 3u);
  EXPECT_EQ(rec.end.dataset_served[0], 2u);
  EXPECT_NEAR(rec.end.storage_read_B[0], 100 * kGB, 1);
}

TEST(DataTier, WithoutACacheEveryJobReadsItsOwnCopy) {
  Scenario sc = data_world(0);
  FixedPolicy policy("A");
  MemoryRecorderForTest rec;
  run(sc, policy, rec, {data_job(0, 0, 100), data_job(500, 0, 100)});
  for (const JobRecord& j : rec.jobs) {
    EXPECT_EQ(j.cache_hit, 0);
    EXPECT_NEAR(j.data_wait_s, kFill, 1e-6);
  }
  EXPECT_NEAR(traffic(rec, TrafficPurpose::dataset), 200 * kGB, 1);
  EXPECT_EQ(traffic(rec, TrafficPurpose::cache_fill), 0);
}

TEST(DataTier, ReadsFromOneSiteShareItsBandwidth) {
  Scenario sc = data_world(0);
  FixedPolicy policy("A");
  MemoryRecorderForTest rec;
  // Two datasets read at once: each gets half the site's read bandwidth.
  run(sc, policy, rec, {data_job(0, 0, 100), data_job(0, 1, 100)});
  for (const JobRecord& j : rec.jobs) EXPECT_NEAR(j.start_s, kLatency + 200 * kGB / kRead, 1e-6);
}

TEST(DataTier, APinnedDatasetIsNotEvictedForAnother) {
  Scenario sc = data_world(150 * kGB);
  FixedPolicy policy("A");
  MemoryRecorderForTest rec;
  // d0 is in use for 1000 s; d1 arrives meanwhile: no room, its own copy.
  // After both end, d0 is still there: a hit.
  run(sc, policy, rec, {data_job(0, 0, 1000), data_job(100, 1, 10), data_job(2000, 0, 10)});
  EXPECT_EQ(rec.find(2)->cache_hit, 0);
  EXPECT_EQ(rec.find(3)->cache_hit, 1);
  EXPECT_NEAR(traffic(rec, TrafficPurpose::dataset), 100 * kGB, 1);
  EXPECT_NEAR(traffic(rec, TrafficPurpose::cache_fill), 100 * kGB, 1);
  ASSERT_FALSE(rec.end.centers.empty());
  EXPECT_EQ(rec.end.centers[0].cache_evictions, 0u);
}

TEST(DataTier, AStreamingJobGoesNoFasterThanItsReads) {
  // No cache: two passes of 100 GB at 5 GB/s = 40 s of reads for 10 s of
  // compute: the run takes 40.01 s and its chips stall for 30.01 s.
  Scenario sc = data_world(0);
  FixedPolicy policy("A");
  MemoryRecorderForTest rec;
  run(sc, policy, rec, {data_job(0, 0, 10, true, 2)});
  const JobRecord& j = rec.jobs.at(0);
  EXPECT_EQ(j.start_s, 0);  // it queues at once
  EXPECT_EQ(j.data_wait_s, 0);
  EXPECT_NEAR(j.end_s, kLatency + 200 * kGB / kRead, 1e-6);
  EXPECT_NEAR(j.stall_s, kLatency + 200 * kGB / kRead - 10, 1e-6);
  EXPECT_NEAR(traffic(rec, TrafficPurpose::stream), 200 * kGB, 1);
}

TEST(DataTier, AStreamThroughTheCacheReadsOnePassAndOthersFollowIt) {
  // With room in the cache the first job reads one pass (later passes read
  // the local copy): 20.01 s. A job starting at 5 s reads behind that copy:
  // its reads end when it lands. Compute 10 s each.
  Scenario sc = data_world(1000 * kGB);
  FixedPolicy policy("A");
  MemoryRecorderForTest rec;
  run(sc, policy, rec, {data_job(0, 0, 10, true, 3), data_job(5, 0, 10, true, 3), data_job(100, 0, 10, true, 3)});
  EXPECT_NEAR(rec.find(1)->end_s, kFill, 1e-6);
  EXPECT_NEAR(rec.find(1)->stall_s, kFill - 10, 1e-6);
  EXPECT_EQ(rec.find(2)->cache_hit, 1);
  EXPECT_NEAR(rec.find(2)->end_s, kFill, 1e-6);
  EXPECT_NEAR(rec.find(2)->stall_s, kFill - 15, 1e-6);
  // Later: local reads keep up with the compute.
  EXPECT_NEAR(rec.find(3)->end_s, 110, 1e-9);
  EXPECT_EQ(rec.find(3)->stall_s, 0);
  EXPECT_NEAR(traffic(rec, TrafficPurpose::stream), 100 * kGB, 1);
}

TEST(DataTier, AnOutageDuringAFillDropsItAndTheJobsFetchAgain) {
  // The center goes down at 10 s for 100 s while the copy is half way: the
  // fill is lost; when it is back, the two jobs fill it again from scratch.
  Scenario sc = data_world(1000 * kGB);
  sc.failures.centers.push_back({"A", 10, 100});
  FixedPolicy policy("A");
  MemoryRecorderForTest rec;
  run(sc, policy, rec, {data_job(0, 0, 100), data_job(1, 0, 100)});
  ASSERT_EQ(rec.jobs.size(), 2u);
  for (const JobRecord& j : rec.jobs) {
    EXPECT_NEAR(j.start_s, 110 + kFill, 1e-6) << j.id;
    EXPECT_EQ(j.restarts, 0);  // they never ran
  }
  // Half a copy (10 s - latency at 5 GB/s) was lost with the center.
  EXPECT_NEAR(traffic(rec, TrafficPurpose::cache_fill), 100 * kGB + (10 - kLatency) * kRead, 1e3);
  bool sampled = false;
  for (const CenterSample& s : rec.centers)
    if (s.time_s >= 3600) {
      EXPECT_DOUBLE_EQ(s.cache_used_B, 100 * kGB);
      sampled = true;
    }
  EXPECT_TRUE(sampled);
}

TEST(DataTier, PolicySeesWhereCopiesAre) {
  // A and B have centers (A a cache of 1 TB, B none), S the storage site.
  Scenario sc = make_scenario(make_topology({{"A", "a100:8"}, {"B", "a100:8"}, {"S", ""}},
                                            {{"A", "S", kLink, kLatency}, {"B", "S", kLink, kLatency}}),
                              3600);
  sc.storage.sites.push_back({sc.topology.city_index("S"), kRead, std::numeric_limits<double>::infinity()});
  sc.storage.cache_B.assign(sc.topology.cities.size(), 0.0);
  sc.storage.cache_B[static_cast<std::size_t>(sc.topology.city_index("A"))] = 1e12;
  for (int d = 0; d < 2; ++d) sc.workload.datasets.push_back({"d" + std::to_string(d), 100 * kGB, 1.0, {0}});
  lua::SandboxOptions o;
  o.instruction_budget = 1000000;
  const std::string file = std::string(SUANWANG_SOURCE_DIR) + "/tests/engine/data/data_probe.lua";
  LuaPolicy policy(file, "data_probe.lua", {}, o, sc.topology);
  MemoryRecorderForTest rec;
  run(sc, policy, rec, {data_job(0, 0, 10), data_job(100, 0, 10), data_job(105, 1, 10)});
  ASSERT_EQ(rec.jobs.size(), 3u);
  EXPECT_EQ(rec.end.status, "completed");
  const int b = sc.topology.city_index("B");
  EXPECT_EQ(rec.find(2)->center, 1) << "placed at B (center index of city " << b << ")";
  EXPECT_EQ(rec.find(2)->cache_hit, 0);
  // Job 2 reads alone from 100.01 s to 105.01 s (25 GB), then shares the
  // site with job 3: the other 75 GB at 2.5 GB/s.
  EXPECT_NEAR(rec.find(2)->start_s, 105.01 + 75 * kGB / (kRead / 2), 1e-6);
}

}  // namespace
}  // namespace suanwang::testing

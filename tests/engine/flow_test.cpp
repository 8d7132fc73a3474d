// The WAN network model: a flow alone takes path latency + size / bottleneck
// bandwidth; flows sharing a bottleneck share it equally (SimGrid's LV08
// defaults would break both: latency x 13.01 and a TCP-window rate cap).
#include <gtest/gtest.h>

#include "engine_fixture.hpp"

namespace suanwang::testing {
namespace {

// A --10 Gbps, 5 ms-- B --1 Gbps, 10 ms-- C --10 Gbps, 2 ms-- D (center)
topo::Topology line() {
  return make_topology({{"A", ""}, {"B", ""}, {"C", ""}, {"D", "a100:8"}},
                       {{"A", "B", 1.25e9, 0.005}, {"B", "C", 1.25e8, 0.010}, {"C", "D", 1.25e9, 0.002}});
}

TEST(Flow, AloneTakesPathLatencyPlusSizeOverBottleneck) {
  Scenario sc = make_scenario(line(), 86400);
  FixedPolicy policy("D");
  MemoryRecorderForTest rec;
  run(sc, policy, rec, {make_job(0, 0, 1, 10, 1e9)});
  ASSERT_EQ(rec.jobs.size(), 1u);
  const double expected = 0.017 + 1e9 / 1.25e8;  // 8.017 s
  EXPECT_NEAR(rec.jobs[0].start_s, expected, expected * 1e-4);
  EXPECT_NEAR(rec.jobs[0].transfer_s, expected, expected * 1e-4);
  EXPECT_DOUBLE_EQ(rec.jobs[0].bytes_moved, 1e9);
  EXPECT_NEAR(rec.jobs[0].end_s, expected + 10, 1e-3);
  EXPECT_EQ(rec.jobs[0].status, JobStatus::completed);
}

TEST(Flow, TwoEqualFlowsOnOneBottleneckEachGetHalf) {
  Scenario sc = make_scenario(line(), 86400);
  FixedPolicy policy("D");
  MemoryRecorderForTest rec;
  run(sc, policy, rec, {make_job(0, 0, 1, 10, 1e9), make_job(0, 0, 1, 10, 1e9)});
  ASSERT_EQ(rec.jobs.size(), 2u);
  const double expected = 0.017 + 2e9 / 1.25e8;  // both finish together
  for (const auto& j : rec.jobs) EXPECT_NEAR(j.start_s, expected, expected * 1e-4);
}

TEST(Flow, ResultTransferComesBackAndCountsBytesPerLink) {
  Scenario sc = make_scenario(line(), 86400);
  sc.sample_interval_s = 100;
  FixedPolicy policy("D");
  MemoryRecorderForTest rec;
  run(sc, policy, rec, {make_job(0, 0, 1, 10, 1e9, 5e8)});
  ASSERT_EQ(rec.jobs.size(), 1u);
  const double in = 0.017 + 8.0, out = 0.017 + 4.0;
  EXPECT_NEAR(rec.jobs[0].end_s, in + 10, 1e-3);  // end of execution
  EXPECT_NEAR(rec.jobs[0].transfer_s, in + out, 1e-3);
  EXPECT_DOUBLE_EQ(rec.jobs[0].bytes_moved, 1.5e9);
  // Every link of the path carried dataset + result, and only in the first sample.
  ASSERT_FALSE(rec.links.empty());
  for (int l = 0; l < 3; ++l) EXPECT_NEAR(rec.links[0].bytes[l], 1.5e9, 1.0) << "link " << l;
  // Utilisation of the 1 Gbps link over the 100 s sample: max direction 1e9 B.
  EXPECT_NEAR(rec.links[0].utilization[1], 1e9 / (1.25e8 * 100), 1e-9);
  for (std::size_t s = 1; s < rec.links.size(); ++s) EXPECT_EQ(rec.links[s].bytes[1], 0.0);
}

TEST(Flow, SameCityJobMovesNothing) {
  Scenario sc = make_scenario(line(), 86400);
  FixedPolicy policy("D");
  MemoryRecorderForTest rec;
  run(sc, policy, rec, {make_job(5, 3, 1, 10, 1e12, 1e12)});
  ASSERT_EQ(rec.jobs.size(), 1u);
  EXPECT_DOUBLE_EQ(rec.jobs[0].start_s, 5);
  EXPECT_DOUBLE_EQ(rec.jobs[0].bytes_moved, 0);
}

// record_flows: one row per flow, with hand-computed times. Two datasets
// share the 1 Gbps B-C link (16 s for both after 17 ms of latency), then
// run 10 s, then their results share it again (8 s).
TEST(Flow, RecordedFlowsCarryTheirRouteTimesAndBytes) {
  Scenario sc = make_scenario(line(), 86400);
  sc.record_flows = true;
  FixedPolicy policy("D");
  MemoryRecorderForTest rec;
  run(sc, policy, rec, {make_job(0, 0, 1, 10, 1e9, 5e8), make_job(0, 0, 1, 10, 1e9, 5e8)});
  ASSERT_EQ(rec.flows.size(), 4u);
  const double in_end = 0.017 + 16, out_start = in_end + 10 + 0.017;
  for (std::size_t i = 0; i < 4; ++i) {
    const FlowRecord& f = rec.flows[i];
    const bool in = i < 2;  // rows come in the order flows ended
    EXPECT_EQ(f.purpose, in ? TrafficPurpose::dataset : TrafficPurpose::result) << i;
    EXPECT_EQ(f.src, in ? 0 : 3) << i;
    EXPECT_EQ(f.dst, in ? 3 : 0) << i;
    EXPECT_FALSE(f.from_storage);
    EXPECT_EQ(f.variant, 0);
    EXPECT_NEAR(f.start_s, in ? 0.017 : out_start, 1e-9) << i;
    EXPECT_NEAR(f.end_s, in ? in_end : out_start + 8, 1e-6) << i;
    EXPECT_DOUBLE_EQ(f.bytes, in ? 1e9 : 5e8);
    EXPECT_DOUBLE_EQ(f.moved_B, f.bytes);
    EXPECT_EQ(f.outcome, FlowOutcome::completed);
  }
  EXPECT_NE(rec.flows[0].job, rec.flows[1].job);
}

TEST(Flow, WithoutRecordFlowsNoFlowIsRecorded) {
  Scenario sc = make_scenario(line(), 86400);
  FixedPolicy policy("D");
  MemoryRecorderForTest rec;
  run(sc, policy, rec, {make_job(0, 0, 1, 10, 1e9, 5e8)});
  ASSERT_EQ(rec.jobs.size(), 1u);
  EXPECT_TRUE(rec.flows.empty());
}

// A flow still moving at the horizon is recorded unfinished, with the bytes
// it moved by then.
TEST(Flow, AFlowCutByTheHorizonIsUnfinishedWithWhatItMoved) {
  Scenario sc = make_scenario(line(), 5);
  sc.record_flows = true;
  FixedPolicy policy("D");
  MemoryRecorderForTest rec;
  run(sc, policy, rec, {make_job(0, 0, 1, 10, 1e9)});
  ASSERT_EQ(rec.flows.size(), 1u);
  EXPECT_EQ(rec.flows[0].outcome, FlowOutcome::unfinished);
  EXPECT_DOUBLE_EQ(rec.flows[0].end_s, 5);
  EXPECT_NEAR(rec.flows[0].moved_B, (5 - 0.017) * 1.25e8, 1.0);
}

}  // namespace
}  // namespace suanwang::testing

// Failures: outages kill and resubmit jobs (losing work since the last
// checkpoint), failed links make transfers retry on a surviving path.
#include <gtest/gtest.h>

#include "engine_fixture.hpp"

namespace suanwang::testing {
namespace {

TEST(Failures, OutageKillsJobWhichRestartsFromItsLastCheckpoint) {
  Scenario sc = make_scenario(make_topology({{"X", "a100:1"}}, {}), 86400);
  sc.failures.centers.push_back({"X", 2.5 * 3600, 3600});
  FixedPolicy policy("X");
  MemoryRecorderForTest rec;
  Job j = make_job(0, 0, 1, 10 * 3600);
  j.checkpoint_interval_s = 3600;
  run(sc, policy, rec, {j});
  ASSERT_EQ(rec.jobs.size(), 1u);
  const JobRecord& r = rec.jobs[0];
  EXPECT_EQ(r.status, JobStatus::completed) << r.reason;
  EXPECT_EQ(r.restarts, 1);
  // Killed at 2.5 h with 2 h checkpointed; restarts at the repair (3.5 h) with 8 h left.
  EXPECT_NEAR(r.end_s, 3.5 * 3600 + 8 * 3600, 1e-6);
  EXPECT_NEAR(r.wait_s, 0, 1e-9);  // wait is to the first start
  // Energy covers both executions: 2.5 h + 8 h of one busy chip.
  EXPECT_NEAR(r.energy_J, 400.0 * 10.5 * 3600, 1e-3);
  // The outage hour is not available capacity.
  EXPECT_NEAR(rec.end.chip_seconds_available, 86400 - 3600, 1e-6);
}

TEST(Failures, WithoutCheckpointsAKillLosesEverything) {
  Scenario sc = make_scenario(make_topology({{"X", "a100:1"}}, {}), 86400);
  sc.failures.centers.push_back({"X", 3600, 600});
  FixedPolicy policy("X");
  MemoryRecorderForTest rec;
  run(sc, policy, rec, {make_job(0, 0, 1, 2 * 3600)});
  ASSERT_EQ(rec.jobs.size(), 1u);
  EXPECT_NEAR(rec.jobs[0].end_s, 3600 + 600 + 2 * 3600, 1e-6);
}

TEST(Failures, TooManyKillsFailTheJobWithAReason) {
  Scenario sc = make_scenario(make_topology({{"X", "a100:1"}}, {}), 86400);
  sc.failures.max_restarts = 1;
  sc.failures.centers.push_back({"X", 100, 10});
  sc.failures.centers.push_back({"X", 200, 10});
  FixedPolicy policy("X");
  MemoryRecorderForTest rec;
  run(sc, policy, rec, {make_job(0, 0, 1, 3600)});
  ASSERT_EQ(rec.jobs.size(), 1u);
  EXPECT_EQ(rec.jobs[0].status, JobStatus::failed);
  EXPECT_NE(rec.jobs[0].reason.find("killed"), std::string::npos) << rec.jobs[0].reason;
}

// A --direct 10 Gbps 10 ms-- D, and A --B-- D, 10 Gbps 10 ms each hop.
topo::Topology triangle() {
  return make_topology({{"A", ""}, {"B", ""}, {"D", "a100:1"}},
                       {{"A", "D", 1.25e9, 0.010}, {"A", "B", 1.25e9, 0.010}, {"B", "D", 1.25e9, 0.010}});
}

TEST(Failures, TransferOnAFailedLinkRetriesOnASurvivingPath) {
  Scenario sc = make_scenario(triangle(), 86400);
  sc.failures.links.push_back({"A-D/ct", 40, 0});  // never repaired
  FixedPolicy policy("D");
  MemoryRecorderForTest rec;
  run(sc, policy, rec, {make_job(0, 0, 1, 10, 100e9)});
  ASSERT_EQ(rec.jobs.size(), 1u);
  const JobRecord& r = rec.jobs[0];
  EXPECT_NEAR(r.start_s, 40 + 0.020 + 80, 1e-3);
  EXPECT_NEAR(r.transfer_delay_s, 40, 1e-6);
  EXPECT_NEAR(r.bytes_moved, 100e9 + (40 - 0.010) * 1.25e9, 1e3);
}

// The flows table (record_flows) shows the attempt the failure cut, with the
// bytes it moved, then the one that completed on the other variant.
TEST(Failures, ALostAttemptIsAFlowOfItsOwnInTheFlowsTable) {
  Scenario sc = make_scenario(triangle(), 86400);
  sc.failures.links.push_back({"A-D/ct", 40, 0});
  sc.record_flows = true;
  FixedPolicy policy("D");
  MemoryRecorderForTest rec;
  run(sc, policy, rec, {make_job(0, 0, 1, 10, 100e9)});
  ASSERT_EQ(rec.flows.size(), 2u);
  const FlowRecord& lost = rec.flows[0];
  EXPECT_EQ(lost.outcome, FlowOutcome::lost);
  EXPECT_EQ(lost.variant, 0);
  EXPECT_NEAR(lost.start_s, 0.010, 1e-9);
  EXPECT_NEAR(lost.end_s, 40, 1e-9);
  EXPECT_DOUBLE_EQ(lost.bytes, 100e9);
  EXPECT_NEAR(lost.moved_B, (40 - 0.010) * 1.25e9, 1e3);
  const FlowRecord& done = rec.flows[1];
  EXPECT_EQ(done.outcome, FlowOutcome::completed);
  EXPECT_EQ(done.variant, 1);  // A-B-D
  EXPECT_NEAR(done.start_s, 40.020, 1e-9);
  EXPECT_NEAR(done.end_s, 40.020 + 80, 1e-6);
  EXPECT_DOUBLE_EQ(done.moved_B, 100e9);
  EXPECT_NEAR(lost.moved_B + done.moved_B, rec.jobs[0].bytes_moved, 1.0);
}

TEST(Failures, NewTransfersAvoidDownLinksAndParkWithoutARoute) {
  Scenario sc = make_scenario(triangle(), 86400);
  sc.failures.links.push_back({"A-D/ct", 0, 0});
  sc.failures.links.push_back({"A-B/ct", 0, 100});  // A is cut off until t = 100
  FixedPolicy policy("D");
  MemoryRecorderForTest rec;
  run(sc, policy, rec, {make_job(10, 0, 1, 10, 1.25e9)});
  ASSERT_EQ(rec.jobs.size(), 1u);
  // Parked from 10 to 100, then 1 s over A-B-D (20 ms latency).
  EXPECT_NEAR(rec.jobs[0].start_s, 100 + 0.020 + 1.0, 1e-3);
  EXPECT_NEAR(rec.jobs[0].transfer_delay_s, 90, 1e-6);
}

TEST(Failures, UnknownLinkIsAUserError) {
  Scenario sc = make_scenario(triangle(), 86400);
  sc.failures.links.push_back({"A-Q/ct", 0, 0});
  FixedPolicy policy("D");
  MemoryRecorderForTest rec;
  try {
    run(sc, policy, rec, {});
    FAIL() << "expected a UserError";
  } catch (const std::exception& e) {
    EXPECT_NE(std::string(e.what()).find("A-Q/ct"), std::string::npos) << e.what();
  }
}

// Random failures: each element alternates exponential up (MTBF) and down
// (MTTR) periods, so over many cycles it is up MTBF / (MTBF + MTTR) of the
// time; jobs keep flowing and every job is still accounted for.
TEST(Failures, RandomFailuresGiveTheExpectedAvailability) {
  Scenario sc = make_scenario(triangle(), 60 * 86400.0);
  sc.sample_interval_s = 600;
  sc.failures.random.link_mtbf_s = 4 * 3600;
  sc.failures.random.link_mttr_s = 3600;
  sc.failures.random.center_mtbf_s = 86400;
  sc.failures.random.center_mttr_s = 2 * 3600;
  sc.failures.max_restarts = 1000;
  FixedPolicy policy("D");
  MemoryRecorderForTest rec;
  std::vector<Job> jobs;
  for (int i = 0; i < 2000; ++i) jobs.push_back(make_job(i * 1800.0, 0, 1, 600, 1e9, 1e8));
  const RunTotals t = run(sc, policy, rec, jobs);
  EXPECT_EQ(t.jobs_submitted, 2000u);
  EXPECT_EQ(t.jobs_completed + t.jobs_failed + t.jobs_rejected + t.jobs_unfinished, 2000u);
  EXPECT_GT(t.jobs_completed, 1500u);

  double link_up = 0, link_n = 0;
  for (const LinkSample& s : rec.links)
    for (std::uint8_t u : s.up) {
      link_up += u;
      ++link_n;
    }
  ASSERT_GT(link_n, 0);
  EXPECT_NEAR(link_up / link_n, 4.0 / 5.0, 0.04);
  double center_up = 0, center_n = 0;
  for (const CenterSample& s : rec.centers) {
    center_up += s.up;
    ++center_n;
  }
  ASSERT_GT(center_n, 0);
  EXPECT_NEAR(center_up / center_n, 24.0 / 26.0, 0.04);
  // Outages killed some jobs, which restarted and still completed.
  int restarted = 0;
  for (const JobRecord& r : rec.jobs) restarted += r.restarts > 0 && r.status == JobStatus::completed;
  EXPECT_GT(restarted, 0);
}

}  // namespace
}  // namespace suanwang::testing

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

}  // namespace
}  // namespace suanwang::testing

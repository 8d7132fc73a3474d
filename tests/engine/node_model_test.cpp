// Pools made of servers in a whole run: jobs land on servers, free chips
// scattered over servers do not fit a job (fragmentation), gangs take whole
// servers and run slower, and local_queue "none" refuses what cannot start.
#include <gtest/gtest.h>

#include "engine_fixture.hpp"

namespace suanwang::testing {
namespace {

constexpr double kH = 3600;

Scenario servers_world(const std::string& pools, double duration_s = 10 * kH) {
  return make_scenario(make_topology({{"X", pools}}, {}), duration_s);
}

TEST(NodeModel, FreeChipsOnTwoServersDoNotFitAJobOfTwo) {
  // Two servers of 4: two 3-chip jobs take one server each; a 2-chip job
  // then waits although 2 chips are free (one on each server), until a
  // 3-chip job ends. On a flat pool of 8 it starts at once.
  const std::vector<Job> jobs = {make_job(0, 0, 3, kH), make_job(0, 0, 3, 2 * kH), make_job(10, 0, 2, 60)};
  for (const bool servers : {true, false}) {
    // (start of job 3, server of jobs 1..3, servers of job 3)
    const std::vector<double> got = in_child([&] {
      Scenario sc = servers_world(servers ? "a100:2x4" : "a100:8");
      FixedPolicy policy("X");
      MemoryRecorderForTest rec;
      run(sc, policy, rec, jobs);
      return std::vector<double>{rec.find(3)->start_s, double(rec.find(1)->server), double(rec.find(2)->server),
                                 double(rec.find(3)->server), double(rec.find(3)->servers)};
    });
    ASSERT_EQ(got.size(), 5u);
    EXPECT_DOUBLE_EQ(got[0], servers ? kH : 10) << (servers ? "servers" : "flat");
    if (servers) {
      EXPECT_NE(got[1], got[2]);  // one 3-chip job per server
      EXPECT_EQ(got[3], got[1]);  // where the first one ended
      EXPECT_EQ(got[4], 1);
    } else {
      EXPECT_EQ(got[3], -1);
      EXPECT_EQ(got[4], 0);
    }
  }
}

TEST(NodeModel, AGangTakesWholeServersAndRunsSlower) {
  Scenario sc = servers_world("a100:3x4");
  sc.spread_slowdown[static_cast<int>(JobKind::training)] = 0.25;
  FixedPolicy policy("X");
  MemoryRecorderForTest rec;
  // 6 chips on servers of 4: two whole servers (8 chips held), 25% slower.
  run(sc, policy, rec, {make_job(0, 0, 6, kH), make_job(1, 0, 4, 60), make_job(2, 0, 1, 60)});
  ASSERT_EQ(rec.jobs.size(), 3u);
  const JobRecord* gang = rec.find(1);
  EXPECT_EQ(gang->servers, 2);
  EXPECT_DOUBLE_EQ(gang->end_s, 1.25 * kH);
  // It held 8 chips for 1.25 h: 8 x 400 W.
  EXPECT_NEAR(gang->energy_J, 8 * 400.0 * 1.25 * kH, 1e-6);
  EXPECT_DOUBLE_EQ(rec.find(2)->start_s, 1);     // the third server
  EXPECT_DOUBLE_EQ(rec.find(3)->start_s, 61);    // after job 2 freed the third server
}

TEST(NodeModel, VgpuSharesComeFromOneChip) {
  // One server of 2 chips, 4 slices each (make_scenario): three 0.75 shares
  // use 3 slices each; the third cannot be assembled from two chips' spare
  // slice, so it waits for a share to end.
  Scenario sc = servers_world("a100:1x2");
  FixedPolicy policy("X");
  MemoryRecorderForTest rec;
  run(sc, policy, rec, {make_job(0, 0, 0.75, kH), make_job(0, 0, 0.75, 2 * kH), make_job(5, 0, 0.75, 60)});
  EXPECT_DOUBLE_EQ(rec.find(3)->start_s, kH);
}

TEST(NodeModel, NoneQueueRefusesWhatCannotStartAtOnce) {
  Scenario sc = servers_world("a100:2x4");
  sc.local_queue = QueueDiscipline::none;
  FixedPolicy policy("X");
  MemoryRecorderForTest rec;
  run(sc, policy, rec, {make_job(0, 0, 3, kH), make_job(0, 0, 3, kH), make_job(1, 0, 2, kH), make_job(2, 0, 1, kH)});
  ASSERT_EQ(rec.jobs.size(), 4u);
  EXPECT_EQ(rec.find(3)->status, JobStatus::failed);
  EXPECT_NE(rec.find(3)->reason.find("nothing waits"), std::string::npos) << rec.find(3)->reason;
  EXPECT_EQ(rec.find(4)->status, JobStatus::completed);  // 1 chip fits on either server
  EXPECT_DOUBLE_EQ(rec.find(4)->start_s, 2);
}

TEST(NodeModel, CpuOnlyJobsHoldServerCpus) {
  topo::Topology t = make_topology({{"X", "a100:2x4"}}, {});
  t.accelerators[0].server_cpu_cores = 16;  // each server: 4 chips, 16 cores
  Scenario sc = make_scenario(t, 10 * kH);
  FixedPolicy policy("X");
  MemoryRecorderForTest rec;
  Job cpu_a = make_job(0, 0, 0, kH), cpu_b = make_job(0, 0, 0, kH), gpu = make_job(1, 0, 1, 60);
  cpu_a.cpu_cores = cpu_b.cpu_cores = 12;  // one per server, 4 cores left on each
  gpu.cpu_cores = 8;                       // a GPU is free but no server has 8 cores
  run(sc, policy, rec, {cpu_a, cpu_b, gpu});
  ASSERT_EQ(rec.jobs.size(), 3u);
  EXPECT_EQ(rec.find(1)->status, JobStatus::completed);
  EXPECT_NE(rec.find(1)->server, rec.find(2)->server);
  EXPECT_DOUBLE_EQ(rec.find(3)->start_s, kH);
  EXPECT_DOUBLE_EQ(rec.find(1)->energy_J, 0);  // no chip busy
}

TEST(NodeModel, FragmentedChipsAreSampled) {
  // Two servers of 4; jobs of 3 chips everywhere: after two 3-chip jobs, one
  // free chip per server is unusable by the only shape that arrived.
  Scenario sc = servers_world("a100:2x4", 2 * kH);
  sc.sample_interval_s = kH;
  FixedPolicy policy("X");
  MemoryRecorderForTest rec;
  run(sc, policy, rec, {make_job(0, 0, 3, 10 * kH), make_job(0, 0, 3, 10 * kH)});
  ASSERT_FALSE(rec.centers.empty());
  EXPECT_DOUBLE_EQ(rec.centers.front().busy_chips, 6);
  EXPECT_DOUBLE_EQ(rec.centers.front().fragmented_chips, 2);
}

TEST(NodeModel, SamePoolsAsFlatGiveTheFlatResultsWhenNothingFragments) {
  // Whole-server jobs never fragment: servers and flat agree exactly.
  std::vector<Job> jobs;
  for (int i = 0; i < 40; ++i) jobs.push_back(make_job(i * 600.0, 0, 4, 3000 + 100 * (i % 7)));
  const auto ends = [&](bool servers) {
    return in_child([&] {
      Scenario sc = servers_world(servers ? "a100:2x4" : "a100:8", 20 * kH);
      FixedPolicy policy("X");
      MemoryRecorderForTest rec;
      run(sc, policy, rec, jobs);
      std::vector<double> out(40, -1);
      for (const JobRecord& r : rec.jobs) out[r.id - 1] = r.end_s;
      return out;
    });
  };
  const std::vector<double> flat = ends(false), servers = ends(true);
  ASSERT_EQ(flat.size(), 40u);
  ASSERT_EQ(servers.size(), 40u);
  for (int i = 0; i < 40; ++i) {
    EXPECT_GT(flat[i], 0) << "job " << i + 1;
    EXPECT_DOUBLE_EQ(flat[i], servers[i]) << "job " << i + 1;
  }
}

}  // namespace
}  // namespace suanwang::testing

namespace suanwang::testing {
namespace {

TEST(NodeModel, PooledSharingAssemblesChipsFromAnyServerAtACost) {
  // As FreeChipsOnTwoServersDoNotFitAJobOfTwo, pooled: the 2-chip job starts
  // at once on one free chip of each server, 10% slower.
  Scenario sc = servers_world("a100:2x4");
  sc.gpu_pooling = true;
  sc.pooling_slowdown = 0.1;
  FixedPolicy policy("X");
  MemoryRecorderForTest rec;
  run(sc, policy, rec, {make_job(0, 0, 3, kH), make_job(0, 0, 3, 2 * kH), make_job(10, 0, 2, 60)});
  ASSERT_EQ(rec.jobs.size(), 3u);
  EXPECT_DOUBLE_EQ(rec.find(3)->start_s, 10);
  EXPECT_DOUBLE_EQ(rec.find(3)->end_s, 10 + 66);
  EXPECT_DOUBLE_EQ(rec.find(1)->end_s, 1.1 * kH);
  EXPECT_EQ(rec.find(3)->server, -1);  // no server of its own
}

}  // namespace
}  // namespace suanwang::testing

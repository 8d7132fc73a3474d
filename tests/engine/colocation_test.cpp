// Online/offline colocation: a service lends the chips its load does not
// need to preemptible jobs and takes them back, evicting, when load rises.
#include <gtest/gtest.h>

#include <cmath>

#include "engine_fixture.hpp"
#include "sim/engine/service_model.hpp"

namespace suanwang::testing {
namespace {

constexpr double kH = 3600;

// One center of 16 chips; a service holding all 16, whose request rate is
// low for the first 6 hours and at its peak from 6 h to 12 h (a step
// profile); one preemptible 4-chip job arriving every 10 minutes for 6 h.
Scenario colocation_world() {
  Scenario sc = make_scenario(make_topology({{"X", "a100:16"}}, {}), 12 * kH);
  sc.sample_interval_s = kH;
  ServiceSpec s;
  s.name = "chat";
  s.peak_rate_per_s = 120;   // 40 ms per request: 4.8 chips busy at the peak
  s.service_time_s = 0.04;
  s.chips = 16;
  s.center = 0;
  s.slo_s = 0.2;
  s.profile.hourly.assign(24, 1.0);
  for (int h = 0; h < 6; ++h) s.profile.hourly[h] = 0.1;
  s.lend = true;
  s.slo_target = 0.99;
  s.lend_interval_s = kH;
  sc.workload.services.push_back(s);
  return sc;
}

std::vector<Job> batch_jobs() {
  std::vector<Job> jobs;
  for (int i = 0; i < 36; ++i) {
    Job j = make_job(60 + i * 600.0, 0, 4, 2 * kH);
    j.preemptible = true;
    j.checkpoint_interval_s = 1800;
    jobs.push_back(j);
  }
  return jobs;
}

TEST(Colocation, BatchRidesOnTheTroughAndIsEvictedAtThePeak) {
  Scenario sc = colocation_world();
  FixedPolicy policy("X");
  MemoryRecorderForTest rec;
  run(sc, policy, rec, batch_jobs());
  ASSERT_FALSE(rec.services.empty());
  // At low load the service lends most of its chips; at the peak fewer.
  double lent_low = -1, lent_peak = -1;
  for (const ServiceSample& s : rec.services) {
    if (s.time_s == 5 * kH) lent_low = s.lent_chips;
    if (s.time_s == 8 * kH) lent_peak = s.lent_chips;
    EXPECT_LE(s.borrowed_chips, s.lent_chips) << "t=" << s.time_s;
    // Kept chips are sized for the SLO target: violations stay under 1%.
    EXPECT_LE(s.slo_violation_fraction, 0.01 + 1e-12) << "t=" << s.time_s;
  }
  EXPECT_GE(lent_low, 12);
  EXPECT_LT(lent_peak, lent_low);
  // Jobs ran on lent chips, and some were evicted when the load rose.
  int completed = 0, preempted = 0;
  double lost = 0;
  for (const JobRecord& r : rec.jobs) {
    if (r.id == 1) continue;  // the service's deployment
    completed += r.status == JobStatus::completed;
    preempted += r.preemptions > 0;
    lost += r.lost_chip_s;
  }
  EXPECT_GT(completed, 10);
  EXPECT_GT(preempted, 0);
  EXPECT_GT(lost, 0);
}

TEST(Colocation, WithoutLendingBatchWaitsForTheServicesChips) {
  Scenario sc = colocation_world();
  sc.workload.services[0].lend = false;
  FixedPolicy policy("X");
  MemoryRecorderForTest rec;
  run(sc, policy, rec, batch_jobs());
  for (const JobRecord& r : rec.jobs)
    if (r.id != 1) {
      EXPECT_NE(r.status, JobStatus::completed) << "job " << r.id;  // no free chip ever
    }
  for (const ServiceSample& s : rec.services) EXPECT_EQ(s.lent_chips, 0);
}

TEST(Colocation, LentChipsThatRunNothingDrawIdlePower) {
  // The service alone: all 16 chips are held; with lending, those lent (and
  // unused) draw idle power, so the center uses less energy than when the
  // service keeps them busy.
  const auto energy = [](bool lend) {
    return in_child([lend] {
      Scenario sc = colocation_world();
      sc.workload.services[0].lend = lend;
      FixedPolicy policy("X");
      MemoryRecorderForTest rec;
      run(sc, policy, rec, {});
      return std::vector<double>{rec.end.centers[0].it_energy_J, rec.end.busy_chip_seconds};
    });
  };
  const auto kept = energy(false), lent = energy(true);
  ASSERT_EQ(kept.size(), 2u);
  ASSERT_EQ(lent.size(), 2u);
  EXPECT_NEAR(kept[0], 16 * 400.0 * 12 * kH, 1);  // all busy
  EXPECT_LT(lent[0], 0.6 * kept[0]);
  EXPECT_LT(lent[1], 0.6 * kept[1]);              // busy chip-seconds follow
}

TEST(Colocation, TheLastSampleSeesTheLastIntervalsLending) {
  // The load is at its peak for the 6 hours simulated and falls at the
  // horizon: nothing is resized for the hour after the horizon, so the
  // horizon's sample (the last interval's load) finds the chips that load
  // needs, not the fewer an idle next hour would keep.
  Scenario sc = colocation_world();
  sc.duration_s = 6 * kH;
  ServiceSpec& s = sc.workload.services[0];
  s.peak_rate_per_s = 300;  // 12 chips busy
  for (int h = 0; h < 24; ++h) s.profile.hourly[h] = h < 6 ? 1.0 : 0.05;
  FixedPolicy policy("X");
  MemoryRecorderForTest rec;
  run(sc, policy, rec, {});
  ASSERT_FALSE(rec.services.empty());
  for (const ServiceSample& x : rec.services) {
    EXPECT_LE(x.slo_violation_fraction, 0.01 + 1e-12) << "t=" << x.time_s;
    EXPECT_LE(x.lent_chips, 3) << "t=" << x.time_s;
  }
  EXPECT_EQ(rec.services.back().time_s, 6 * kH);
}

TEST(Colocation, BorrowersOnAPoolOfServersHoldNoServer) {
  // The same world with the 16 chips as 2 servers of 8: the service holds
  // both (a gang); its borrowers take lent chips as a bag, outside node
  // placement, and record no server.
  Scenario sc = colocation_world();
  sc.topology = make_topology({{"X", "a100:2x8"}}, {});
  FixedPolicy policy("X");
  MemoryRecorderForTest rec;
  run(sc, policy, rec, batch_jobs());
  int completed = 0;
  for (const JobRecord& r : rec.jobs) {
    if (r.id == 1) {
      EXPECT_EQ(r.servers, 2) << "the deployment";
      continue;
    }
    completed += r.status == JobStatus::completed;
    EXPECT_EQ(r.server, -1) << "job " << r.id;
    EXPECT_EQ(r.servers, 0) << "job " << r.id;
  }
  EXPECT_GT(completed, 10);
}

}  // namespace
}  // namespace suanwang::testing

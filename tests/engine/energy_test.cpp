// Energy, cost and carbon: the plugin's watts, times PUE, price and grid factor.
#include <gtest/gtest.h>

#include <array>

#include "engine_fixture.hpp"

namespace suanwang::testing {
namespace {

TEST(Energy, IdleDayIsIdleWattsTimesPueTimesADay) {
  Scenario sc = make_scenario(make_topology({{"X", "a100:8", 1.2, 0.5}}, {}), 86400);
  FixedPolicy policy("X");
  MemoryRecorderForTest rec;
  const RunTotals t = run(sc, policy, rec, {});
  ASSERT_TRUE(rec.ended);
  ASSERT_EQ(rec.end.centers.size(), 1u);
  const double expected_J = 8 * 100.0 * 1.2 * 86400;
  EXPECT_NEAR(rec.end.centers[0].energy_J, expected_J, expected_J * 1e-9);
  EXPECT_NEAR(rec.end.centers[0].it_energy_J, expected_J / 1.2, expected_J * 1e-9);
  EXPECT_NEAR(rec.end.centers[0].cost_CNY, expected_J / 3.6e6 * 0.5, 1e-6);
  EXPECT_NEAR(rec.end.centers[0].carbon_kg, expected_J / 3.6e6 * 0.8843, 1e-6);
  EXPECT_NEAR(t.energy_J, expected_J, expected_J * 1e-9);
  EXPECT_EQ(t.jobs_submitted, 0u);
  // 24 hourly samples, each at idle power.
  ASSERT_EQ(rec.centers.size(), 24u);
  for (const auto& s : rec.centers) EXPECT_NEAR(s.power_W, 8 * 100.0 * 1.2, 1e-6);
}

TEST(Energy, BusyChipsDrawBusyWattsAndJobsCarryTheirShare) {
  Scenario sc = make_scenario(make_topology({{"X", "a100:8", 1.5, 0.6}}, {}), 7200);
  FixedPolicy policy("X");
  MemoryRecorderForTest rec;
  run(sc, policy, rec, {make_job(0, 0, 2, 3600)});
  ASSERT_EQ(rec.jobs.size(), 1u);
  const double job_J = 2 * 400.0 * 3600 * 1.5;
  EXPECT_NEAR(rec.jobs[0].energy_J, job_J, 1e-6 * job_J);
  EXPECT_NEAR(rec.jobs[0].cost_CNY, job_J / 3.6e6 * 0.6, 1e-9);
  EXPECT_NEAR(rec.jobs[0].carbon_kg, job_J / 3.6e6 * 0.8843, 1e-9);
  // Center: 2 chips busy for an hour, 8 idle chips otherwise.
  const double center_J = (2 * 400.0 * 3600 + 6 * 100.0 * 3600 + 8 * 100.0 * 3600) * 1.5;
  EXPECT_NEAR(rec.end.centers[0].energy_J, center_J, 1e-6 * center_J);
  EXPECT_NEAR(rec.end.busy_chip_seconds, 2 * 3600, 1e-6);
  EXPECT_NEAR(rec.end.chip_seconds_available, 8 * 7200, 1e-6);
}

TEST(Energy, TimeOfUsePriceWeighsEachHour) {
  Scenario sc = make_scenario(make_topology({{"X", "a100:1", 1.0, 1.0}}, {}), 7200);
  sc.price_profile_hourly.assign(24, 1.0);
  sc.price_profile_hourly[1] = 2.0;  // 01:00-02:00 costs double
  FixedPolicy policy("X");
  MemoryRecorderForTest rec;
  run(sc, policy, rec, {make_job(1800, 0, 1, 3600)});  // 00:30 -> 01:30
  ASSERT_EQ(rec.jobs.size(), 1u);
  const double kwh_per_half_hour = 400.0 * 1800 / 3.6e6;
  EXPECT_NEAR(rec.jobs[0].cost_CNY, kwh_per_half_hour * 1.0 + kwh_per_half_hour * 2.0, 1e-9);
}

// The hourly carbon profile and the green share are charged like the
// time-of-use price: per job hour by hour, per center per metered interval.
TEST(Energy, HourlyCarbonAndGreenShareWeighEachHour) {
  Scenario sc = make_scenario(make_topology({{"X", "a100:1", 1.0, 1.0}}, {}), 7200);
  std::array<double, 24> m;
  m.fill(1.0);
  m[1] = 2.0;  // 01:00-02:00 emits double
  sc.topology.carbon.profiles = {{"p", m, 0}};
  sc.topology.carbon_choice.hourly = true;
  sc.topology.carbon_choice.green_power = true;
  sc.topology.cities[0].carbon_profile = 0;
  sc.topology.cities[0].green_share = 0.25;
  sc.sample_interval_s = 7200;  // the meter shortens it to an hour: the profile is hourly
  FixedPolicy policy("X");
  MemoryRecorderForTest rec;
  run(sc, policy, rec, {make_job(1800, 0, 1, 3600)});  // 00:30 -> 01:30
  ASSERT_EQ(rec.jobs.size(), 1u);
  const double kg_per_kwh = 0.8843 * (1 - 0.25);
  const double kwh_per_half_hour = 400.0 * 1800 / 3.6e6;
  EXPECT_NEAR(rec.jobs[0].carbon_kg, kg_per_kwh * (kwh_per_half_hour * 1.0 + kwh_per_half_hour * 2.0), 1e-9);
  ASSERT_EQ(rec.centers.size(), 2u) << "hourly samples";
  // Center: idle 100 W except the job's hour at 400 W; hour 1 counts double.
  const double h0_kwh = (100.0 * 1800 + 400.0 * 1800) / 3.6e6, h1_kwh = (400.0 * 1800 + 100.0 * 1800) / 3.6e6;
  EXPECT_NEAR(rec.end.centers[0].carbon_kg, kg_per_kwh * (h0_kwh + 2 * h1_kwh), 1e-9);
}

}  // namespace
}  // namespace suanwang::testing

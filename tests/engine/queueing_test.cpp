// Queueing against theory: M/M/c mean wait (Erlang C) through the whole engine.
#include <gtest/gtest.h>

#include <cmath>

#include "engine_fixture.hpp"
#include "sim/engine/service_model.hpp"
#include "sim/workload/distribution.hpp"

namespace suanwang::testing {
namespace {

// One center of c chips, Poisson arrivals, exponential 1-chip jobs: the mean
// wait of jobs after a warm-up must be within 3% of Erlang C's formula.
double simulated_mean_wait(double load, int c, long n_jobs) {
  const double mean_service_s = 600;
  const double lambda = load * c / mean_service_s;
  const double horizon = 1e12;
  Scenario sc = make_scenario(make_topology({{"X", "a100:" + std::to_string(c)}}, {}), horizon);
  sc.sample_interval_s = 1e9;
  FixedPolicy policy("X");
  MemoryRecorderForTest rec;
  Rng arrivals(12345), sizes(678);
  double t = 0;
  long made = 0;
  auto source = std::make_unique<FunctionSource>([&]() -> std::optional<Job> {
    if (made >= n_jobs) return std::nullopt;
    ++made;
    t += sample_exponential(arrivals, 1.0 / lambda);
    return make_job(t, 0, 1, sample_exponential(sizes, mean_service_s));
  });
  RunInfo info;
  run_simulation(sc, policy, rec, info, {true}, std::move(source));
  // Drop the first 5% (warm-up from an empty system).
  double sum = 0;
  long k = 0;
  for (const auto& j : rec.jobs)
    if (j.id > static_cast<std::uint64_t>(n_jobs / 20) && j.status == JobStatus::completed) {
      sum += j.wait_s;
      ++k;
    }
  EXPECT_EQ(rec.jobs.size(), static_cast<std::size_t>(n_jobs));
  return sum / k;
}

double erlang_c_wait(double load, int c, double mean_service_s) {
  const double mu = 1.0 / mean_service_s, lambda = load * c * mu;
  return erlang_c(c, lambda / mu) / (c * mu - lambda);
}

TEST(Queueing, ErlangCAtLoad050) {
  const double w = simulated_mean_wait(0.5, 4, 400000);
  EXPECT_NEAR(w / erlang_c_wait(0.5, 4, 600), 1.0, 0.03) << "simulated " << w;
}

TEST(Queueing, ErlangCAtLoad075) {
  const double w = simulated_mean_wait(0.75, 4, 400000);
  EXPECT_NEAR(w / erlang_c_wait(0.75, 4, 600), 1.0, 0.03) << "simulated " << w;
}

TEST(Queueing, ErlangCAtLoad090) {
  const double w = simulated_mean_wait(0.9, 4, 600000);
  EXPECT_NEAR(w / erlang_c_wait(0.9, 4, 600), 1.0, 0.03) << "simulated " << w;
}

TEST(Queueing, VgpuSharesPackOnOneChip) {
  // One chip split in 4 slices: four 0.25-chip jobs run at once, the fifth waits.
  Scenario sc = make_scenario(make_topology({{"X", "a100:1"}}, {}), 86400);
  FixedPolicy policy("X");
  MemoryRecorderForTest rec;
  std::vector<Job> jobs;
  for (int i = 0; i < 5; ++i) jobs.push_back(make_job(0, 0, 0.25, 100));
  run(sc, policy, rec, jobs);
  ASSERT_EQ(rec.jobs.size(), 5u);
  int started_at_zero = 0;
  for (const auto& j : rec.jobs) started_at_zero += j.start_s == 0 ? 1 : 0;
  EXPECT_EQ(started_at_zero, 4);
  EXPECT_NEAR(rec.find(5)->start_s, 100, 1e-6);
}

TEST(Queueing, RuntimeScalesWithChipThroughput) {
  // Reference chip a100 (312 TF); on a 320 TF Ascend the job runs 312/320 as long.
  Scenario sc = make_scenario(make_topology({{"X", "ascend-910b:2"}}, {}), 86400);
  FixedPolicy policy("X");
  MemoryRecorderForTest rec;
  run(sc, policy, rec, {make_job(0, 0, 2, 3200)});
  ASSERT_EQ(rec.jobs.size(), 1u);
  EXPECT_NEAR(rec.jobs[0].end_s, 3200 * 312.0 / 320.0, 1e-6);
  EXPECT_EQ(rec.jobs[0].chip, "ascend-910b");
}

}  // namespace
}  // namespace suanwang::testing

#include <gtest/gtest.h>

#include <cmath>
#include <numbers>

#include "sim/core/user_error.hpp"
#include "workload_test_util.hpp"

using namespace suanwang;
using suanwang::test::drain;
using suanwang::test::tiny_topology;

namespace {

WorkloadSpec one_generator(double rate) {
  WorkloadSpec w;
  GeneratorSpec g;
  g.rate_per_s = rate;
  w.generators.push_back(g);
  return w;
}

}  // namespace

TEST(RateProfile, FlatAndStepwise) {
  RateProfile p;
  EXPECT_DOUBLE_EQ(p.multiplier(12345), 1.0);
  EXPECT_DOUBLE_EQ(p.max_multiplier(), 1.0);
  p.hourly.assign(24, 1.0);
  p.hourly[3] = 2.5;
  p.daily = {1, 1, 1, 1, 1, 0.5, 0.5};
  EXPECT_DOUBLE_EQ(p.multiplier(3 * 3600 + 10), 2.5);
  EXPECT_DOUBLE_EQ(p.multiplier(5 * 86400 + 3 * 3600), 1.25);
  EXPECT_DOUBLE_EQ(p.multiplier(7 * 86400 + 3 * 3600), 2.5);  // wraps to day 0
  EXPECT_DOUBLE_EQ(p.multiplier(-86400 + 3 * 3600), 1.25);    // day -1 = day 6
  EXPECT_DOUBLE_EQ(p.max_multiplier(), 2.5);
}

TEST(Generator, PoissonCountWithinThreeSigma) {
  const double rate = 0.1, T = 100000;
  auto src = make_job_source(one_generator(rate), tiny_topology(), 42, T);
  auto jobs = drain(*src);
  double mean = rate * T;
  EXPECT_NEAR(static_cast<double>(jobs.size()), mean, 3 * std::sqrt(mean));
  for (const auto& j : jobs) {
    EXPECT_GE(j.submit_s, 0);
    EXPECT_LT(j.submit_s, T);
    EXPECT_EQ(j.gpus, 1);
    EXPECT_EQ(j.duration_s, 3600);
    EXPECT_EQ(j.walltime_s, 3600);
    EXPECT_EQ(j.source, 0);
  }
}

TEST(Generator, DiurnalProfileShiftsArrivals) {
  WorkloadSpec w = one_generator(0.05);
  auto& p = w.generators[0].profile;
  for (int h = 0; h < 24; ++h) p.hourly.push_back(1.0 + 0.8 * std::sin(2 * std::numbers::pi * h / 24.0));
  const double T = 30 * 86400.0;
  auto src = make_job_source(w, tiny_topology(), 7, T);
  std::vector<double> count(24, 0);
  std::size_t n = 0;
  while (auto j = src->next()) {
    count[static_cast<int>(std::fmod(j->submit_s, 86400.0) / 3600.0)] += 1;
    ++n;
  }
  EXPECT_NEAR(static_cast<double>(n), 0.05 * T, 4 * std::sqrt(0.05 * T));
  // Pearson correlation of per-hour counts with the profile.
  double mx = 0, my = 0;
  for (int h = 0; h < 24; ++h) mx += p.hourly[h] / 24, my += count[h] / 24;
  double sxy = 0, sxx = 0, syy = 0;
  for (int h = 0; h < 24; ++h) {
    sxy += (p.hourly[h] - mx) * (count[h] - my);
    sxx += (p.hourly[h] - mx) * (p.hourly[h] - mx);
    syy += (count[h] - my) * (count[h] - my);
  }
  EXPECT_GT(sxy / std::sqrt(sxx * syy), 0.98);
  EXPECT_GT(count[6], 5 * count[18]);  // peak 1.8 vs trough 0.2
}

TEST(Generator, OriginsFollowDemandWeights) {
  const double rate = 1, T = 40000;
  auto src = make_job_source(one_generator(rate), tiny_topology(), 3, T);
  std::vector<double> count(5, 0);
  double n = 0;
  while (auto j = src->next()) count[j->origin] += 1, n += 1;
  EXPECT_EQ(count[4], 0);  // weight 0
  double chi2 = 0;
  for (int c = 0; c < 4; ++c) {
    double expected = n * (c + 1) / 10.0;
    chi2 += (count[c] - expected) * (count[c] - expected) / expected;
  }
  EXPECT_LT(chi2, 16.27);  // chi-square, 3 degrees of freedom, p = 0.001
}

TEST(Generator, PinnedOriginAndCenterAndFields) {
  WorkloadSpec w = one_generator(0.01);
  auto& g = w.generators[0];
  g.kind = JobKind::inference;
  g.origin = 2;
  g.center = 1;
  g.gpus.kind = Distribution::Kind::choice;
  g.gpus.values = {0.25, 1.4, 7.6};
  g.gpus.weights = {1, 1, 1};
  g.walltime_factor = 1.5;
  g.dataset_B = Distribution::constant_of(1e9);
  g.result_B = Distribution::constant_of(2e6);
  g.latency_bound_s = 0.03;
  g.checkpoint_interval_s = 600;
  g.chip_requirement = ChipRequirement::specific;
  g.chip = "ascend-910b";
  g.start_s = 1000;
  g.stop_s = 50000;
  g.max_jobs = 100;
  auto src = make_job_source(w, tiny_topology(), 1, 1e9);
  auto jobs = drain(*src);
  ASSERT_EQ(jobs.size(), 100u);
  bool saw_fraction = false;
  for (std::size_t i = 0; i < jobs.size(); ++i) {
    const auto& j = jobs[i];
    EXPECT_EQ(j.id, i + 1);
    EXPECT_EQ(j.kind, JobKind::inference);
    EXPECT_EQ(j.origin, 2);
    EXPECT_EQ(j.pinned_center, 1);
    EXPECT_GE(j.submit_s, 1000);
    EXPECT_LE(j.submit_s, 50000);
    EXPECT_TRUE(j.gpus == 0.25 || j.gpus == 1 || j.gpus == 8) << j.gpus;
    saw_fraction |= j.gpus < 1;
    EXPECT_DOUBLE_EQ(j.walltime_s, 1.5 * j.duration_s);
    EXPECT_EQ(j.dataset_B, 1e9);
    EXPECT_EQ(j.result_B, 2e6);
    EXPECT_EQ(j.latency_bound_s, 0.03);
    EXPECT_EQ(j.checkpoint_interval_s, 600);
    EXPECT_EQ(j.chip_requirement, ChipRequirement::specific);
    EXPECT_EQ(j.chip, "ascend-910b");
  }
  EXPECT_TRUE(saw_fraction);
}

TEST(Generator, StopAndHorizonBound) {
  WorkloadSpec w = one_generator(1);
  w.generators[0].stop_s = 100;
  auto jobs = drain(*make_job_source(w, tiny_topology(), 1, 1e6));
  ASSERT_FALSE(jobs.empty());
  EXPECT_LE(jobs.back().submit_s, 100);
  auto jobs2 = drain(*make_job_source(one_generator(1), tiny_topology(), 1, 50));
  ASSERT_FALSE(jobs2.empty());
  EXPECT_LT(jobs2.back().submit_s, 50);
}

TEST(Generator, Determinism) {
  auto a = drain(*make_job_source(one_generator(0.1), tiny_topology(), 99, 20000));
  auto b = drain(*make_job_source(one_generator(0.1), tiny_topology(), 99, 20000));
  auto c = drain(*make_job_source(one_generator(0.1), tiny_topology(), 100, 20000));
  ASSERT_EQ(a.size(), b.size());
  for (std::size_t i = 0; i < a.size(); ++i) {
    EXPECT_EQ(a[i].submit_s, b[i].submit_s);
    EXPECT_EQ(a[i].origin, b[i].origin);
  }
  bool differs = a.size() != c.size();
  for (std::size_t i = 0; !differs && i < a.size(); ++i) differs = a[i].submit_s != c[i].submit_s;
  EXPECT_TRUE(differs);
}

TEST(Generator, AddingAGeneratorKeepsTheFirstStream) {
  WorkloadSpec one = one_generator(0.1);
  one.generators[0].gpus.kind = Distribution::Kind::uniform;
  one.generators[0].gpus.min = 1;
  one.generators[0].gpus.max = 8;
  WorkloadSpec two = one;
  GeneratorSpec g2;
  g2.rate_per_s = 0.3;
  g2.kind = JobKind::finetune;
  two.generators.push_back(g2);
  auto a = drain(*make_job_source(one, tiny_topology(), 5, 50000));
  auto b = drain(*make_job_source(two, tiny_topology(), 5, 50000));
  std::vector<Job> b0;
  std::size_t others = 0;
  for (auto& j : b) (j.source == 0 ? b0.push_back(j) : void(++others));
  EXPECT_GT(others, 0u);
  ASSERT_EQ(a.size(), b0.size());
  for (std::size_t i = 0; i < a.size(); ++i) {
    EXPECT_EQ(a[i].submit_s, b0[i].submit_s);
    EXPECT_EQ(a[i].origin, b0[i].origin);
    EXPECT_EQ(a[i].gpus, b0[i].gpus);
    EXPECT_EQ(a[i].kind, b0[i].kind);
  }
}

TEST(Generator, BadSpecsAreUserErrors) {
  auto w = one_generator(-1);
  EXPECT_THROW(make_job_source(w, tiny_topology(), 1, 100), UserError);
  w = one_generator(1);
  w.generators[0].origin = 9;
  EXPECT_THROW(make_job_source(w, tiny_topology(), 1, 100), UserError);
  w = one_generator(1);
  w.generators[0].gpus = Distribution::constant_of(0);
  auto src = make_job_source(w, tiny_topology(), 1, 100);
  EXPECT_THROW(src->next(), UserError);
  auto topo = tiny_topology();
  for (auto& c : topo.cities) c.demand_weight = 0;
  EXPECT_THROW(make_job_source(one_generator(1), topo, 1, 100), UserError);
  EXPECT_NO_THROW(make_job_source(one_generator(0), tiny_topology(), 1, 100));
}

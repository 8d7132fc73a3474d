// Sweep plan: expansion order, ids, seeds, shards, Slurm array variables,
// confidence intervals.
#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <set>
#include <string>

#include "sim/core/user_error.hpp"
#include "sim/sweep/sweep_plan.hpp"

using namespace suanwang;
using namespace suanwang::sweep;

namespace {

std::vector<SweepAxis> two_axes() {
  return {{"policy", {"nearest", "least_loaded"}}, {"params.alpha", {"0.1", "0.5", "0.9"}}};
}

}  // namespace

TEST(SweepPlan, CartesianProductLastAxisFastestReplicationsInnermost) {
  const SweepPlan p = make_plan(two_axes(), 2, 100);
  ASSERT_EQ(p.points.size(), 12u);
  EXPECT_EQ(p.groups, 6u);
  EXPECT_EQ(p.points[0].id, "p0000");
  EXPECT_EQ(p.points[11].id, "p0011");
  EXPECT_EQ(describe_point(p.points[0]), "policy=nearest params.alpha=0.1 seed=100");
  EXPECT_EQ(describe_point(p.points[1]), "policy=nearest params.alpha=0.1 seed=101");
  EXPECT_EQ(describe_point(p.points[2]), "policy=nearest params.alpha=0.5 seed=100");
  EXPECT_EQ(describe_point(p.points[6]), "policy=least_loaded params.alpha=0.1 seed=100");
  EXPECT_EQ(describe_point(p.points[11]), "policy=least_loaded params.alpha=0.9 seed=101");
  for (std::size_t k = 0; k < p.points.size(); ++k) {
    EXPECT_EQ(p.points[k].index, k);
    EXPECT_EQ(p.points[k].group, k / 2);
    EXPECT_EQ(p.points[k].replication, static_cast<int>(k % 2));
  }
}

TEST(SweepPlan, DeterministicAndNoSeedKeyWithOneReplication) {
  const SweepPlan a = make_plan(two_axes(), 1, 7), b = make_plan(two_axes(), 1, 7);
  ASSERT_EQ(a.points.size(), 6u);
  for (std::size_t k = 0; k < a.points.size(); ++k) {
    EXPECT_EQ(a.points[k].id, b.points[k].id);
    EXPECT_EQ(describe_point(a.points[k]), describe_point(b.points[k]));
    for (const auto& o : a.points[k].settings) EXPECT_NE(o.key, "seed");
  }
}

TEST(SweepPlan, NoAxesIsReplicationsOnly) {
  const SweepPlan p = make_plan({}, 3, 5);
  ASSERT_EQ(p.points.size(), 3u);
  EXPECT_EQ(describe_point(p.points[2]), "seed=7");
  const SweepPlan one = make_plan({}, 1, 5);
  ASSERT_EQ(one.points.size(), 1u);
  EXPECT_TRUE(one.points[0].settings.empty());
}

TEST(SweepPlan, IdsWidenBeyondTenThousandPoints) {
  const SweepPlan p = make_plan({{"x", std::vector<std::string>(10001, "v")}}, 1, 1);
  EXPECT_EQ(p.points.front().id, "p00000");
  EXPECT_EQ(p.points.back().id, "p10000");
}

TEST(SweepPlan, RejectsBadInput) {
  EXPECT_THROW(make_plan({{"x", {}}}, 1, 1), UserError);
  EXPECT_THROW(make_plan({{"x", {"a"}}}, 0, 1), UserError);
  EXPECT_THROW(make_plan({{"seed", {"1", "2"}}}, 2, 1), UserError);
  EXPECT_NO_THROW(make_plan({{"seed", {"1", "2"}}}, 1, 1));
}

TEST(SweepShard, ShardsPartitionThePlan) {
  const SweepPlan p = make_plan(two_axes(), 2, 1);  // 12 points
  for (int n : {1, 2, 3, 5, 12, 20}) {
    std::multiset<std::size_t> seen;
    for (int i = 1; i <= n; ++i) {
      const auto pts = shard_points(p, Shard{i, n});
      for (std::size_t k : pts) {
        EXPECT_EQ(static_cast<int>(k % static_cast<std::size_t>(n)), i - 1);
        seen.insert(k);
      }
    }
    ASSERT_EQ(seen.size(), 12u) << n;
    for (std::size_t k = 0; k < 12; ++k) EXPECT_EQ(seen.count(k), 1u);
  }
  EXPECT_EQ(shard_points(p, Shard{2, 5}), (std::vector<std::size_t>{1, 6, 11}));
}

TEST(SweepShard, ParseShard) {
  const Shard s = parse_shard("--shard", "2/8");
  EXPECT_EQ(s.index, 2);
  EXPECT_EQ(s.count, 8);
  for (const char* bad : {"0/8", "9/8", "2", "a/b", "2/0", "1/2/3", "-1/2", ""})
    EXPECT_THROW(parse_shard("--shard", bad), UserError) << bad;
}

TEST(SweepShard, SlurmArrayZeroAndOneBased) {
  std::map<std::string, std::string> env;
  auto get = [&](const char* n) -> const char* {
    auto it = env.find(n);
    return it == env.end() ? nullptr : it->second.c_str();
  };
  EXPECT_FALSE(shard_from_slurm(get).has_value());
  // --array=0-3: ids 0..3, min 0.
  env = {{"SLURM_ARRAY_TASK_ID", "0"}, {"SLURM_ARRAY_TASK_COUNT", "4"}, {"SLURM_ARRAY_TASK_MIN", "0"}};
  EXPECT_EQ(shard_from_slurm(get)->index, 1);
  env["SLURM_ARRAY_TASK_ID"] = "3";
  EXPECT_EQ(shard_from_slurm(get)->index, 4);
  EXPECT_EQ(shard_from_slurm(get)->count, 4);
  // --array=1-4: ids 1..4, min 1.
  env = {{"SLURM_ARRAY_TASK_ID", "1"}, {"SLURM_ARRAY_TASK_COUNT", "4"}, {"SLURM_ARRAY_TASK_MIN", "1"}};
  EXPECT_EQ(shard_from_slurm(get)->index, 1);
  env["SLURM_ARRAY_TASK_ID"] = "4";
  EXPECT_EQ(shard_from_slurm(get)->index, 4);
  // --array=0-6:2 -> ids 0,2,4,6, count 4.
  env = {{"SLURM_ARRAY_TASK_ID", "4"}, {"SLURM_ARRAY_TASK_COUNT", "4"},
         {"SLURM_ARRAY_TASK_MIN", "0"}, {"SLURM_ARRAY_TASK_STEP", "2"}};
  EXPECT_EQ(shard_from_slurm(get)->index, 3);
  // Without MIN: 0-based.
  env = {{"SLURM_ARRAY_TASK_ID", "2"}, {"SLURM_ARRAY_TASK_COUNT", "4"}};
  EXPECT_EQ(shard_from_slurm(get)->index, 3);
  // Out of range: a sparse array (--array=0,5) cannot be mapped to shards.
  env = {{"SLURM_ARRAY_TASK_ID", "5"}, {"SLURM_ARRAY_TASK_COUNT", "2"}, {"SLURM_ARRAY_TASK_MIN", "0"}};
  EXPECT_THROW(shard_from_slurm(get), UserError);
}

TEST(SweepStats, StudentTAndConfidenceInterval) {
  EXPECT_NEAR(student_t975(1), 12.7062, 1e-4);
  EXPECT_NEAR(student_t975(9), 2.26216, 1e-5);
  EXPECT_NEAR(student_t975(30), 2.04227, 1e-5);
  EXPECT_NEAR(student_t975(40), 2.02108, 1e-4);
  EXPECT_NEAR(student_t975(120), 1.97993, 1e-4);
  EXPECT_NEAR(student_t975(100000), 1.95998, 1e-4);

  const MeanCi one = mean_ci95({3.5});
  EXPECT_DOUBLE_EQ(one.mean, 3.5);
  EXPECT_DOUBLE_EQ(one.ci95, 0);
  const MeanCi none = mean_ci95({});
  EXPECT_EQ(none.n, 0u);
  EXPECT_DOUBLE_EQ(none.mean, 0);
  // values 1..5: mean 3, sd sqrt(2.5), half-width t(4) * sd / sqrt(5).
  const MeanCi c = mean_ci95({1, 2, 3, 4, 5});
  EXPECT_DOUBLE_EQ(c.mean, 3);
  EXPECT_NEAR(c.ci95, 2.77645 * std::sqrt(2.5) / std::sqrt(5.0), 1e-9);
}

TEST(SweepFingerprint, DependsOnTextSetsAndAxes) {
  const SweepPlan p = make_plan(two_axes(), 2, 1);
  const std::string f = fingerprint("return {}", {}, p);
  EXPECT_EQ(f.size(), 16u);
  EXPECT_EQ(f, fingerprint("return {}", {}, p));
  EXPECT_NE(f, fingerprint("return { }", {}, p));
  EXPECT_NE(f, fingerprint("return {}", {{"duration", "1d"}}, p));
  EXPECT_NE(f, fingerprint("return {}", {}, make_plan(two_axes(), 3, 1)));
}

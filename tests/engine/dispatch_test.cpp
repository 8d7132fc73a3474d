// Dispatching: conservation, policy errors, waiting, the horizon.
#include <gtest/gtest.h>

#include "engine_fixture.hpp"
#include "sim/core/user_error.hpp"

namespace suanwang::testing {
namespace {

topo::Topology two_centers() {
  return make_topology({{"A", "a100:4"}, {"B", "ascend-910b:8"}}, {{"A", "B", 1.25e9, 0.01}});
}

TEST(Dispatch, EveryJobIsAccountedForExactlyOnce) {
  Scenario sc = make_scenario(two_centers(), 4 * 3600);  // every arrival before the horizon
  FixedPolicy policy("A");
  MemoryRecorderForTest rec;
  std::vector<Job> jobs;
  for (int i = 0; i < 200; ++i) jobs.push_back(make_job(i * 60.0, i % 2, 1 + i % 4, 600 + i, 1e9));
  jobs.push_back(make_job(0, 0, 64, 10));  // fits nowhere
  const RunTotals t = run(sc, policy, rec, jobs);
  EXPECT_EQ(t.jobs_submitted, 201u);
  EXPECT_EQ(rec.jobs.size(), 201u);
  EXPECT_EQ(t.jobs_completed + t.jobs_failed + t.jobs_rejected + t.jobs_unfinished, 201u);
  EXPECT_GT(t.jobs_unfinished, 0u);  // overloaded: some still queued at the horizon
  EXPECT_EQ(t.jobs_failed, 1u);
  std::vector<bool> seen(202, false);
  for (const auto& r : rec.jobs) {
    ASSERT_FALSE(seen[r.id]) << "job " << r.id << " recorded twice";
    seen[r.id] = true;
    if (r.status == JobStatus::unfinished) {
      EXPECT_FALSE(r.reason.empty());
    }
  }
}

class ScriptedPolicy : public Policy {
 public:
  std::function<Placement(const Job&, const NetState&)> fn;
  std::string name() const override { return "scripted"; }
  Placement place(const Job& j, const NetState& n) override { return fn(j, n); }
};

TEST(Dispatch, UnknownCenterAbortsWithTheJobId) {
  Scenario sc = make_scenario(two_centers(), 3600);
  ScriptedPolicy p;
  p.fn = [](const Job&, const NetState&) {
    Placement pl;
    pl.action = Placement::Action::place;
    pl.center = 7;
    return pl;
  };
  MemoryRecorderForTest rec;
  try {
    run(sc, p, rec, {make_job(5, 0, 1, 10)});
    FAIL() << "expected a UserError";
  } catch (const UserError& e) {
    EXPECT_NE(std::string(e.what()).find("job 1"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("unknown center"), std::string::npos) << e.what();
  }
  EXPECT_FALSE(rec.ended);  // no summary, so no result file
}

TEST(Dispatch, CenterThatCannotFitIsRejectedWhenTheScenarioSaysSo) {
  Scenario sc = make_scenario(two_centers(), 3600);
  sc.on_policy_error = "reject";
  ScriptedPolicy p;
  p.fn = [](const Job&, const NetState&) {
    Placement pl;
    pl.action = Placement::Action::place;
    pl.center = 0;  // A has 4 chips
    return pl;
  };
  MemoryRecorderForTest rec;
  run(sc, p, rec, {make_job(5, 0, 8, 10), make_job(6, 0, 1, 10)});
  ASSERT_EQ(rec.jobs.size(), 2u);
  EXPECT_EQ(rec.find(1)->status, JobStatus::rejected);
  EXPECT_NE(rec.find(1)->reason.find("no pool that can run it"), std::string::npos) << rec.find(1)->reason;
  EXPECT_EQ(rec.find(2)->status, JobStatus::completed);
}

TEST(Dispatch, WaitingJobsAreRetriedWhenCapacityFrees) {
  Scenario sc = make_scenario(two_centers(), 3600);
  ScriptedPolicy p;
  // Only place where chips are free right now; otherwise wait at the dispatcher.
  p.fn = [](const Job& j, const NetState& n) {
    Placement pl;
    if (n.centers[0].free_chips >= j.gpus) {
      pl.action = Placement::Action::place;
      pl.center = 0;
    }
    return pl;
  };
  MemoryRecorderForTest rec;
  run(sc, p, rec, {make_job(0, 0, 4, 100), make_job(1, 0, 4, 100)});
  ASSERT_EQ(rec.jobs.size(), 2u);
  EXPECT_NEAR(rec.find(2)->start_s, 100, 1e-6);
  EXPECT_EQ(rec.find(2)->center, 0);
}

TEST(Dispatch, ChipConstraintPicksTheRightPool) {
  Scenario sc = make_scenario(make_topology({{"A", "a100:2,ascend-910b:2"}}, {}), 3600);
  FixedPolicy policy("A");
  MemoryRecorderForTest rec;
  Job cuda = make_job(0, 0, 1, 10);
  cuda.chip_requirement = ChipRequirement::cuda;
  Job dom = make_job(0, 0, 1, 10);
  dom.chip_requirement = ChipRequirement::domestic;
  run(sc, policy, rec, {cuda, dom});
  EXPECT_EQ(rec.find(1)->chip, "a100");
  EXPECT_EQ(rec.find(2)->chip, "ascend-910b");
}

// A policy's order hook reorders a pool's queue before the discipline picks:
// here newest first (LIFO), so the queued jobs start in reverse arrival order.
class NewestFirst : public FixedPolicy {
 public:
  NewestFirst() : FixedPolicy("A") {}
  bool has_order() const override { return true; }
  std::vector<int> order(const std::vector<const Job*>& queue, int, const NetState&) override {
    ++calls;
    std::vector<int> perm(queue.size());
    for (std::size_t i = 0; i < queue.size(); ++i) perm[i] = static_cast<int>(queue.size() - 1 - i);
    return perm;
  }
  int calls = 0;
};

TEST(Dispatch, PolicyOrderHookReordersTheLocalQueue) {
  Scenario sc = make_scenario(make_topology({{"A", "a100:1"}}, {}), 3600);
  NewestFirst policy;
  MemoryRecorderForTest rec;
  run(sc, policy, rec, {make_job(0, 0, 1, 100), make_job(1, 0, 1, 100), make_job(2, 0, 1, 100),
                        make_job(3, 0, 1, 100)});
  ASSERT_EQ(rec.jobs.size(), 4u);
  EXPECT_GT(policy.calls, 0);
  EXPECT_NEAR(rec.find(1)->start_s, 0, 1e-9);    // alone in the queue
  EXPECT_NEAR(rec.find(4)->start_s, 100, 1e-9);  // then newest first
  EXPECT_NEAR(rec.find(3)->start_s, 200, 1e-9);
  EXPECT_NEAR(rec.find(2)->start_s, 300, 1e-9);
}

class BadOrder : public FixedPolicy {
 public:
  BadOrder() : FixedPolicy("A") {}
  std::string name() const override { return "bad_order"; }
  bool has_order() const override { return true; }
  std::vector<int> order(const std::vector<const Job*>&, int, const NetState&) override {
    throw UserError("bad_order.lua: order(center A, pool a100): returned nil (expected a permutation)");
  }
};

TEST(Dispatch, OrderHookErrorStopsTheRunWithItsMessage) {
  Scenario sc = make_scenario(make_topology({{"A", "a100:1"}}, {}), 3600);
  BadOrder policy;
  MemoryRecorderForTest rec;
  try {
    run(sc, policy, rec, {make_job(0, 0, 1, 100), make_job(1, 0, 1, 100)});
    FAIL() << "expected a UserError";
  } catch (const UserError& e) {
    EXPECT_NE(std::string(e.what()).find("bad_order.lua: order("), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace suanwang::testing

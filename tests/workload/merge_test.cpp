#include <gtest/gtest.h>

#include "workload_test_util.hpp"

using namespace suanwang;
using suanwang::test::drain;
using suanwang::test::tiny_topology;
using suanwang::test::write_temp;

TEST(Merge, OrderIdsAndTies) {
  std::string swf;
  for (int i = 0; i < 50; ++i)
    swf += std::to_string(i + 1) + " " + std::to_string(i * 100) + " 0 60 2 -1 -1 2 60 -1 1 1 1 1 1 -1 -1 -1\n";
  auto path = write_temp("merge.swf", swf);
  WorkloadSpec w;
  GeneratorSpec g;
  g.rate_per_s = 0.02;
  w.generators.push_back(g);
  g.rate_per_s = 0.01;
  g.kind = JobKind::inference;
  w.generators.push_back(g);
  TraceSpec t;
  t.path = path;
  w.traces.push_back(t);
  w.traces.push_back(t);  // same times: ties broken by entry order
  auto jobs = drain(*make_job_source(w, tiny_topology(), 11, 4000));
  ASSERT_FALSE(jobs.empty());
  std::size_t per_source[4] = {0, 0, 0, 0};
  for (std::size_t i = 0; i < jobs.size(); ++i) {
    EXPECT_EQ(jobs[i].id, i + 1);
    EXPECT_LT(jobs[i].submit_s, 4000);
    ASSERT_LT(jobs[i].source, 4);
    ++per_source[jobs[i].source];
    if (i) {
      EXPECT_GE(jobs[i].submit_s, jobs[i - 1].submit_s);
      if (jobs[i].submit_s == jobs[i - 1].submit_s) {
        EXPECT_GT(jobs[i].source, jobs[i - 1].source);
      }
    }
  }
  EXPECT_EQ(per_source[2], 40u);
  EXPECT_EQ(per_source[3], 40u);
  EXPECT_GT(per_source[0], 0u);
  EXPECT_GT(per_source[1], 0u);
}

TEST(Merge, EmptyWorkload) {
  auto src = make_job_source(WorkloadSpec{}, tiny_topology(), 1, 100);
  EXPECT_FALSE(src->next());
  EXPECT_FALSE(src->next());
}

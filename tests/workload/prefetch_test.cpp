// PrefetchSource: the stream read ahead on a worker thread must be the stream
// read directly, job for job and bit for bit, with errors at the same place.
#include <gtest/gtest.h>

#include <cstring>
#include <stdexcept>

#include "sim/core/user_error.hpp"
#include "sim/workload/prefetch_source.hpp"
#include "workload_test_util.hpp"

using namespace suanwang;
using suanwang::test::drain;
using suanwang::test::tiny_topology;
using suanwang::test::write_temp;

namespace {

// Every field of the two jobs, doubles by their bits.
void expect_same_job(const Job& a, const Job& b) {
  EXPECT_EQ(a.id, b.id);
  EXPECT_EQ(a.kind, b.kind);
  EXPECT_EQ(a.origin, b.origin);
  EXPECT_EQ(a.pinned_center, b.pinned_center);
  const double da[] = {a.submit_s, a.gpus, a.cpu_cores, a.memory_B, a.duration_s, a.walltime_s,
                       a.dataset_B, a.stream_passes, a.result_B, a.latency_bound_s, a.checkpoint_interval_s};
  const double db[] = {b.submit_s, b.gpus, b.cpu_cores, b.memory_B, b.duration_s, b.walltime_s,
                       b.dataset_B, b.stream_passes, b.result_B, b.latency_bound_s, b.checkpoint_interval_s};
  EXPECT_EQ(std::memcmp(da, db, sizeof da), 0) << "job " << a.id;
  EXPECT_EQ(a.dataset, b.dataset);
  EXPECT_EQ(a.stream, b.stream);
  EXPECT_EQ(a.preemptible, b.preemptible);
  EXPECT_EQ(a.chip_requirement, b.chip_requirement);
  EXPECT_EQ(a.chip, b.chip);
  EXPECT_EQ(a.source, b.source);
}

// Two generators and a trace whose line `bad_line` (1-based, 0: none) is malformed.
WorkloadSpec mixed_spec(int bad_line) {
  std::string swf;
  for (int i = 0; i < 3000; ++i) {
    if (i + 1 == bad_line) swf += "oops\n";
    else swf += std::to_string(i + 1) + " " + std::to_string(i * 3) + " 0 60 2 -1 -1 2 90 -1 1 1 1 1 1 -1 -1 -1\n";
  }
  WorkloadSpec w;
  GeneratorSpec g;
  g.rate_per_s = 0.05;
  w.generators.push_back(g);
  g.rate_per_s = 0.2;
  g.kind = JobKind::inference;
  w.generators.push_back(g);
  TraceSpec t;
  t.path = write_temp("prefetch" + std::to_string(bad_line) + ".swf", swf);
  w.traces.push_back(t);
  return w;
}

// A source of `n` numbered jobs that then throws, or ends when !fail.
class Counting final : public JobSource {
 public:
  Counting(int n, bool fail) : n_(n), fail_(fail) {}
  std::optional<Job> next() override {
    if (i_ == n_) {
      if (fail_) throw UserError("trace.swf", "line 7", "broken");
      return std::nullopt;
    }
    Job j;
    j.id = static_cast<std::uint64_t>(++i_);
    return j;
  }

 private:
  int n_, i_ = 0;
  bool fail_;
};

// Never ends: a destructor must still stop its worker.
class Endless final : public JobSource {
 public:
  std::optional<Job> next() override {
    Job j;
    j.id = ++i_;
    return j;
  }

 private:
  std::uint64_t i_ = 0;
};

}  // namespace

TEST(Prefetch, SameStreamAsReadingDirectly) {
  const WorkloadSpec w = mixed_spec(0);
  const std::vector<Job> direct = drain(*make_job_source(w, tiny_topology(), 5, 9000));
  ASSERT_GT(direct.size(), 1000u);
  for (const std::size_t block : {1u, 7u, 1024u, 100000u}) {
    PrefetchSource pre(make_job_source(w, tiny_topology(), 5, 9000), block);
    const std::vector<Job> ahead = drain(pre);
    ASSERT_EQ(ahead.size(), direct.size()) << "block " << block;
    for (std::size_t i = 0; i < direct.size(); ++i) expect_same_job(ahead[i], direct[i]);
    EXPECT_FALSE(pre.next());  // and stays ended
  }
}

TEST(Prefetch, AnErrorComesWhereTheDirectReadRaisesIt) {
  const WorkloadSpec w = mixed_spec(2500);
  auto direct_src = make_job_source(w, tiny_topology(), 5, 9000);
  std::vector<Job> before;
  std::string message;
  try {
    for (;;) {
      auto j = direct_src->next();
      if (!j) break;
      before.push_back(std::move(*j));
    }
    FAIL() << "the malformed line was not noticed";
  } catch (const UserError& e) {
    message = e.what();
  }
  ASSERT_NE(message.find("line 2500"), std::string::npos) << message;
  ASSERT_GT(before.size(), 100u);
  for (const std::size_t block : {1u, 16u, 4096u}) {
    PrefetchSource pre(make_job_source(w, tiny_topology(), 5, 9000), block);
    for (std::size_t i = 0; i < before.size(); ++i) {
      auto j = pre.next();
      ASSERT_TRUE(j) << "job " << i << ", block " << block;
      expect_same_job(*j, before[i]);
    }
    for (int again = 0; again < 2; ++again) {
      try {
        pre.next();
        FAIL() << "expected the trace's error, block " << block;
      } catch (const UserError& e) {
        EXPECT_EQ(std::string(e.what()), message);
      }
    }
  }
}

TEST(Prefetch, HandsOverEveryJobAcrossBlockEdges) {
  for (const int n : {0, 1, 3, 4, 5, 12}) {
    for (const bool fail : {false, true}) {
      PrefetchSource pre(std::make_unique<Counting>(n, fail), 4);
      for (int i = 1; i <= n; ++i) {
        auto j = pre.next();
        ASSERT_TRUE(j) << n << " jobs, job " << i;
        EXPECT_EQ(j->id, static_cast<std::uint64_t>(i));
      }
      if (fail) EXPECT_THROW(pre.next(), UserError) << n;
      else EXPECT_FALSE(pre.next()) << n;
    }
  }
}

TEST(Prefetch, StopsAnEndlessSourceWhenDestroyed) {
  { PrefetchSource unread(std::make_unique<Endless>(), 64); }
  PrefetchSource pre(std::make_unique<Endless>(), 64);
  for (std::uint64_t i = 1; i <= 1000; ++i) ASSERT_EQ(pre.next()->id, i);
  // The destructor returns: the worker stopped at its block (the test would hang otherwise).
}

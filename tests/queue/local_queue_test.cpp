// Hand-sized LocalQueue cases: each pins one rule of FCFS / EASY or one piece
// of bookkeeping the engine relies on (units freed, capacity changes), so a
// regression names the broken rule instead of a whole pyss trace.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <memory>
#include <stdexcept>
#include <vector>

#include "sim/engine/local_queue.hpp"
#include "sim/engine/server_capacity.hpp"

namespace suanwang {
namespace {

QueuedJob job(std::uint64_t id, std::int64_t units, double walltime_s, double enqueue_s = 0) {
  return {id, units, walltime_s, enqueue_s, {}};
}

std::vector<std::uint64_t> ids(const std::vector<QueuedJob>& jobs) {
  std::vector<std::uint64_t> out;
  for (const auto& j : jobs) out.push_back(j.id);
  return out;
}

using Ids = std::vector<std::uint64_t>;

TEST(LocalQueueFcfs, StartsInOrderWhileHeadFits) {
  LocalQueue q(10, QueueDiscipline::fcfs);
  q.push(job(1, 4, 100));
  q.push(job(2, 5, 100));
  q.push(job(3, 1, 100));
  EXPECT_EQ(ids(q.select(0)), (Ids{1, 2, 3}));
  EXPECT_EQ(q.used_units(), 10);
  EXPECT_EQ(q.free_units(), 0);
  EXPECT_EQ(q.running(), 3u);
  EXPECT_EQ(q.queued(), 0u);
}

TEST(LocalQueueFcfs, BlockedHeadBlocksSmallerJobsBehindIt) {
  LocalQueue q(10, QueueDiscipline::fcfs);
  q.push(job(1, 6, 100));
  EXPECT_EQ(ids(q.select(0)), (Ids{1}));
  q.push(job(2, 8, 10));
  q.push(job(3, 1, 1));  // fits now, but FCFS never overtakes
  EXPECT_TRUE(q.select(1).empty());
  EXPECT_EQ(q.queued(), 2u);
  EXPECT_EQ(q.queued_units(), 9);
  q.finish(1);
  EXPECT_EQ(ids(q.select(50)), (Ids{2, 3}));
}

TEST(LocalQueueEasy, BackfillsJobThatEndsBeforeShadowTime) {
  LocalQueue q(10, QueueDiscipline::easy);
  q.push(job(1, 6, 100));  // running, expected end 100
  EXPECT_EQ(ids(q.select(0)), (Ids{1}));
  q.push(job(2, 8, 50));   // head: needs job 1's units, shadow = 100, extra = 2
  q.push(job(3, 4, 90));   // 10 + 90 = 100 <= shadow: cannot delay the head
  EXPECT_EQ(ids(q.select(10)), (Ids{3}));
  EXPECT_EQ(q.used_units(), 10);
  EXPECT_EQ(ids(q.queue()), (Ids{2}));
}

TEST(LocalQueueEasy, RefusesBackfillThatWouldDelayHead) {
  LocalQueue q(10, QueueDiscipline::easy);
  q.push(job(1, 6, 100));
  q.select(0);
  q.push(job(2, 8, 50));   // shadow = 100, extra = 10 - 8 = 2
  q.push(job(3, 4, 91));   // ends at 101 > shadow and 4 > extra: would delay head
  q.push(job(4, 2, 500));  // long, but 2 <= extra: head still fits at 100
  q.push(job(5, 1, 500));  // extra now 0: refused
  EXPECT_EQ(ids(q.select(10)), (Ids{4}));
  EXPECT_EQ(ids(q.queue()), (Ids{2, 3, 5}));
  // The head's reservation holds: at its shadow time it starts at once.
  q.finish(1);
  EXPECT_EQ(ids(q.select(100)), (Ids{2}));
}

TEST(LocalQueueEasy, JobsEndingTogetherAllCountTowardExtraUnits) {
  LocalQueue q(10, QueueDiscipline::easy);
  q.push(job(1, 3, 100));
  q.push(job(2, 3, 100));
  q.push(job(3, 3, 100));
  q.select(0);             // 9 used, 1 free
  q.push(job(4, 4, 10));   // head: fits once one job ends at 100; all three end then
  q.push(job(5, 1, 1000)); // extra at 100 is 10 - 4 = 6, not 4 - 4 = 0
  EXPECT_EQ(ids(q.select(5)), (Ids{5}));
}

TEST(LocalQueueEasy, FcfsBehaviourWhenHeadFits) {
  LocalQueue q(10, QueueDiscipline::easy);
  q.push(job(1, 5, 10));
  q.push(job(2, 5, 10));
  q.push(job(3, 5, 1));
  EXPECT_EQ(ids(q.select(0)), (Ids{1, 2}));
  q.finish(2);
  EXPECT_EQ(ids(q.select(3)), (Ids{3}));
}

TEST(LocalQueueOrdering, CallbackPermutesQueueBeforeSelection) {
  LocalQueue q(10, QueueDiscipline::fcfs);
  // Smallest job first, as a Lua `order` hook might do.
  q.set_ordering([](const std::vector<QueuedJob>& jobs) {
    std::vector<int> perm(jobs.size());
    for (std::size_t i = 0; i < perm.size(); ++i) perm[i] = static_cast<int>(i);
    std::stable_sort(perm.begin(), perm.end(),
                     [&](int a, int b) { return jobs[a].units < jobs[b].units; });
    return perm;
  });
  q.push(job(1, 8, 10));
  q.push(job(2, 3, 10));
  q.push(job(3, 5, 10));
  EXPECT_EQ(ids(q.select(0)), (Ids{2, 3}));  // then 8 does not fit and blocks
  EXPECT_EQ(ids(q.queue()), (Ids{1}));
}

TEST(LocalQueueOrdering, ReorderedHeadGetsTheEasyReservation) {
  LocalQueue q(10, QueueDiscipline::easy);
  q.push(job(1, 6, 100));
  q.select(0);
  q.push(job(2, 2, 500));
  q.push(job(3, 8, 10));
  // Put job 3 first: it becomes the head (shadow 100, extra 2) and job 2,
  // too long for the shadow, still fits in the extra units.
  q.set_ordering([](const std::vector<QueuedJob>& jobs) {
    return jobs.size() == 2 ? std::vector<int>{1, 0} : std::vector<int>{0};
  });
  EXPECT_EQ(ids(q.select(1)), (Ids{2}));
  EXPECT_EQ(ids(q.queue()), (Ids{3}));
}

TEST(LocalQueueOrdering, RejectsNonPermutation) {
  LocalQueue q(10, QueueDiscipline::fcfs);
  q.set_ordering([](const std::vector<QueuedJob>&) { return std::vector<int>{0, 0}; });
  q.push(job(1, 1, 1));
  q.push(job(2, 1, 1));
  EXPECT_THROW(q.select(0), std::invalid_argument);
}

TEST(LocalQueue, RemoveDropsOnlyQueuedJobs) {
  LocalQueue q(10, QueueDiscipline::fcfs);
  q.push(job(1, 10, 10));
  q.select(0);
  q.push(job(2, 5, 10));
  q.push(job(3, 5, 10));
  EXPECT_FALSE(q.remove(1));  // running, not queued
  EXPECT_TRUE(q.remove(2));
  EXPECT_FALSE(q.remove(2));
  EXPECT_FALSE(q.remove(99));
  EXPECT_EQ(ids(q.queue()), (Ids{3}));
  EXPECT_EQ(q.used_units(), 10);
}

TEST(LocalQueue, FinishFreesUnitsOnce) {
  LocalQueue q(10, QueueDiscipline::fcfs);
  q.push(job(1, 7, 10));
  q.select(0);
  EXPECT_EQ(q.free_units(), 3);
  q.finish(1);
  EXPECT_EQ(q.free_units(), 10);
  EXPECT_EQ(q.running(), 0u);
  q.finish(1);  // a second report must not free the units again
  EXPECT_EQ(q.used_units(), 0);
}

TEST(LocalQueue, PushRejectsNonPositiveUnits) {
  LocalQueue q(10, QueueDiscipline::fcfs);
  EXPECT_THROW(q.push(job(1, 0, 10)), std::invalid_argument);
}

TEST(LocalQueue, UsedNeverExceedsCapacityUnderChurn) {
  for (const auto discipline : {QueueDiscipline::fcfs, QueueDiscipline::easy}) {
    LocalQueue q(16, discipline);
    std::vector<std::pair<double, std::uint64_t>> ends;  // (end time, id)
    std::uint64_t next_id = 1;
    for (int t = 0; t < 400; ++t) {
      std::sort(ends.begin(), ends.end());
      while (!ends.empty() && ends.front().first <= t) {
        q.finish(ends.front().second);
        ends.erase(ends.begin());
      }
      // Deterministic mix of sizes and lengths, some overrunning nothing.
      const std::int64_t units = 1 + (t * 7) % 16;
      const double wall = 5 + (t * 13) % 40;
      q.push(job(next_id++, units, wall, t));
      for (const auto& s : q.select(t)) ends.emplace_back(t + s.walltime_s - (s.id % 3), s.id);
      ASSERT_LE(q.used_units(), q.capacity_units()) << "t=" << t;
      ASSERT_GE(q.used_units(), 0);
    }
  }
}

TEST(LocalQueue, CapacityZeroStartsNothingUntilRepaired) {
  for (const auto discipline : {QueueDiscipline::fcfs, QueueDiscipline::easy}) {
    LocalQueue q(10, discipline);
    q.push(job(1, 4, 100));
    q.select(0);
    // Outage: the caller kills what runs, then nothing may start.
    q.set_up(false);
    q.finish(1);
    EXPECT_EQ(q.used_units(), 0);
    EXPECT_EQ(q.capacity_units(), 0);
    q.push(job(2, 4, 10));
    q.push(job(3, 1, 10));
    EXPECT_TRUE(q.select(5).empty());
    EXPECT_EQ(q.queued(), 2u);
    q.set_up(true);
    EXPECT_EQ(ids(q.select(20)), (Ids{2, 3}));
    EXPECT_LE(q.used_units(), q.capacity_units());
  }
}

TEST(LocalQueueEasy, HeadLargerThanReducedCapacityDelaysNoOne) {
  // After a partial outage the head may never fit; EASY then has no
  // reservation to protect and lets anything that fits run.
  LocalQueue q(4, QueueDiscipline::easy);
  q.push(job(1, 8, 10));
  q.push(job(2, 3, 1000));
  EXPECT_EQ(ids(q.select(0)), (Ids{2}));
  EXPECT_EQ(ids(q.queue()), (Ids{1}));
}

// A capacity that counts the questions it is asked: the queue must not ask
// again, within one selection, for a request that already did not fit (a
// busy center's queue holds thousands of jobs of a few shapes, and on
// servers each question scans every server).
class CountingCapacity final : public Capacity {
 public:
  explicit CountingCapacity(std::int64_t units) : flat_(units) {}
  std::int64_t capacity_units() const override { return flat_.capacity_units(); }
  std::int64_t used_units() const override { return flat_.used_units(); }
  void set_up(bool up) override { flat_.set_up(up); }
  bool try_start(const QueuedJob& j, const std::vector<char>* avoid) override {
    ++asked;
    // Shares of 3 units never fit (a fragmented pool: the units are free,
    // but not on one accelerator).
    return j.units != 3 && flat_.try_start(j, avoid);
  }
  void finish(const QueuedJob& j) override { flat_.finish(j); }
  int asked = 0;

 private:
  FlatCapacity flat_;
};

TEST(LocalQueueEasy, AsksOncePerRequestThatDoesNotFit) {
  for (const QueueDiscipline d : {QueueDiscipline::easy, QueueDiscipline::easy_servers, QueueDiscipline::none}) {
    auto cap = std::make_unique<CountingCapacity>(10);
    CountingCapacity* counting = cap.get();
    LocalQueue q(std::move(cap), d);
    q.push(job(1, 6, 100));
    if (d != QueueDiscipline::none) {
      EXPECT_EQ(ids(q.select(0)), (Ids{1}));
      q.push(job(2, 10, 100));  // the head: waits for job 1 (not asked: 10 units > 4 free)
    }
    for (std::uint64_t id = 3; id < 103; ++id) q.push(job(id, 3, 10));  // never fit
    q.push(job(103, 2, 10));                                              // fits in the 4 free units
    counting->asked = 0;
    const auto started = q.select(1);
    EXPECT_EQ(ids(started), d == QueueDiscipline::none ? (Ids{1, 103}) : (Ids{103})) << to_string(d);
    // none: job 1, one share, job 103; easy: one share, job 103.
    EXPECT_EQ(counting->asked, d == QueueDiscipline::none ? 3 : 2) << to_string(d);
    EXPECT_EQ(q.queued(), d == QueueDiscipline::none ? 0u : 101u) << to_string(d);
  }
}

// EASY on servers, both variants, on a schedule worked by hand. Two servers
// of 4 GPUs (1 unit a GPU), best fit. At t = 0, A (2 GPUs, estimate 100)
// lands on some server SA (a tie, broken by the seeded ranking) and B (3 GPUs,
// estimate 50) on the other, SB: 2 GPUs free on SA, 1 on SB. At t = 1 the
// head C (4 GPUs, estimate 10) cannot start, and D (1 GPU, estimate 200)
// arrives behind it.
//  - easy (counting units): at 50 B's 3 units free 6 >= 4: the shadow is 50
//    with 2 extra units; D fits in the extra and starts now, on SB (best fit:
//    its last free GPU). At 50 SB has 3 free GPUs, SA 2: C waits for A and
//    starts at 100, 50 late: counting units does not protect the head's server.
//  - easy_servers: replaying B's end frees SB for C: reserved {SB}, shadow 50;
//    D ends after it, so it must stay off SB: it starts now on SA. C starts at
//    50 on SB.
struct ServerSchedule {
  double c_start = -1;
  int a_server = -1, b_server = -1, c_server = -1, d_server = -1;
  double d_start = -1;
};

ServerSchedule run_two_servers(QueueDiscipline d) {
  auto cap = std::make_unique<engine::ServerCapacity>(
      std::vector<engine::ServerSpec>{{4, 0, 0}, {4, 0, 0}}, 1, NodePolicy::best_fit, 7);
  engine::ServerCapacity* servers = cap.get();
  LocalQueue q(std::move(cap), d);
  const auto gpus = [](std::uint64_t id, int n, double walltime_s, double at_s) {
    QueuedJob j = job(id, n, walltime_s, at_s);
    j.request.gpus = n;
    j.request.gpu_units = 1;
    return j;
  };
  const auto server_of = [&](std::uint64_t id) { return servers->allocation(id)->servers.at(0); };
  ServerSchedule out;
  q.push(gpus(1, 2, 100, 0));  // A
  q.push(gpus(2, 3, 50, 0));   // B
  EXPECT_EQ(ids(q.select(0)), (Ids{1, 2}));
  out.a_server = server_of(1);
  out.b_server = server_of(2);
  q.push(gpus(3, 4, 10, 1));   // C, the head
  q.push(gpus(4, 1, 200, 1));  // D
  for (const QueuedJob& j : q.select(1)) {
    out.d_start = 1;
    out.d_server = server_of(j.id);
  }
  q.finish(2);  // B ends at 50 (its estimate)
  for (const QueuedJob& j : q.select(50)) {
    out.c_start = 50;
    out.c_server = server_of(j.id);
  }
  if (out.c_start < 0) {
    q.finish(1);  // A ends at 100
    for (const QueuedJob& j : q.select(100)) {
      out.c_start = 100;
      out.c_server = server_of(j.id);
    }
  }
  return out;
}

TEST(LocalQueueEasyServers, ReservingTheHeadsServerKeepsItsStart) {
  const ServerSchedule count = run_two_servers(QueueDiscipline::easy);
  ASSERT_NE(count.a_server, count.b_server);
  EXPECT_EQ(count.d_start, 1);
  EXPECT_EQ(count.d_server, count.b_server);
  EXPECT_EQ(count.c_start, 100);
  EXPECT_EQ(count.c_server, count.a_server);

  const ServerSchedule by_servers = run_two_servers(QueueDiscipline::easy_servers);
  ASSERT_NE(by_servers.a_server, by_servers.b_server);
  EXPECT_EQ(by_servers.d_start, 1);
  EXPECT_EQ(by_servers.d_server, by_servers.a_server);
  EXPECT_EQ(by_servers.c_start, 50);
  EXPECT_EQ(by_servers.c_server, by_servers.b_server);
}

TEST(LocalQueueEasyServers, OnAFlatPoolItIsEasy) {
  // The hand-checked EASY cases above, again with easy_servers on a flat pool.
  for (const QueueDiscipline d : {QueueDiscipline::easy, QueueDiscipline::easy_servers}) {
    LocalQueue q(10, d);
    q.push(job(1, 6, 100));
    EXPECT_EQ(ids(q.select(0)), (Ids{1}));
    q.push(job(2, 8, 50));
    q.push(job(3, 4, 90));   // ends before the shadow (100): backfilled
    q.push(job(4, 1, 500));  // fits the 2 extra units, but job 3 leaves none free
    EXPECT_EQ(ids(q.select(10)), (Ids{3})) << to_string(d);
    q.finish(1);
    q.finish(3);
    EXPECT_EQ(ids(q.select(100)), (Ids{2, 4})) << to_string(d);
  }
}

}  // namespace
}  // namespace suanwang

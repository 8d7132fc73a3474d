// LocalQueue: one accelerator pool's waiting line and the rule that decides
// who starts next. Pure logic, no SimGrid: the engine feeds it arrivals and
// completions and starts what it returns.
//
// Capacity is counted in integer units (chips x vGPU slices) so fractional
// jobs never accumulate rounding error. Disciplines:
//  - fcfs: start jobs strictly in queue order while the head fits;
//  - easy: EASY backfilling (Lifka 1995, as in pyss): when the head does not
//    fit, reserve for it the earliest time enough units free up (from running
//    jobs' start + walltime estimate), then start any later job that fits now
//    and either ends (by its estimate) before that reservation or uses only
//    units the head will not need at it.
// An optional ordering callback (a Lua policy's `order` hook) permutes the
// queue before each selection; the discipline then applies to that order.
// The callback always sees the queue in arrival order: a permutation is not
// kept from one selection to the next.
// Invariant: used_units() <= capacity_units() at all times.
#pragma once

#include <cstdint>
#include <functional>
#include <vector>

#include "sim/scenario/scenario.hpp"

namespace suanwang {

struct QueuedJob {
  std::uint64_t id = 0;
  std::int64_t units = 0;     // capacity units wanted, 0 < units <= capacity
  double walltime_s = 0;      // user estimate used for reservations
  double enqueue_s = 0;       // when it joined this queue
};

class LocalQueue {
 public:
  // Returns a permutation of the queue (indices), or the identity.
  using Ordering = std::function<std::vector<int>(const std::vector<QueuedJob>&)>;

  LocalQueue(std::int64_t capacity_units, QueueDiscipline discipline);

  void set_ordering(Ordering ordering) { ordering_ = std::move(ordering); }
  // Capacity changes (outage: 0; repair: back). Running jobs are the caller's
  // to kill; on capacity 0 the caller must call finish() for each of them.
  void set_capacity(std::int64_t units) { capacity_ = units; }

  void push(const QueuedJob& job);
  // Removes a queued (not running) job; false when absent.
  bool remove(std::uint64_t id);
  // A running job ended (completed or killed): its units are free again.
  void finish(std::uint64_t id);

  // Jobs to start now, in start order; they move from the queue to running.
  std::vector<QueuedJob> select(double now_s);

  std::int64_t capacity_units() const { return capacity_; }
  std::int64_t used_units() const { return used_; }
  std::int64_t free_units() const { return capacity_ - used_; }
  std::size_t queued() const { return queue_.size(); }
  std::int64_t queued_units() const;
  std::size_t running() const { return running_.size(); }
  const std::vector<QueuedJob>& queue() const { return queue_; }

 private:
  struct Running {
    std::uint64_t id;
    std::int64_t units;
    double expected_end_s;  // start + walltime
  };
  std::int64_t capacity_;
  std::int64_t used_ = 0;
  QueueDiscipline discipline_;
  Ordering ordering_;
  std::vector<QueuedJob> queue_;      // arrival order, always
  std::vector<QueuedJob> ordered_;    // the ordering hook's view, for one select()
  std::vector<Running> running_;
};

}  // namespace suanwang

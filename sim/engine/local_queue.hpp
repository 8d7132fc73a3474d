// LocalQueue: one accelerator pool's waiting line and the rule that decides
// who starts next. Pure logic, no SimGrid: the engine feeds it arrivals and
// completions and starts what it returns.
//
// What a job needs is asked of the pool's Capacity (capacity.hpp): a flat
// bag of units (chips x vGPU slices), or servers with a node-placement step.
// Disciplines:
//  - fcfs: start jobs strictly in queue order while the head fits;
//  - easy: EASY backfilling (Lifka 1995, as in pyss), counting processors:
//    when the head does not fit, reserve for it the earliest time enough
//    units free up (from running jobs' start + walltime estimate), then
//    start any later job that fits now and either ends (by its estimate)
//    before that reservation or uses only units the head will not need at
//    it. On servers a job that "fits by the count" must still find a server.
//  - easy_servers: EASY with a reservation of specific servers (as batsched
//    does): the head gets the servers it would use once enough running jobs
//    have ended; a later job may start now if it ends before that time or
//    stays off those servers. On a flat pool it is `easy`.
//  - none: no waiting line: a job that cannot start at once is refused
//    (select() returns it in `refused`), as in a static packing experiment.
// An optional ordering callback (a Lua policy's `order` hook) permutes the
// queue before each selection; the discipline then applies to that order.
// The callback always sees the queue in arrival order: a permutation is not
// kept from one selection to the next.
// Invariant: used_units() <= capacity_units() at all times.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <tuple>
#include <unordered_map>
#include <vector>

#include "sim/engine/capacity.hpp"
#include "sim/scenario/scenario.hpp"

namespace suanwang {

class LocalQueue {
 public:
  // Returns a permutation of the queue (indices), or the identity.
  using Ordering = std::function<std::vector<int>(const std::vector<QueuedJob>&)>;

  // A flat pool of `capacity_units`.
  LocalQueue(std::int64_t capacity_units, QueueDiscipline discipline);
  LocalQueue(std::unique_ptr<Capacity> capacity, QueueDiscipline discipline);

  void set_ordering(Ordering ordering) { ordering_ = std::move(ordering); }
  // Outage (false) and repair. Running jobs are the caller's to kill: on an
  // outage it calls finish() for each of them first.
  void set_up(bool up) { capacity_->set_up(up); }

  void push(const QueuedJob& job);
  // Removes a queued (not running) job; false when absent.
  bool remove(std::uint64_t id);
  // A running job ended (completed or killed): what it held is free again.
  // Unknown ids are ignored.
  void finish(std::uint64_t id);

  // Jobs to start now, in start order; they move from the queue to running.
  // With discipline `none`, jobs that could not start are removed and
  // appended to *refused (when given).
  std::vector<QueuedJob> select(double now_s, std::vector<QueuedJob>* refused = nullptr);

  // What a queued job asks (its units and server request): within one
  // selection, a shape that did not fit is not asked again, and a pass that
  // found every shape of the queue unable to start stops there.
  using Shape = std::tuple<std::int64_t, int, std::int64_t, std::int64_t, std::int64_t, int>;
  static Shape shape(const QueuedJob& j);

  std::int64_t capacity_units() const { return capacity_->capacity_units(); }
  std::int64_t used_units() const { return capacity_->used_units(); }
  std::int64_t free_units() const { return capacity_units() - used_units(); }
  std::size_t queued() const { return queue_.size(); }
  std::int64_t queued_units() const { return queued_units_; }
  std::size_t running() const { return running_.size(); }
  const std::vector<QueuedJob>& queue() const { return queue_; }
  Capacity& capacity() { return *capacity_; }
  const Capacity& capacity() const { return *capacity_; }

 private:
  struct Running {
    QueuedJob job;
    double expected_end_s;  // start + walltime
  };
  void start(std::vector<QueuedJob>& q, std::size_t index, double now_s, std::vector<QueuedJob>& started);
  bool backfill_by_count(std::vector<QueuedJob>& q, double now_s, std::vector<QueuedJob>& started);
  bool backfill_by_servers(std::vector<QueuedJob>& q, double now_s, std::vector<QueuedJob>& started);
  std::vector<QueuedJob>& ordered_view();

  std::unique_ptr<Capacity> capacity_;
  QueueDiscipline discipline_;
  Ordering ordering_;
  std::vector<QueuedJob> queue_;      // arrival order, always
  std::vector<QueuedJob> ordered_;    // the ordering hook's view, for one select()
  std::int64_t queued_units_ = 0;
  std::vector<Running> running_;      // unordered (swap-removed)
  std::unordered_map<std::uint64_t, std::size_t> running_at_;  // id -> index in running_
  std::vector<char> reserved_;        // scratch: easy_servers' reservation
  void count_shape(const QueuedJob& j, int delta);
  std::map<Shape, std::int64_t> shapes_;  // queued jobs per request shape
};

}  // namespace suanwang

// EASY here mirrors pyss's EasyBackfillScheduler so that pyss's hand-built
// oracles (tests/queue/pyss_oracle_test.cpp) pin the behaviour down exactly.
// pyss works on a CPU-time profile; because running and backfilled jobs all
// start at or before `now`, that profile reduces to one reservation time
// ("shadow") plus a count of units the head leaves spare at it ("extra").
#include "sim/engine/local_queue.hpp"

#include <algorithm>
#include <limits>
#include <stdexcept>
#include <string>

namespace suanwang {

namespace {

struct Reservation {
  double shadow_s;            // earliest time the head fits, by estimates
  std::int64_t extra_units;   // units still free at shadow_s once the head runs
};

}  // namespace

LocalQueue::LocalQueue(std::int64_t capacity_units, QueueDiscipline discipline)
    : capacity_(capacity_units), discipline_(discipline) {}

void LocalQueue::push(const QueuedJob& job) {
  // A job wanting nothing would never block and never free anything: it is a
  // caller bug, not a scheduling case.
  if (job.units <= 0)
    throw std::invalid_argument("LocalQueue::push: job " + std::to_string(job.id) +
                                " wants " + std::to_string(job.units) + " units");
  queue_.push_back(job);
}

bool LocalQueue::remove(std::uint64_t id) {
  const auto it = std::find_if(queue_.begin(), queue_.end(),
                               [id](const QueuedJob& j) { return j.id == id; });
  if (it == queue_.end()) return false;
  queue_.erase(it);
  return true;
}

void LocalQueue::finish(std::uint64_t id) {
  // Unknown ids are ignored: a job killed by an outage and then reported
  // complete by its actor must not free its units twice.
  const auto it = std::find_if(running_.begin(), running_.end(),
                               [id](const Running& r) { return r.id == id; });
  if (it == running_.end()) return;
  used_ -= it->units;
  running_.erase(it);
}

std::int64_t LocalQueue::queued_units() const {
  std::int64_t total = 0;
  for (const auto& j : queue_) total += j.units;
  return total;
}

namespace {

// Earliest time, by running jobs' estimates, at which `head_units` are free.
// Jobs ending at the same instant free their units together (pyss's profile
// has one slice boundary there), so extra counts all of them. Estimates
// already overrun are treated as ending now: the head cannot be reserved in
// the past. Infinity when the head cannot fit even on an idle pool (capacity
// cut by an outage): it then delays no one, so anything that fits may start.
Reservation reserve(std::int64_t free_units, std::int64_t head_units, double now_s,
                    std::vector<std::pair<double, std::int64_t>> ends) {
  std::sort(ends.begin(), ends.end());
  std::int64_t free_at = free_units;
  std::size_t i = 0;
  while (i < ends.size()) {
    const double t = std::max(ends[i].first, now_s);
    while (i < ends.size() && std::max(ends[i].first, now_s) == t) free_at += ends[i++].second;
    if (free_at >= head_units) return {t, free_at - head_units};
  }
  return {std::numeric_limits<double>::infinity(), free_at - head_units};
}

}  // namespace

std::vector<QueuedJob> LocalQueue::select(double now_s) {
  if (ordering_ && !queue_.empty()) {
    const std::vector<int> perm = ordering_(queue_);
    std::vector<char> seen(queue_.size(), 0);
    bool valid = perm.size() == queue_.size();
    for (std::size_t k = 0; valid && k < perm.size(); ++k) {
      const int p = perm[k];
      valid = p >= 0 && static_cast<std::size_t>(p) < queue_.size() && !seen[p];
      if (valid) seen[p] = 1;
    }
    // A policy that loses or duplicates jobs would silently corrupt the
    // queue; fail loudly instead.
    if (!valid)
      throw std::invalid_argument("LocalQueue ordering did not return a permutation of " +
                                  std::to_string(queue_.size()) + " queued jobs");
    // The permutation applies to this selection only: queue_ stays in arrival
    // order, which is what the hook sees every time (its contract).
    ordered_.clear();
    ordered_.reserve(queue_.size());
    for (const int p : perm) ordered_.push_back(queue_[p]);
  }
  const bool reordered = ordering_ && !queue_.empty();
  std::vector<QueuedJob>& q = reordered ? ordered_ : queue_;

  std::vector<QueuedJob> started;
  const auto start = [&](std::size_t index) {
    const QueuedJob job = q[index];
    q.erase(q.begin() + static_cast<std::ptrdiff_t>(index));
    used_ += job.units;
    running_.push_back({job.id, job.units, now_s + job.walltime_s});
    started.push_back(job);
  };

  while (!q.empty()) {
    if (q.front().units <= free_units()) {
      start(0);
      continue;
    }
    if (discipline_ == QueueDiscipline::fcfs || q.size() < 2) break;

    std::vector<std::pair<double, std::int64_t>> ends;
    ends.reserve(running_.size());
    for (const auto& r : running_) ends.emplace_back(r.expected_end_s, r.units);
    Reservation res = reserve(free_units(), q.front().units, now_s, std::move(ends));

    bool backfilled = false;
    for (std::size_t i = 1; i < q.size();) {
      const QueuedJob& job = q[i];
      if (job.units > free_units()) {
        ++i;
        continue;
      }
      if (now_s + job.walltime_s <= res.shadow_s) {
        start(i);
        backfilled = true;
      } else if (job.units <= res.extra_units) {
        res.extra_units -= job.units;
        start(i);
        backfilled = true;
      } else {
        ++i;
      }
    }
    // Backfilling only consumes units, so the head still does not fit; the
    // re-check is kept for symmetry with pyss's schedule-after-start loop.
    if (!backfilled || q.front().units > free_units()) break;
  }
  if (reordered && !started.empty()) {
    // Drop the started jobs from the arrival-ordered queue.
    std::vector<std::uint64_t> ids;
    ids.reserve(started.size());
    for (const QueuedJob& j : started) ids.push_back(j.id);
    std::sort(ids.begin(), ids.end());
    std::erase_if(queue_, [&](const QueuedJob& j) { return std::binary_search(ids.begin(), ids.end(), j.id); });
  }
  return started;
}

}  // namespace suanwang

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

// Earliest time, by running jobs' estimates, at which `head_units` are free.
// Jobs ending at the same instant free their units together (pyss's profile
// has one slice boundary there), so extra counts all of them. Estimates
// already overrun are treated as ending now: the head cannot be reserved in
// the past. Infinity when the head cannot fit even on an idle pool (capacity
// cut by an outage): it then delays no one, so anything that fits may start.
Reservation reserve_units(std::int64_t free_units, std::int64_t head_units, double now_s,
                          std::vector<std::pair<double, std::int64_t>>& ends) {
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

LocalQueue::LocalQueue(std::int64_t capacity_units, QueueDiscipline discipline)
    : LocalQueue(std::make_unique<FlatCapacity>(capacity_units), discipline) {}

LocalQueue::LocalQueue(std::unique_ptr<Capacity> capacity, QueueDiscipline discipline)
    : capacity_(std::move(capacity)), discipline_(discipline) {}

void LocalQueue::push(const QueuedJob& job) {
  // A job wanting nothing would never block and never free anything: it is a
  // caller bug, not a scheduling case.
  if (job.units < 0 || (job.units == 0 && job.request.gpus != 0))
    throw std::invalid_argument("LocalQueue::push: job " + std::to_string(job.id) + " wants " +
                                std::to_string(job.units) + " units");
  queue_.push_back(job);
  queued_units_ += job.units;
}

bool LocalQueue::remove(std::uint64_t id) {
  const auto it = std::find_if(queue_.begin(), queue_.end(), [id](const QueuedJob& j) { return j.id == id; });
  if (it == queue_.end()) return false;
  queued_units_ -= it->units;
  queue_.erase(it);
  return true;
}

void LocalQueue::finish(std::uint64_t id) {
  // Unknown ids are ignored: a job killed by an outage must not free its
  // units twice.
  const auto it = running_at_.find(id);
  if (it == running_at_.end()) return;
  const std::size_t at = it->second;
  running_at_.erase(it);
  capacity_->finish(running_[at].job);
  if (at + 1 != running_.size()) {
    running_[at] = std::move(running_.back());
    running_at_[running_[at].job.id] = at;
  }
  running_.pop_back();
}

std::vector<QueuedJob>& LocalQueue::ordered_view() {
  if (!ordering_ || queue_.empty()) return queue_;
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
  return ordered_;
}

// Moves q[index], which the capacity has just taken, to the running jobs.
void LocalQueue::start(std::vector<QueuedJob>& q, std::size_t index, double now_s,
                       std::vector<QueuedJob>& started) {
  const QueuedJob job = q[index];
  q.erase(q.begin() + static_cast<std::ptrdiff_t>(index));
  running_at_[job.id] = running_.size();
  running_.push_back({job, now_s + job.walltime_s});
  started.push_back(job);
}

bool LocalQueue::backfill_by_count(std::vector<QueuedJob>& q, double now_s, std::vector<QueuedJob>& started) {
  std::vector<std::pair<double, std::int64_t>> ends;
  ends.reserve(running_.size());
  for (const Running& r : running_) ends.emplace_back(r.expected_end_s, r.job.units);
  Reservation res = reserve_units(free_units(), q.front().units, now_s, ends);
  bool backfilled = false;
  for (std::size_t i = 1; i < q.size();) {
    const QueuedJob& job = q[i];
    const bool before_shadow = now_s + job.walltime_s <= res.shadow_s;
    const bool in_extra = job.units <= res.extra_units;
    if ((before_shadow || in_extra) && job.units <= free_units() && capacity_->try_start(job, nullptr)) {
      if (!before_shadow) res.extra_units -= job.units;
      start(q, i, now_s, started);
      backfilled = true;
    } else {
      ++i;
    }
  }
  return backfilled;
}

bool LocalQueue::backfill_by_servers(std::vector<QueuedJob>& q, double now_s, std::vector<QueuedJob>& started) {
  std::vector<Running*> by_end;
  by_end.reserve(running_.size());
  for (Running& r : running_) by_end.push_back(&r);
  std::sort(by_end.begin(), by_end.end(), [](const Running* a, const Running* b) {
    return a->expected_end_s != b->expected_end_s ? a->expected_end_s < b->expected_end_s : a->job.id < b->job.id;
  });
  std::vector<std::pair<double, const QueuedJob*>> ends;
  ends.reserve(by_end.size());
  for (const Running* r : by_end) ends.emplace_back(std::max(r->expected_end_s, now_s), &r->job);
  const double shadow = capacity_->reserve(q.front(), ends, &reserved_);
  bool backfilled = false;
  for (std::size_t i = 1; i < q.size();) {
    const bool before_shadow = now_s + q[i].walltime_s <= shadow;
    if (capacity_->try_start(q[i], before_shadow ? nullptr : &reserved_)) {
      start(q, i, now_s, started);
      backfilled = true;
    } else {
      ++i;
    }
  }
  return backfilled;
}

std::vector<QueuedJob> LocalQueue::select(double now_s, std::vector<QueuedJob>* refused) {
  std::vector<QueuedJob>& q = ordered_view();
  const bool reordered = &q == &ordered_;
  std::vector<QueuedJob> started;
  std::vector<QueuedJob> gone;  // refused (discipline none)
  if (discipline_ == QueueDiscipline::none) {
    for (std::size_t i = 0; i < q.size();) {
      if (capacity_->try_start(q[i], nullptr)) {
        start(q, i, now_s, started);
      } else {
        gone.push_back(q[i]);
        q.erase(q.begin() + static_cast<std::ptrdiff_t>(i));
      }
    }
  }
  while (!q.empty()) {
    if (q.front().units <= free_units() && capacity_->try_start(q.front(), nullptr)) {
      start(q, 0, now_s, started);
      continue;
    }
    if (discipline_ == QueueDiscipline::fcfs || q.size() < 2) break;
    const bool by_servers = discipline_ == QueueDiscipline::easy_servers && capacity_->has_servers();
    const bool backfilled = by_servers ? backfill_by_servers(q, now_s, started) : backfill_by_count(q, now_s, started);
    // Backfilling only consumes capacity, so the head still does not fit;
    // the re-check is kept for symmetry with pyss's schedule-after-start loop.
    if (!backfilled || q.front().units > free_units()) break;
  }
  for (const QueuedJob& j : started) queued_units_ -= j.units;
  for (const QueuedJob& j : gone) queued_units_ -= j.units;
  if (reordered && (!started.empty() || !gone.empty())) {
    // Drop the started and refused jobs from the arrival-ordered queue.
    std::vector<std::uint64_t> ids;
    ids.reserve(started.size() + gone.size());
    for (const QueuedJob& j : started) ids.push_back(j.id);
    for (const QueuedJob& j : gone) ids.push_back(j.id);
    std::sort(ids.begin(), ids.end());
    std::erase_if(queue_, [&](const QueuedJob& j) { return std::binary_search(ids.begin(), ids.end(), j.id); });
  }
  if (refused) refused->insert(refused->end(), gone.begin(), gone.end());
  return started;
}

}  // namespace suanwang

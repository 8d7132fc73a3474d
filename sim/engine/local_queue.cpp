// EASY here mirrors pyss's EasyBackfillScheduler so that pyss's hand-built
// oracles (tests/queue/pyss_oracle_test.cpp) pin the behaviour down exactly.
// pyss works on a CPU-time profile; because running and backfilled jobs all
// start at or before `now`, that profile reduces to one reservation time
// ("shadow") plus a count of units the head leaves spare at it ("extra").
#include "sim/engine/local_queue.hpp"

#include <algorithm>
#include <functional>
#include <limits>
#include <stdexcept>
#include <string>
#include <tuple>

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
  // Only the earliest ends are needed: a heap yields them in order without
  // sorting every running job (thousands run at once in a busy center).
  const auto later = std::greater<>{};
  std::make_heap(ends.begin(), ends.end(), later);
  auto last = ends.end();
  std::int64_t free_at = free_units;
  while (last != ends.begin()) {
    const double t = std::max(ends.front().first, now_s);
    while (last != ends.begin() && std::max(ends.front().first, now_s) == t) {
      std::pop_heap(ends.begin(), last, later);
      --last;
      free_at += last->second;
    }
    if (free_at >= head_units) return {t, free_at - head_units};
  }
  return {std::numeric_limits<double>::infinity(), free_at - head_units};
}

// Requests that did not fit during one selection pass. Starting jobs only
// takes capacity, so within a pass a request that did not fit never fits
// again: later jobs asking the same are skipped without asking the capacity
// (on servers that question scans every server), and once every shape in the
// queue has failed the pass stops. A pass over a long queue of a few request
// shapes then costs a few questions, not one per job.
class NoFit {
 public:
  using Shape = LocalQueue::Shape;
  // Failing anywhere means failing outside reserved servers too.
  bool known(const Shape& s, bool avoiding) const { return has({s, false}) || (avoiding && has({s, true})); }
  void add(const Shape& s, bool avoiding) { seen_.emplace_back(s, avoiding); }
  // Every shape in `queued` fails anywhere: nothing more can start this pass.
  bool covers(const std::map<Shape, std::int64_t>& queued) {
    if (seen_.size() == checked_) return false;  // nothing new since the last look
    checked_ = seen_.size();
    return std::all_of(queued.begin(), queued.end(), [&](const auto& kv) { return has({kv.first, false}); });
  }

 private:
  bool has(const std::pair<Shape, bool>& k) const { return std::find(seen_.begin(), seen_.end(), k) != seen_.end(); }
  std::vector<std::pair<Shape, bool>> seen_;
  std::size_t checked_ = 0;
};

// Whether `job` can start now, asking `capacity` (outside `avoid` when given)
// unless the free units or a same request that failed this pass say no.
bool try_start(Capacity& capacity, std::int64_t free_units, const QueuedJob& job, const std::vector<char>* avoid,
               NoFit& no_fit) {
  const bool avoiding = avoid != nullptr;
  const LocalQueue::Shape s = LocalQueue::shape(job);
  if (no_fit.known(s, avoiding)) return false;
  if (job.units <= free_units && capacity.try_start(job, avoid)) return true;
  no_fit.add(s, avoiding && job.units <= free_units);
  return false;
}

}  // namespace

LocalQueue::Shape LocalQueue::shape(const QueuedJob& j) {
  const engine::NodeRequest& r = j.request;
  return {j.units, r.gpus, r.gpu_units, r.cpu_milli, r.memory_B, r.gang_servers};
}

void LocalQueue::count_shape(const QueuedJob& j, int delta) {
  const auto it = shapes_.try_emplace(shape(j), 0).first;
  it->second += delta;
  if (it->second == 0) shapes_.erase(it);
}

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
  count_shape(job, +1);
}

bool LocalQueue::remove(std::uint64_t id) {
  const auto it = std::find_if(queue_.begin(), queue_.end(), [id](const QueuedJob& j) { return j.id == id; });
  if (it == queue_.end()) return false;
  queued_units_ -= it->units;
  count_shape(*it, -1);
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
  count_shape(job, -1);
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
  NoFit no_fit;
  no_fit.add(shape(q.front()), false);  // the head did not start
  for (std::size_t i = 1; i < q.size();) {
    const QueuedJob& job = q[i];
    const bool before_shadow = now_s + job.walltime_s <= res.shadow_s;
    const bool in_extra = job.units <= res.extra_units;
    if ((before_shadow || in_extra) && try_start(*capacity_, free_units(), job, nullptr, no_fit)) {
      if (!before_shadow) res.extra_units -= job.units;
      start(q, i, now_s, started);
      backfilled = true;
    } else {
      if (no_fit.covers(shapes_)) break;
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
  NoFit no_fit;
  no_fit.add(shape(q.front()), false);  // the head did not start
  for (std::size_t i = 1; i < q.size();) {
    const bool before_shadow = now_s + q[i].walltime_s <= shadow;
    if (try_start(*capacity_, free_units(), q[i], before_shadow ? nullptr : &reserved_, no_fit)) {
      start(q, i, now_s, started);
      backfilled = true;
    } else {
      if (no_fit.covers(shapes_)) break;
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
    NoFit no_fit;
    for (std::size_t i = 0; i < q.size();) {
      if (try_start(*capacity_, std::numeric_limits<std::int64_t>::max(), q[i], nullptr, no_fit)) {
        start(q, i, now_s, started);
      } else {
        count_shape(q[i], -1);
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

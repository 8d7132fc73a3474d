#include "sim/engine/server_capacity.hpp"

#include <algorithm>
#include <limits>

namespace suanwang::engine {

void WorkloadMix::add(const NodeRequest& req) {
  ++counts_[Key{req.cpu_milli, req.gpu_units, req.gpus}];
  ++total_;
  dirty_ = true;
}

const std::vector<WorkloadShape>& WorkloadMix::shapes() {
  if (!dirty_) return shapes_;
  dirty_ = false;
  // Most frequent first; ties by (cpu, units, gpus), larger first.
  std::vector<std::pair<std::uint64_t, Key>> order;
  order.reserve(counts_.size());
  for (const auto& [k, n] : counts_) order.emplace_back(n, k);
  std::sort(order.begin(), order.end(), [](const auto& a, const auto& b) { return a > b; });
  const double total = static_cast<double>(total_);
  const double wanted = 0.95 * total;
  double covered = 0;
  std::size_t kept = 0;
  while (kept < order.size() && covered < wanted) covered += static_cast<double>(order[kept++].first);
  shapes_.clear();
  for (std::size_t i = 0; i < kept; ++i) {
    WorkloadShape w;
    w.cpu_milli = std::get<0>(order[i].second);
    w.gpu_units = std::get<1>(order[i].second);
    w.gpus = std::get<2>(order[i].second);
    w.weight = static_cast<double>(order[i].first) / covered;
    shapes_.push_back(w);
  }
  return shapes_;
}

ServerCapacity::ServerCapacity(const std::vector<ServerSpec>& servers, int slices, NodePolicy policy,
                               std::uint64_t seed)
    : pool_(servers, slices),
      placer_(policy, static_cast<int>(servers.size()), seed),
      reservations_(policy == NodePolicy::random_fit ? NodePolicy::best_fit : policy,
                    static_cast<int>(servers.size()), seed ^ 0x5DEECE66DULL),
      index_(pool_, placer_.rank()) {}

const std::vector<WorkloadShape>& ServerCapacity::mix_for(const NodePlacer& placer) {
  static const std::vector<WorkloadShape> kUnread;  // immutable: what a placer that reads no mix gets
  return placer.reads_mix() ? mix_.shapes() : kUnread;
}

bool ServerCapacity::try_start(const QueuedJob& job, const std::vector<char>* avoid) {
  if (!up_) return false;
  NodeAllocation where;
  int chosen = -1;
  if (binder_ && job.request.gang_servers == 0) {
    feasible_.clear();
    for (int s = 0; s < pool_.servers(); ++s)
      if (!(avoid && (*avoid)[static_cast<std::size_t>(s)]) && pool_.fits(s, job.request)) feasible_.push_back(s);
    if (feasible_.empty()) return false;
    chosen = binder_(job, feasible_);
  }
  if (chosen >= 0) placer_.place_on(pool_, job.request, mix_for(placer_), chosen, &where);
  else if (!placer_.choose(pool_, job.request, mix_for(placer_), avoid, &where, &index_)) return false;
  pool_.allocate(job.request, where);
  for (const std::int32_t s : where.servers) index_.update(pool_, s);
  held_[job.id] = std::move(where);
  return true;
}

double ServerCapacity::gpu_free(int server, int gpu) const {
  return static_cast<double>(pool_.gpu_left(server, gpu)) / pool_.slices();
}

double ServerCapacity::cpu_free(int server) const {
  return pool_.cpu_capacity(server) >= INT64_MAX / 4 ? 1.0 / 0.0 : pool_.cpu_left(server) / 1000.0;
}

double ServerCapacity::memory_free(int server) const {
  return pool_.memory_capacity(server) >= INT64_MAX / 4 ? 1.0 / 0.0 : static_cast<double>(pool_.memory_left(server));
}

void ServerCapacity::finish(const QueuedJob& job) {
  const auto it = held_.find(job.id);
  if (it == held_.end()) return;
  pool_.release(job.request, it->second);
  for (const std::int32_t s : it->second.servers) index_.update(pool_, s);
  held_.erase(it);
}

const NodeAllocation* ServerCapacity::allocation(std::uint64_t id) const {
  const auto it = held_.find(id);
  return it == held_.end() ? nullptr : &it->second;
}

bool ServerCapacity::could_ever_fit(const NodeRequest& req) const {
  const auto same = [&](const NodeRequest& r) {
    return r.gpus == req.gpus && r.gpu_units == req.gpu_units && r.cpu_milli == req.cpu_milli &&
           r.memory_B == req.memory_B && r.gang_servers == req.gang_servers;
  };
  for (const auto& [r, fits] : ever_fits_)
    if (same(r)) return fits;
  int big_enough = 0;
  for (int s = 0; s < pool_.servers(); ++s) {
    if (req.gang_servers > 0) {
      big_enough += pool_.gpus(s) > 0;
      continue;
    }
    big_enough += pool_.gpus(s) >= req.gpus && pool_.cpu_capacity(s) >= req.cpu_milli &&
                  pool_.memory_capacity(s) >= req.memory_B;
  }
  const bool fits = req.gang_servers > 0 ? big_enough >= req.gang_servers : big_enough > 0;
  if (ever_fits_.size() < 64) ever_fits_.emplace_back(req, fits);  // a few shapes a run, usually
  return fits;
}

double ServerCapacity::reserve(const QueuedJob& head, const std::vector<std::pair<double, const QueuedJob*>>& ends,
                               std::vector<char>* reserved) {
  reserved->assign(static_cast<std::size_t>(pool_.servers()), 0);
  if (!up_) return std::numeric_limits<double>::infinity();
  // Replay the running jobs' ends, by estimate, on a copy of the pool until
  // the head fits; jobs ending at the same instant free together.
  NodePool future = pool_;
  NodeAllocation where;
  std::size_t i = 0;
  while (i < ends.size()) {
    const double t = ends[i].first;
    for (; i < ends.size() && ends[i].first == t; ++i) {
      const auto it = held_.find(ends[i].second->id);
      if (it != held_.end()) future.release(ends[i].second->request, it->second);
    }
    if (reservations_.choose(future, head.request, mix_for(reservations_), nullptr, &where)) {
      for (const std::int32_t s : where.servers) (*reserved)[static_cast<std::size_t>(s)] = 1;
      return t;
    }
  }
  return std::numeric_limits<double>::infinity();
}

}  // namespace suanwang::engine

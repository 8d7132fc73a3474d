// ServerCapacity: a pool made of servers, filled by a node-placement policy
// (pure logic, no SimGrid). See capacity.hpp for the contract, node_pool.hpp
// for the server model and node_placement.hpp for the policies.
//
// WorkloadMix is the "target workload" the fragmentation measure and FGD
// weigh free capacity against: the request shapes (GPUs, GPU units each,
// CPU) of the jobs that arrived at the pool so far, the most frequent first,
// keeping the smallest set that covers 95% of the arrivals (the FGD
// artifact's GetTypicalPods), with weights renormalised over that set.
// The artifact computes it once from the whole trace; here it is learned
// online, so it converges to the same mix after a few hundred arrivals.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <tuple>
#include <unordered_map>
#include <vector>

#include "sim/engine/capacity.hpp"
#include "sim/engine/node_placement.hpp"
#include "sim/policy/server_view.hpp"

namespace suanwang::engine {

class WorkloadMix {
 public:
  void add(const NodeRequest& req);
  // The typical shapes; recomputed only when arrivals changed them.
  const std::vector<WorkloadShape>& shapes();
  std::uint64_t arrivals() const { return total_; }

 private:
  using Key = std::tuple<std::int64_t, std::int64_t, int>;  // cpu, gpu units, gpus
  std::map<Key, std::uint64_t> counts_;
  std::uint64_t total_ = 0;
  bool dirty_ = false;
  std::vector<WorkloadShape> shapes_;
};

// Also the policies' view of these servers (ServerView, the bind hook's).
class ServerCapacity final : public Capacity, public ServerView {
 public:
  ServerCapacity(const std::vector<ServerSpec>& servers, int slices, NodePolicy policy, std::uint64_t seed);

  // A policy's own node placement (its bind hook): given a job on one server
  // and the servers where it fits now (never empty), the server it takes, or
  // -1 to let the built-in policy choose.
  using Binder = std::function<int(const QueuedJob& job, const std::vector<int>& feasible)>;
  void set_binder(Binder binder) { binder_ = std::move(binder); }

  std::int64_t capacity_units() const override { return up_ ? pool_.capacity_units() : 0; }
  std::int64_t used_units() const override { return pool_.capacity_units() - pool_.free_units(); }
  void set_up(bool up) override { up_ = up; }
  bool try_start(const QueuedJob& job, const std::vector<char>* avoid) override;
  void finish(const QueuedJob& job) override;
  bool has_servers() const override { return true; }
  double reserve(const QueuedJob& head, const std::vector<std::pair<double, const QueuedJob*>>& ends,
                 std::vector<char>* reserved) override;

  const NodePool& pool() const { return pool_; }

  // ServerView
  int servers() const override { return pool_.servers(); }
  int gpus(int server) const override { return pool_.gpus(server); }
  double gpu_free(int server, int gpu) const override;
  double cpu_free(int server) const override;
  double memory_free(int server) const override;
  WorkloadMix& mix() { return mix_; }
  // The pool's fragmented GPU units now, against the mix learnt so far.
  double fragmentation() { return index_.fragmentation(pool_, mix_.shapes()); }
  // Where a running job is; nullptr when it is not running here.
  const NodeAllocation* allocation(std::uint64_t id) const;
  // Whether `req` could ever fit on this pool (an empty pool of it).
  bool could_ever_fit(const NodeRequest& req) const;

 private:
  NodePool pool_;
  NodePlacer placer_;
  NodePlacer reservations_;  // its own random stream: reserving never changes what starts
  ServerIndex index_;        // pool_'s servers by state, in placer_'s rank order
  WorkloadMix mix_;
  // The mix `placer` is given: mix_'s shapes, brought up to date only for a
  // placer that reads them (sorting the shapes on every start cost ~1% of a run).
  const std::vector<WorkloadShape>& mix_for(const NodePlacer& placer);
  // could_ever_fit's answers: a function of the request and the servers' sizes.
  mutable std::vector<std::pair<NodeRequest, bool>> ever_fits_;
  bool up_ = true;
  std::unordered_map<std::uint64_t, NodeAllocation> held_;
  Binder binder_;
  std::vector<int> feasible_;  // scratch for the binder
};

}  // namespace suanwang::engine

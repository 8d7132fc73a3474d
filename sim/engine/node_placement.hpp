// NodePlacer: which server(s) and accelerator(s) of a pool a job gets (the
// node-placement step inside a center; pure logic, no SimGrid).
//
// The built-in policies are those compared by Weng et al. (USENIX ATC '23),
// computed as their simulator (hkust-adsl/kubernetes-scheduler-simulator)
// does: filter the servers where the request fits, score each (integer
// scores 0..100, Kubernetes style), keep the highest, break ties by a fixed
// random ranking of the servers (seeded: the simulator ranks nodes by a
// random permutation of their names), then pick the accelerator(s):
//   random_fit   a uniformly random fitting server, a random fitting GPU
//   best_fit     least CPU + GPU left after placement (equal weights, scores
//                min-max normalised), tightest fitting GPU
//   worst_fit    the opposite: most CPU + GPU left, roomiest fitting GPU
//   dot_product  Tetris: smallest dot product of the server's free CPU/GPU
//                with the request, tightest fitting GPU
//   packing      GPU packing: prefer partly used GPUs, then servers already
//                in use, then idle servers; tightest fitting GPU
//   fgd          fragmentation gradient descent: the server and GPU whose
//                fragmentation (for the target workload) grows least
// Whole-GPU requests take the lowest-indexed fully free GPUs of the chosen
// server; gangs take whole empty servers in ranking order (random for
// random_fit). CPU/memory normalise by 128 cores and 8 GPUs, as the
// simulator's MaxSpecCpu/MaxSpecGpu do.
#pragma once

#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "sim/engine/node_pool.hpp"
#include "sim/engine/server_index.hpp"
#include "sim/scenario/scenario.hpp"

namespace suanwang::engine {

using suanwang::NodePolicy;  // the names are the scenario's (scenario.hpp)

class NodePlacer {
 public:
  NodePlacer(NodePolicy policy, int servers, std::uint64_t seed);
  // Ties broken by `rank` (lower wins) instead of a seeded permutation.
  NodePlacer(NodePolicy policy, std::vector<std::uint32_t> rank, std::uint64_t seed);

  // Chooses where `req` goes. Servers with avoid[s] != 0 are not considered
  // (EASY's reserved servers) when avoid is given. `mix` is the target
  // workload (fgd only). False when the request fits nowhere. With `index`
  // (the pool's servers by state, ordered by this placer's ranks) the choice
  // looks at each state once: the same server as without, faster (not for
  // random_fit, nor with `avoid`, which look at every server).
  bool choose(const NodePool& pool, const NodeRequest& req, const std::vector<WorkloadShape>& mix,
              const std::vector<char>* avoid, NodeAllocation* out, const ServerIndex* index = nullptr);

  // Places `req` (one server) on server s, where it fits: picks its GPU(s)
  // by this policy's rule.
  void place_on(const NodePool& pool, const NodeRequest& req, const std::vector<WorkloadShape>& mix, int s,
                NodeAllocation* out);

  NodePolicy policy() const { return policy_; }
  // Whether `mix` changes its choices (fgd): other policies may be given an
  // empty one, and the mix is not brought up to date for them.
  bool reads_mix() const { return policy_ == NodePolicy::fgd; }
  const std::vector<std::uint32_t>& rank() const { return rank_; }

 private:
  bool choose_gang(const NodePool& pool, const NodeRequest& req, const std::vector<char>* avoid,
                   NodeAllocation* out);
  void choose_feasible(const NodePool& pool, const NodeRequest& req, const std::vector<WorkloadShape>& mix,
                       bool several, NodeAllocation* out);
  bool choose_indexed(const NodePool& pool, const ServerIndex& index, const NodeRequest& req,
                      const std::vector<WorkloadShape>& mix, NodeAllocation* out);
  bool choose_gang_indexed(const ServerIndex& index, const NodeRequest& req,
                           NodeAllocation* out);
  void score(const NodePool& pool, const NodeRequest& req, const std::vector<WorkloadShape>& mix);
  int pick_gpu(const NodePool& pool, int s, const NodeRequest& req, const std::vector<WorkloadShape>& mix);
  std::uint64_t whole_gpus(const NodePool& pool, int s, int count) const;

  NodePolicy policy_;
  std::vector<std::uint32_t> rank_;   // tie-break order, a seeded permutation
  std::mt19937_64 rng_;
  // Scratch of one choice: the feasible servers and their scores.
  std::vector<std::int32_t> feasible_;
  std::vector<std::int64_t> scores_;
  std::vector<int> fgd_gpu_;
  std::int64_t last_fgd_score_ = 0;  // score of the last pick_gpu (fgd)
  struct EmptyScore { int gpus; std::int64_t cpu; std::int64_t score; int gpu; };
  std::vector<EmptyScore> empty_scores_;  // fgd: per server size, this choose() only
};

}  // namespace suanwang::engine

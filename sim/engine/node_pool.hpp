// NodePool: the servers of one accelerator pool, what is free on each, and
// the fragmentation of that free capacity (pure logic, no SimGrid).
//
// A server has G accelerators, CPU (milli-cores) and memory (bytes). Each
// accelerator is split into `slices` units, so a vGPU share of a fraction f
// takes ceil(f x slices) units of ONE accelerator (node-bound sharing, as in
// vGPU/MIG/time-slicing); a request of g whole accelerators takes g fully free
// ones on one server when g <= G, and ceil(g / G) whole, empty servers
// otherwise (a gang). Requests also take CPU and memory on each server used.
//
// Fragmentation follows Weng et al., "Beware of Fragmentation" (USENIX ATC
// '23), as its simulator computes it (pkg/utils/frag.go): for a target
// workload M (request shapes with popularity p_m), the fragmented capacity of
// a server is sum_m p_m F(server, m), where F is all of its free GPU units if
// m cannot run there (too few CPUs or fitting GPUs), and otherwise the free
// units on GPUs too small for m. Units are GPU units (slices).
//
// Invariants: 0 <= free <= capacity on every resource of every server; a
// server holding a gang member has no other occupant.
#pragma once

#include <cstdint>
#include <vector>

namespace suanwang::engine {

inline constexpr int kMaxGpusPerServer = 64;

struct ServerSpec {
  int gpus = 8;
  std::int64_t cpu_milli = 0;   // 0: no CPU limit
  std::int64_t memory_B = 0;    // 0: no memory limit
};

// What a job asks of a pool, in the pool's units.
struct NodeRequest {
  int gpus = 1;                   // accelerators: 1 for a share, g for whole ones, 0 for CPU-only
  std::int64_t gpu_units = 0;     // units per accelerator: < slices for a share, == slices for whole
  std::int64_t cpu_milli = 0;     // per server used
  std::int64_t memory_B = 0;      // per server used
  int gang_servers = 0;           // > 0: that many whole, empty servers (gpus > G)
  // One accelerator (a share, or one whole GPU: the tightest fitting GPU is
  // then a fully free one, as for whole GPUs).
  bool share() const { return gpus == 1 && gang_servers == 0; }
};

// Where a request went. For a gang, `servers` lists every server; otherwise
// one server and the accelerators used on it (bit g = accelerator g).
struct NodeAllocation {
  std::vector<std::int32_t> servers;
  std::uint64_t gpu_mask = 0;
  bool empty() const { return servers.empty(); }
};

// One request shape of the target workload, and its share of the arrivals.
struct WorkloadShape {
  int gpus = 1;
  std::int64_t gpu_units = 0;
  std::int64_t cpu_milli = 0;
  double weight = 0;   // sums to 1 over the workload
};

// The rule behind NodePool::fits (one home: ServerIndex applies it to a class
// of equal servers): whether `req` (not a gang) fits a server with this much
// CPU and memory left, `gpus` accelerators and `units_left` free units on
// them in all; fitting_gpus(u) counts its accelerators with at least u units
// free, asked last (only when the totals allow it).
template <class FittingGpus>
bool request_fits(const NodeRequest& req, std::int64_t cpu_left, std::int64_t memory_left, int gpus,
                  std::int64_t units_left, FittingGpus&& fitting_gpus) {
  if (cpu_left < req.cpu_milli || memory_left < req.memory_B) return false;
  if (req.gpus == 0) return true;
  if (req.gpus > gpus || units_left < req.gpus * req.gpu_units) return false;
  return fitting_gpus(req.gpu_units) >= req.gpus;
}

class NodePool {
 public:
  NodePool(const std::vector<ServerSpec>& servers, int slices);

  int servers() const { return static_cast<int>(gpus_.size()); }
  int max_gpus_per_server() const { return stride_; }
  int slices() const { return slices_; }
  int gpus(int s) const { return gpus_[s]; }
  std::int64_t gpu_left(int s, int g) const { return left_[static_cast<std::size_t>(s) * stride_ + g]; }
  std::int64_t gpu_left(int s) const { return total_left_[s]; }   // all accelerators of s
  std::int64_t cpu_left(int s) const { return cpu_left_[s]; }
  std::int64_t memory_left(int s) const { return mem_left_[s]; }
  std::int64_t cpu_capacity(int s) const { return cpu_cap_[s]; }
  std::int64_t memory_capacity(int s) const { return mem_cap_[s]; }
  bool empty(int s) const { return total_left_[s] == static_cast<std::int64_t>(gpus_[s]) * slices_ && occupants_[s] == 0; }
  std::int64_t capacity_units() const { return capacity_units_; }
  std::int64_t free_units() const { return free_units_; }
  bool limits_cpu() const { return limits_cpu_; }

  // What could start now, kept current in O(G) per change (policy views):
  // the most fully free accelerators on one server, the servers with no
  // occupant, and the most free units on one accelerator.
  int max_free_gpus_on_a_server() const;
  int empty_servers() const { return empty_servers_; }
  std::int64_t max_free_units_on_a_gpu() const;

  // Whether `req` (not a gang) fits on server s now.
  bool fits(int s, const NodeRequest& req) const;
  // Accelerators of s with at least `units` free, lowest index first.
  int fitting_gpus(int s, std::int64_t units) const;

  void allocate(const NodeRequest& req, const NodeAllocation& where);
  void release(const NodeRequest& req, const NodeAllocation& where);

  // Fragmented GPU units of server s (or of the pool) for a target workload:
  // the sum over its shapes m of weight(m) x the units of s that m cannot use.
  double fragmentation(int s, const std::vector<WorkloadShape>& mix) const;
  // The pool's: per shape, the whole number of units summed over servers,
  // then weighed (so that the total does not depend on the order servers are
  // added in: ServerIndex sums per class and gets the same bits).
  double fragmentation(const std::vector<WorkloadShape>& mix) const;
  // Same for a hypothetical state of server s (FGD's "what if").
  double fragmentation(const std::int64_t* gpu_left, int gpus, std::int64_t cpu_left,
                       const std::vector<WorkloadShape>& mix) const;
  // units[m] += times x the units of server s that shape m cannot use
  // (units has one entry per shape of mix).
  void add_fragmented_units(int s, const std::vector<WorkloadShape>& mix, std::int64_t times,
                            std::vector<std::int64_t>* units) const;
  // sum over m of mix[m].weight x units[m].
  static double weigh(const std::vector<WorkloadShape>& mix, const std::vector<std::int64_t>& units);

 private:
  int slices_;
  int stride_ = 0;                      // max accelerators per server
  std::vector<int> gpus_;
  std::vector<std::int64_t> left_;      // [s * stride_ + g]
  std::vector<std::int64_t> total_left_, cpu_left_, mem_left_, cpu_cap_, mem_cap_;
  std::vector<std::int32_t> occupants_;
  std::int64_t capacity_units_ = 0, free_units_ = 0;
  bool limits_cpu_ = false;
  // Histograms behind the "could start now" queries.
  std::vector<int> full_gpus_;        // per server: accelerators with all units free
  std::vector<int> servers_by_full_;  // [k]: servers with k fully free accelerators
  std::vector<int> gpus_by_units_;    // [u]: accelerators with u units free
  int empty_servers_ = 0;
  void count_gpu(int s, std::int64_t before, std::int64_t after);
  void count_occupants(int s, int delta);
};

}  // namespace suanwang::engine

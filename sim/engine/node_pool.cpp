#include "sim/engine/node_pool.hpp"

#include <algorithm>
#include <stdexcept>
#include <string>

namespace suanwang::engine {

NodePool::NodePool(const std::vector<ServerSpec>& servers, int slices) : slices_(slices) {
  for (const ServerSpec& s : servers) {
    if (s.gpus < 0 || s.gpus > kMaxGpusPerServer)
      throw std::invalid_argument("NodePool: a server has " + std::to_string(s.gpus) +
                                  " accelerators (expected 0.." + std::to_string(kMaxGpusPerServer) + ")");
    stride_ = std::max(stride_, s.gpus);
  }
  const std::size_t n = servers.size();
  gpus_.resize(n);
  left_.assign(n * static_cast<std::size_t>(stride_), 0);
  total_left_.resize(n);
  cpu_left_.resize(n);
  mem_left_.resize(n);
  cpu_cap_.resize(n);
  mem_cap_.resize(n);
  occupants_.assign(n, 0);
  for (std::size_t s = 0; s < n; ++s) {
    gpus_[s] = servers[s].gpus;
    for (int g = 0; g < gpus_[s]; ++g) left_[s * stride_ + g] = slices;
    total_left_[s] = static_cast<std::int64_t>(gpus_[s]) * slices;
    // A limit of 0 means "not modelled": an effectively infinite resource.
    cpu_cap_[s] = servers[s].cpu_milli > 0 ? servers[s].cpu_milli : INT64_MAX / 4;
    mem_cap_[s] = servers[s].memory_B > 0 ? servers[s].memory_B : INT64_MAX / 4;
    limits_cpu_ = limits_cpu_ || servers[s].cpu_milli > 0;
    cpu_left_[s] = cpu_cap_[s];
    mem_left_[s] = mem_cap_[s];
    capacity_units_ += total_left_[s];
  }
  free_units_ = capacity_units_;
  full_gpus_ = gpus_;
  servers_by_full_.assign(static_cast<std::size_t>(stride_) + 1, 0);
  gpus_by_units_.assign(static_cast<std::size_t>(slices) + 1, 0);
  for (std::size_t s = 0; s < n; ++s) {
    ++servers_by_full_[static_cast<std::size_t>(gpus_[s])];
    gpus_by_units_[static_cast<std::size_t>(slices)] += gpus_[s];
  }
  empty_servers_ = static_cast<int>(n);
}

void NodePool::count_gpu(int s, std::int64_t before, std::int64_t after) {
  --gpus_by_units_[static_cast<std::size_t>(before)];
  ++gpus_by_units_[static_cast<std::size_t>(after)];
  const int delta = (after == slices_) - (before == slices_);
  if (delta == 0) return;
  --servers_by_full_[static_cast<std::size_t>(full_gpus_[s])];
  full_gpus_[s] += delta;
  ++servers_by_full_[static_cast<std::size_t>(full_gpus_[s])];
}

void NodePool::count_occupants(int s, int delta) {
  const bool was_empty = occupants_[s] == 0;
  occupants_[s] += delta;
  empty_servers_ += (occupants_[s] == 0) - was_empty;
}

int NodePool::max_free_gpus_on_a_server() const {
  for (int k = stride_; k > 0; --k)
    if (servers_by_full_[static_cast<std::size_t>(k)] > 0) return k;
  return 0;
}

std::int64_t NodePool::max_free_units_on_a_gpu() const {
  for (int u = slices_; u > 0; --u)
    if (gpus_by_units_[static_cast<std::size_t>(u)] > 0) return u;
  return 0;
}

int NodePool::fitting_gpus(int s, std::int64_t units) const {
  const std::int64_t* row = &left_[static_cast<std::size_t>(s) * stride_];
  int n = 0;
  for (int g = 0; g < gpus_[s]; ++g) n += row[g] >= units;
  return n;
}

bool NodePool::fits(int s, const NodeRequest& req) const {
  return request_fits(req, cpu_left_[s], mem_left_[s], gpus_[s], total_left_[s],
                      [&](std::int64_t units) { return fitting_gpus(s, units); });
}

void NodePool::allocate(const NodeRequest& req, const NodeAllocation& where) {
  for (const std::int32_t s : where.servers) {
    std::int64_t* row = &left_[static_cast<std::size_t>(s) * stride_];
    std::int64_t taken = 0;
    if (req.gang_servers > 0) {  // the whole server
      for (int g = 0; g < gpus_[s]; ++g) {
        taken += row[g];
        count_gpu(s, row[g], 0);
        row[g] = 0;
      }
      cpu_left_[s] = 0;
      mem_left_[s] = 0;
    } else {
      for (int g = 0; g < gpus_[s]; ++g)
        if (where.gpu_mask >> g & 1) {
          count_gpu(s, row[g], row[g] - req.gpu_units);
          row[g] -= req.gpu_units;
          taken += req.gpu_units;
        }
      cpu_left_[s] -= req.cpu_milli;
      mem_left_[s] -= req.memory_B;
    }
    total_left_[s] -= taken;
    free_units_ -= taken;
    count_occupants(s, +1);
  }
}

void NodePool::release(const NodeRequest& req, const NodeAllocation& where) {
  for (const std::int32_t s : where.servers) {
    std::int64_t* row = &left_[static_cast<std::size_t>(s) * stride_];
    std::int64_t given = 0;
    if (req.gang_servers > 0) {
      for (int g = 0; g < gpus_[s]; ++g) {
        given += slices_ - row[g];
        count_gpu(s, row[g], slices_);
        row[g] = slices_;
      }
      cpu_left_[s] = cpu_cap_[s];
      mem_left_[s] = mem_cap_[s];
    } else {
      for (int g = 0; g < gpus_[s]; ++g)
        if (where.gpu_mask >> g & 1) {
          count_gpu(s, row[g], row[g] + req.gpu_units);
          row[g] += req.gpu_units;
          given += req.gpu_units;
        }
      cpu_left_[s] += req.cpu_milli;
      mem_left_[s] += req.memory_B;
    }
    total_left_[s] += given;
    free_units_ += given;
    count_occupants(s, -1);
  }
}

namespace {

// The one rule: the free units of a server (accelerators' free units
// gpu_left[0..gpus), cpu_left) that a job of shape m cannot use. All of them
// when m cannot start there at all, else those on accelerators too small
// for m (the FGD paper's definition).
std::int64_t unusable_units(const std::int64_t* gpu_left, int gpus, std::int64_t cpu_left, const WorkloadShape& m) {
  std::int64_t total = 0, small = 0;
  int fitting = 0;
  for (int g = 0; g < gpus; ++g) {
    total += gpu_left[g];
    if (gpu_left[g] >= m.gpu_units) ++fitting;
    else small += gpu_left[g];
  }
  return m.gpus > 0 && cpu_left >= m.cpu_milli && fitting >= m.gpus ? small : total;
}

}  // namespace

double NodePool::fragmentation(const std::int64_t* gpu_left, int gpus, std::int64_t cpu_left,
                               const std::vector<WorkloadShape>& mix) const {
  double frag = 0;
  for (const WorkloadShape& m : mix) frag += m.weight * static_cast<double>(unusable_units(gpu_left, gpus, cpu_left, m));
  return frag;
}

double NodePool::fragmentation(int s, const std::vector<WorkloadShape>& mix) const {
  return fragmentation(&left_[static_cast<std::size_t>(s) * stride_], gpus_[s], cpu_left_[s], mix);
}

void NodePool::add_fragmented_units(int s, const std::vector<WorkloadShape>& mix, std::int64_t times,
                                    std::vector<std::int64_t>* units) const {
  const std::int64_t* left = &left_[static_cast<std::size_t>(s) * stride_];
  for (std::size_t m = 0; m < mix.size(); ++m) (*units)[m] += times * unusable_units(left, gpus_[s], cpu_left_[s], mix[m]);
}

double NodePool::weigh(const std::vector<WorkloadShape>& mix, const std::vector<std::int64_t>& units) {
  double frag = 0;
  for (std::size_t m = 0; m < mix.size(); ++m) frag += mix[m].weight * static_cast<double>(units[m]);
  return frag;
}

double NodePool::fragmentation(const std::vector<WorkloadShape>& mix) const {
  std::vector<std::int64_t> units(mix.size(), 0);
  for (int s = 0; s < servers(); ++s) add_fragmented_units(s, mix, 1, &units);
  return weigh(mix, units);
}

}  // namespace suanwang::engine

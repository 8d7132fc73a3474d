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
}

int NodePool::fitting_gpus(int s, std::int64_t units) const {
  const std::int64_t* row = &left_[static_cast<std::size_t>(s) * stride_];
  int n = 0;
  for (int g = 0; g < gpus_[s]; ++g) n += row[g] >= units;
  return n;
}

bool NodePool::fits(int s, const NodeRequest& req) const {
  if (cpu_left_[s] < req.cpu_milli || mem_left_[s] < req.memory_B) return false;
  if (req.gpus == 0) return true;
  if (req.gpus > gpus_[s] || total_left_[s] < req.gpus * req.gpu_units) return false;
  return fitting_gpus(s, req.gpu_units) >= req.gpus;
}

void NodePool::allocate(const NodeRequest& req, const NodeAllocation& where) {
  for (const std::int32_t s : where.servers) {
    std::int64_t* row = &left_[static_cast<std::size_t>(s) * stride_];
    std::int64_t taken = 0;
    if (req.gang_servers > 0) {  // the whole server
      for (int g = 0; g < gpus_[s]; ++g) {
        taken += row[g];
        row[g] = 0;
      }
      cpu_left_[s] = 0;
      mem_left_[s] = 0;
    } else {
      for (int g = 0; g < gpus_[s]; ++g)
        if (where.gpu_mask >> g & 1) {
          row[g] -= req.gpu_units;
          taken += req.gpu_units;
        }
      cpu_left_[s] -= req.cpu_milli;
      mem_left_[s] -= req.memory_B;
    }
    total_left_[s] -= taken;
    free_units_ -= taken;
    ++occupants_[s];
  }
}

void NodePool::release(const NodeRequest& req, const NodeAllocation& where) {
  for (const std::int32_t s : where.servers) {
    std::int64_t* row = &left_[static_cast<std::size_t>(s) * stride_];
    std::int64_t given = 0;
    if (req.gang_servers > 0) {
      for (int g = 0; g < gpus_[s]; ++g) {
        given += slices_ - row[g];
        row[g] = slices_;
      }
      cpu_left_[s] = cpu_cap_[s];
      mem_left_[s] = mem_cap_[s];
    } else {
      for (int g = 0; g < gpus_[s]; ++g)
        if (where.gpu_mask >> g & 1) {
          row[g] += req.gpu_units;
          given += req.gpu_units;
        }
      cpu_left_[s] += req.cpu_milli;
      mem_left_[s] += req.memory_B;
    }
    total_left_[s] += given;
    free_units_ += given;
    --occupants_[s];
  }
}

double NodePool::fragmentation(const std::int64_t* gpu_left, int gpus, std::int64_t cpu_left,
                               const std::vector<WorkloadShape>& mix) const {
  std::int64_t total = 0;
  for (int g = 0; g < gpus; ++g) total += gpu_left[g];
  double frag = 0;
  for (const WorkloadShape& m : mix) {
    double f = static_cast<double>(total);  // m cannot use this server: all of it is lost to m
    if (m.gpus > 0 && cpu_left >= m.cpu_milli) {
      int fitting = 0;
      std::int64_t small = 0;  // free units on accelerators too small for m
      for (int g = 0; g < gpus; ++g) {
        if (gpu_left[g] >= m.gpu_units) ++fitting;
        else small += gpu_left[g];
      }
      if (fitting >= m.gpus) f = static_cast<double>(small);
    }
    frag += m.weight * f;
  }
  return frag;
}

double NodePool::fragmentation(int s, const std::vector<WorkloadShape>& mix) const {
  return fragmentation(&left_[static_cast<std::size_t>(s) * stride_], gpus_[s], cpu_left_[s], mix);
}

double NodePool::fragmentation(const std::vector<WorkloadShape>& mix) const {
  double sum = 0;
  for (int s = 0; s < servers(); ++s) sum += fragmentation(s, mix);
  return sum;
}

}  // namespace suanwang::engine

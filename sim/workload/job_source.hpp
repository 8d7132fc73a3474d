// JobSource: the workload as a stream of Jobs in submit-time order.
//
// Generators and traces are merged lazily (a k-way merge on next submit
// time), so memory is O(number of entries), never O(jobs): a trace is read
// line by line as the simulation reaches it. Job ids are assigned 1, 2, 3...
// in the merged order; ties in submit time are broken by entry order, so the
// stream is a pure function of the spec, the topology and the seed.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

#include "sim/core/job.hpp"
#include "sim/workload/workload_spec.hpp"
#include "sim/topology/topology.hpp"

namespace suanwang {

class JobSource {
 public:
  virtual ~JobSource() = default;
  // Next job with submit_s >= the previous one's, or nullopt when exhausted
  // or past the horizon. May throw UserError (bad trace line: file and line).
  virtual std::optional<Job> next() = 0;
};

// horizon_s: no job is produced with submit_s >= horizon_s.
std::unique_ptr<JobSource> make_job_source(const WorkloadSpec& spec, const topo::Topology& topo,
                                           std::uint64_t seed, double horizon_s);

}  // namespace suanwang

// GeneratorSource: synthetic arrivals of one GeneratorSpec.
//
// Non-homogeneous Poisson process by thinning (Lewis & Shedler 1979):
// candidate gaps are exponential at rate_per_s * profile.max_multiplier();
// a candidate at t is accepted with probability multiplier(t) / max. Per
// accepted job the draws are, in order: origin (unless pinned), gpus, cpu,
// memory, duration, dataset_B (or its catalog dataset), result_B, all from
// the generator's own Rng
// (streams.hpp), so the stream is a pure function of (spec, topology, seed,
// generator index). gpus samples below 1 are vGPU shares and kept as they
// are; samples >= 1 are rounded to whole chips. Arrivals lie in
// [start_s, stop_s] and before the horizon; at most max_jobs are produced.
// Jobs come out with id 0: the merge (job_source.cpp) numbers them.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "sim/workload/job_source.hpp"
#include "sim/workload/streams.hpp"

namespace suanwang {

class GeneratorSource final : public JobSource {
 public:
  // index: position in WorkloadSpec::generators (seed stream and error messages);
  // source: value written to Job::source.
  // catalog: the scenario's datasets (needed when spec.data is catalog).
  GeneratorSource(const GeneratorSpec& spec, const topo::Topology& topo,
                  const std::vector<DatasetSpec>& catalog, std::uint64_t seed, std::size_t index,
                  std::uint16_t source, double horizon_s);
  std::optional<Job> next() override;

 private:
  double sample_positive(const Distribution& d, const char* field, bool allow_zero);

  GeneratorSpec spec_;
  std::string who_;  // "generator 3"
  workload_detail::OriginSampler origins_;
  const std::vector<DatasetSpec>* catalog_;
  workload_detail::WeightedIndex datasets_;  // by popularity, when spec.data is catalog
  Rng rng_;
  std::uint16_t source_;
  double t_ = 0;           // time of the last candidate
  double end_ = 0;         // no arrival at or after this (exclusive) ...
  bool end_inclusive_ = false;  // ... or after it when stop_s bounds (inclusive)
  double candidate_rate_ = 0;
  double max_mult_ = 0;
  long long produced_ = 0;
  bool done_ = false;
};

}  // namespace suanwang

#include "sim/workload/generator_source.hpp"

#include <cmath>
#include <limits>

#include "sim/core/user_error.hpp"

namespace suanwang {

GeneratorSource::GeneratorSource(const GeneratorSpec& spec, const topo::Topology& topo,
                                 const std::vector<DatasetSpec>& catalog, std::uint64_t seed,
                                 std::size_t index, std::uint16_t source, double horizon_s)
    : spec_(spec),
      who_("generator " + std::to_string(index + 1)),
      origins_(topo, spec.origin, "generator " + std::to_string(index + 1)),
      catalog_(&catalog),
      rng_(workload_detail::stream_seed(seed, workload_detail::kGeneratorStream, index)),
      source_(source) {
  workload_detail::check_city(topo, spec.center, who_, "center");
  if (!std::isfinite(spec.rate_per_s) || spec.rate_per_s < 0)
    throw UserError("workload", who_, "rate_per_s must be a finite number >= 0");
  if (!(spec.walltime_factor >= 1) || !std::isfinite(spec.walltime_factor))
    throw UserError("workload", who_, "walltime_factor must be >= 1");
  if (!std::isfinite(spec.start_s))
    throw UserError("workload", who_, "start_s must be finite");
  if (spec.latency_bound_s < 0 || spec.checkpoint_interval_s < 0)
    throw UserError("workload", who_, "latency_bound_s and checkpoint_interval_s must be >= 0");
  if (spec.data == DataSource::catalog) {
    std::vector<double> weights;
    weights.reserve(catalog.size());
    for (const DatasetSpec& d : catalog) weights.push_back(d.weight);
    datasets_ = workload_detail::WeightedIndex(weights);
    if (datasets_.empty())
      throw UserError("workload", who_, "data = \"catalog\" needs datasets with a weight > 0");
  }
  if (!(spec.passes > 0) || !std::isfinite(spec.passes))
    throw UserError("workload", who_, "passes must be a finite number > 0");
  if (spec.span.enabled() && (spec.kind != JobKind::training || !(spec.span.iteration_s > 0) ||
                              !(spec.span.overlap >= 0 && spec.span.overlap <= 1)))
    throw UserError("workload", who_, "span needs kind training, iteration_s > 0 and 0 <= overlap <= 1");
  max_mult_ = spec.profile.max_multiplier();
  candidate_rate_ = spec.rate_per_s * max_mult_;
  t_ = spec.start_s;
  end_ = horizon_s;
  if (spec.stop_s >= 0 && spec.stop_s < horizon_s) {
    end_ = spec.stop_s;
    end_inclusive_ = true;
  }
  done_ = !(candidate_rate_ > 0) || !std::isfinite(candidate_rate_) || spec.max_jobs == 0;
}

double GeneratorSource::sample_positive(const Distribution& d, const char* field, bool allow_zero) {
  double x = d.sample(rng_);
  if (!std::isfinite(x) || x < 0 || (!allow_zero && x == 0))
    throw UserError("workload", who_,
                    std::string(field) + " drew " + std::to_string(x) +
                        (allow_zero ? " (expected a finite value >= 0)"
                                    : " (expected a finite value > 0)"));
  return x;
}

std::optional<Job> GeneratorSource::next() {
  if (done_) return std::nullopt;
  const double mean_gap = 1.0 / candidate_rate_;
  for (;;) {
    t_ += sample_exponential(rng_, mean_gap);
    bool past = end_inclusive_ ? (t_ > end_) : (t_ >= end_);
    if (past || !std::isfinite(t_)) {
      done_ = true;
      return std::nullopt;
    }
    // Flat profiles accept every candidate without spending a uniform.
    if (max_mult_ == 1.0 && spec_.profile.hourly.empty() && spec_.profile.daily.empty()) break;
    if (uniform01(rng_) * max_mult_ < spec_.profile.multiplier(t_)) break;
  }
  Job job;
  job.kind = spec_.kind;
  job.origin = origins_.draw(rng_);
  job.pinned_center = spec_.center;
  job.submit_s = t_;
  double g = sample_positive(spec_.gpus, "gpus", false);
  job.gpus = g < 1 ? g : std::round(g);
  job.cpu_cores = sample_positive(spec_.cpu_cores, "cpu", true);
  job.memory_B = sample_positive(spec_.memory_B, "memory", true);
  job.duration_s = sample_positive(spec_.duration_s, "duration", false);
  job.walltime_s = job.duration_s * spec_.walltime_factor;
  if (spec_.data == DataSource::catalog) {
    job.dataset = datasets_.draw(rng_);
    job.dataset_B = (*catalog_)[static_cast<std::size_t>(job.dataset)].size_B;
    job.stream = spec_.stream;
    job.stream_passes = spec_.passes;
  } else {
    job.dataset_B = sample_positive(spec_.dataset_B, "dataset", true);
  }
  job.result_B = sample_positive(spec_.result_B, "result", true);
  job.latency_bound_s = spec_.latency_bound_s;
  job.checkpoint_interval_s = spec_.checkpoint_interval_s;
  job.chip_requirement = spec_.chip_requirement;
  job.chip = spec_.chip;
  job.preemptible = spec_.preemptible;
  job.span = spec_.span;
  job.source = source_;
  if (spec_.max_jobs >= 0 && ++produced_ >= spec_.max_jobs) done_ = true;
  return job;
}

}  // namespace suanwang

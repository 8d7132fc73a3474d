// make_job_source: lazy k-way merge of the workload entries.
//
// Entry order is generators (in list order) then traces (in list order); it
// is also the value of Job::source. One look-ahead job is held per entry; the
// next job is the earliest look-ahead, ties broken by the lower entry index.
// Ids are 1, 2, 3... in merged order. The stream ends at the first job with
// submit_s >= horizon_s. A linear scan over the entries is used: k is small
// (a handful of entries), so a heap would not pay off. Services
// (WorkloadSpec::services) are not jobs of this stream; the engine runs them.
#include <limits>

#include "sim/core/user_error.hpp"
#include "sim/workload/generator_source.hpp"
#include "sim/workload/job_source.hpp"
#include "sim/workload/trace_readers.hpp"

namespace suanwang {
namespace {

class MergedSource final : public JobSource {
 public:
  MergedSource(std::vector<std::unique_ptr<JobSource>> entries, double horizon_s)
      : entries_(std::move(entries)), heads_(entries_.size()), primed_(entries_.size(), false),
        horizon_s_(horizon_s) {}

  std::optional<Job> next() override {
    if (done_) return std::nullopt;
    std::size_t best = entries_.size();
    for (std::size_t i = 0; i < entries_.size(); ++i) {
      if (!primed_[i]) {
        heads_[i] = entries_[i]->next();
        primed_[i] = true;
      }
      if (heads_[i] && (best == entries_.size() || heads_[i]->submit_s < heads_[best]->submit_s))
        best = i;
    }
    if (best == entries_.size() || !(heads_[best]->submit_s < horizon_s_)) {
      done_ = true;
      return std::nullopt;
    }
    Job job = std::move(*heads_[best]);
    heads_[best].reset();
    primed_[best] = false;
    job.id = ++last_id_;
    return job;
  }

 private:
  std::vector<std::unique_ptr<JobSource>> entries_;
  std::vector<std::optional<Job>> heads_;
  std::vector<bool> primed_;
  double horizon_s_;
  std::uint64_t last_id_ = 0;
  bool done_ = false;
};

}  // namespace

std::unique_ptr<JobSource> make_job_source(const WorkloadSpec& spec, const topo::Topology& topo,
                                           std::uint64_t seed, double horizon_s) {
  std::size_t total = spec.generators.size() + spec.traces.size();
  if (total > std::numeric_limits<std::uint16_t>::max())
    throw UserError("workload", "", "too many workload entries (expected at most 65535)");
  std::vector<std::unique_ptr<JobSource>> entries;
  entries.reserve(total);
  std::uint16_t source = 0;
  for (std::size_t i = 0; i < spec.generators.size(); ++i)
    entries.push_back(std::make_unique<GeneratorSource>(spec.generators[i], topo, spec.datasets, seed, i,
                                                        source++, horizon_s));
  for (std::size_t i = 0; i < spec.traces.size(); ++i)
    entries.push_back(make_trace_reader(spec.traces[i], topo, seed, i, source++));
  return std::make_unique<MergedSource>(std::move(entries), horizon_s);
}

}  // namespace suanwang

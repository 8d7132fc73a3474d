// PrefetchSource: a JobSource read ahead on its own thread.
//
// The job stream is a pure function of the scenario (job_source.hpp): it does
// not depend on the simulation, so it can be produced while the simulation
// runs. Drawing a job (its arrival by thinning, size, duration, dataset) is a
// few percent of the simulation's thread in a national run; here a worker
// draws it on another core, in blocks, and next() hands the jobs over in
// the same order, with the same ids and bits.
//
// Errors keep their place: when the inner source throws (a bad trace line),
// the jobs before it are still handed over and next() rethrows at the point
// of the stream where the inner source failed, as a direct read would; it
// keeps rethrowing after that. Memory is bounded: at most three blocks exist
// (the one being read, one ready, one being filled). The destructor stops
// the worker (it finishes the block in hand, at most `block` draws) and joins it.
//
// The inner source is touched only by the worker, so it must not share
// mutable state with the simulation (generators and trace readers read the
// spec and the topology, both const during a run).
#pragma once

#include <condition_variable>
#include <cstddef>
#include <exception>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "sim/workload/job_source.hpp"

namespace suanwang {

class PrefetchSource final : public JobSource {
 public:
  // `block`: jobs per hand-over (>= 1).
  PrefetchSource(std::unique_ptr<JobSource> inner, std::size_t block);
  ~PrefetchSource() override;
  PrefetchSource(const PrefetchSource&) = delete;
  PrefetchSource& operator=(const PrefetchSource&) = delete;

  std::optional<Job> next() override;

 private:
  // A run of the stream: its jobs, then (when last) the end or the error.
  struct Block {
    std::vector<Job> jobs;
    bool last = false;
    std::exception_ptr error;  // the inner source's, after jobs (last only)
  };
  void produce();

  std::unique_ptr<JobSource> inner_;
  const std::size_t block_;
  Block current_;        // the consumer's
  std::size_t pos_ = 0;  // next job of current_
  std::mutex mu_;
  std::condition_variable cv_;
  Block ready_;          // handed over, not yet taken (guarded by mu_)
  bool has_ready_ = false, quit_ = false;
  std::thread worker_;   // last: started once everything above exists
};

}  // namespace suanwang

// Arrivals: the job stream merged with the inference services' deployments,
// handed to the dispatcher one batch of simultaneous arrivals at a time
// (internal to the engine).
//
// One calendar event per distinct arrival time: the event admits every job
// and deployment due then, asks the policy about them as one batch, and
// schedules the next. Services come before jobs at equal times, in spec
// order. The source is read lazily, so memory does not grow with the jobs
// to come.
#pragma once

#include <memory>
#include <optional>
#include <utility>
#include <vector>

#include "sim/engine/engine_state.hpp"
#include "sim/workload/job_source.hpp"

namespace suanwang::engine {

class Arrivals {
 public:
  Arrivals(EngineState& st, std::unique_ptr<JobSource> source);
  // Reads the first job and schedules the first batch.
  void start();
  // The arrivals event: submits the batch due now, schedules the next.
  void on_event();

 private:
  double next_time() const;  // +inf when nothing is left
  EngineState& st_;
  std::unique_ptr<JobSource> source_;
  std::optional<Job> next_;
  std::vector<std::pair<Job, int>> services_;  // deployment job, service index; by time
  std::size_t next_service_ = 0;
  std::vector<Handle> batch_;
};

}  // namespace suanwang::engine

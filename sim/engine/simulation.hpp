// Simulation: one run of a scenario on SimGrid, start to horizon.
//
// Owns the s4u::Engine for its lifetime (SimGrid allows one engine per
// process: construct at most one Simulation per process, ever). There are no
// actors: every step runs in SimGrid's maestro, driven by the engine's own
// event calendar (calendar.hpp: arrivals, job ends, samples, ticks, failures,
// the latency phase of transfers) and by SimGrid's completion signal for the
// flows, the only activities SimGrid simulates (transfers.hpp). A job's
// compute is a timed interval on the calendar and its energy comes from the
// chips' busy/idle power (pool_power.hpp), so SimGrid's sharing model is
// used only where sharing is real: the network. Single-threaded throughout;
// memory follows the jobs in flight (the job slab, active_job.hpp), not the jobs simulated.
#pragma once

#include <memory>
#include <string>

#include "sim/policy/policy.hpp"
#include "sim/record/recorder.hpp"
#include "sim/scenario/scenario.hpp"
#include "sim/workload/job_source.hpp"

namespace suanwang {

struct SimulationOptions {
  bool quiet = false;  // no progress lines on stderr
};

// What the CLI prints after a run; the recorder has the full story.
struct RunTotals {
  std::uint64_t jobs_submitted = 0;
  std::uint64_t jobs_completed = 0;
  std::uint64_t jobs_failed = 0;
  std::uint64_t jobs_rejected = 0;
  std::uint64_t jobs_unfinished = 0;
  double wall_time_s = 0;
  double simulated_s = 0;
  double energy_J = 0, cost_CNY = 0, carbon_kg = 0, bytes_moved = 0;
  double busy_chip_seconds = 0, chip_seconds_available = 0;
};

// Runs the whole simulation. `info` (make_run_info: records index its
// network) is passed to recorder.begin_run. Throws UserError when the policy
// fails and the scenario asked to abort; the recorder's end_run is then not
// called (so no result file appears).
RunTotals run_simulation(const Scenario& scenario, Policy& policy, Recorder& recorder,
                         RunInfo info, const SimulationOptions& options = {});

// Same, with the jobs taken from `source` instead of the scenario's workload
// (tests and benchmarks feed exact job lists this way).
RunTotals run_simulation(const Scenario& scenario, Policy& policy, Recorder& recorder,
                         RunInfo info, const SimulationOptions& options,
                         std::unique_ptr<JobSource> source);

}  // namespace suanwang

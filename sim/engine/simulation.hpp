// Simulation: one run of a scenario on SimGrid, start to horizon.
//
// Owns the s4u::Engine for its lifetime (SimGrid allows one engine per
// process: construct at most one Simulation per process, ever). The actors:
//  - `arrivals`: pulls Jobs from the JobSource and hands each batch of
//    simultaneous arrivals to the Dispatcher at its submit time;
//  - one CenterAgent per computing center: receives placed jobs, moves their
//    datasets in (async comms over the chosen route variant), queues them per
//    pool (LocalQueue), runs them (async execs on the pool host), moves the
//    results back, and handles outages and link failures for its own
//    activities. Each waits on its activities with Activity::wait_any: a few
//    long-lived actors instead of one per job (SIMGRID-NOTES: 2x faster, and
//    memory follows the jobs in flight);
//  - `meter`: every sample interval flushes the energy plugin, prices and
//    records center, link and service samples;
//  - `failures`: scheduled and random link failures and center outages;
//  - `tick`: the policy's on_tick hook, when it has one.
// All actors live on the platform's control host: control messages cost no
// simulated time. Everything is single-threaded (SimGrid's cooperative
// actors), so the shared state below needs no locks.
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

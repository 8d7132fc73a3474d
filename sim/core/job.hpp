// Job: one unit of AI work, from arrival at its origin city to its end.
//
// A Job is plain data produced by the workload layer and never changed by it
// afterwards; the engine owns its runtime state separately. Units are SI:
// seconds, bytes, fractions of a chip. Invariants (checked by the workload
// layer, which rejects a violating trace line or generator with a UserError):
//   0 < gpus <= kMaxJobGpus; gpus <= 1 or gpus is a whole number (fractions are vGPU shares
//   and only make sense below one chip); duration_s > 0 (measured on the
//   scenario's reference chip); walltime_s >= duration_s; dataset_B,
//   result_B >= 0; latency_bound_s >= 0 (0 = no bound); span enabled only
//   for training, then iteration_s > 0 and 0 <= overlap <= 1.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "sim/core/span.hpp"

namespace suanwang {

// The most chips one job may ask for: the largest pool a topology may hold
// (topo::kMaxPoolChips, asserted equal there). A job beyond it could never
// run, and its chips x vGPU slices would overflow the engine's integers, so
// the workload layer refuses it where it enters (trace line, generator).
inline constexpr double kMaxJobGpus = 2'000'000;

enum class JobKind : std::uint8_t { training = 0, finetune = 1, inference = 2 };

// How a job ended. A job still queued or running at the horizon is
// `unfinished`, never silently dropped.
enum class JobStatus : std::uint8_t {
  completed = 0,
  failed = 1,      // gave up (reason says why: retries exhausted, no center can ever fit it...)
  rejected = 2,    // the policy rejected it (or returned nonsense and the scenario asked to go on)
  unfinished = 3,  // still waiting, moving or running when the simulated horizon came
};

// Chip constraint: which accelerators may run the job.
enum class ChipRequirement : std::uint8_t {
  any = 0,
  cuda = 1,      // only chips that run CUDA code (catalog column `cuda`)
  domestic = 2,  // only domestic chips (catalog family "domestic")
  specific = 3,  // exactly Job::chip
};

struct Job {
  std::uint64_t id = 0;          // unique within a run, assigned in arrival order from 1
  JobKind kind = JobKind::training;
  int origin = -1;               // city index in the Topology
  int pinned_center = -1;        // city index a trace pinned the job to, or -1
  double submit_s = 0;           // arrival time at the origin
  double gpus = 1;               // accelerators wanted; < 1 = vGPU share of one chip;
                                 // 0 = CPU only (runs only on pools made of servers)
  double cpu_cores = 0;          // host CPU cores wanted on its server, 0 = not modelled
  double memory_B = 0;           // host memory wanted on its server, 0 = not modelled
  double duration_s = 0;         // runtime on the reference chip; +inf: never ends
  double walltime_s = 0;         // user's estimate (EASY backfilling); >= duration_s
  double dataset_B = 0;          // input: moved origin -> center before the start, or the
                                 // size of its catalog dataset
  int dataset = -1;              // index of its dataset in the scenario's catalog
                                 // (WorkloadSpec::datasets), -1: its input comes from its origin
  bool stream = false;           // catalog data read while it runs instead of staged before
  double stream_passes = 1;      // streaming: times it reads its dataset (epochs), > 0
  double result_B = 0;           // output moved center -> origin after the end
  double latency_bound_s = 0;    // max one-way origin->center latency, 0 = none
  double checkpoint_interval_s = 0;  // 0 = no checkpoints: a kill loses all work
  bool preemptible = false;      // may run on chips an inference service lends, and be evicted
  ChipRequirement chip_requirement = ChipRequirement::any;
  std::string chip;              // chip id when chip_requirement == specific
  std::uint16_t source = 0;      // index of the workload entry that produced it
  SpanSpec span;                 // training that may span centers (sim/core/span.hpp); off by default
};

const char* to_string(JobKind kind);
const char* to_string(JobStatus status);
const char* to_string(ChipRequirement req);
// Each returns false when text is not one of the names to_string gives.
bool parse_job_kind(std::string_view text, JobKind* out);
bool parse_chip_requirement(std::string_view text, ChipRequirement* out);

}  // namespace suanwang

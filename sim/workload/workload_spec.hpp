// Workload specifications: what the scenario asks for, before any job exists.
//
// A scenario's `workload` list holds generators (synthetic arrivals), traces
// (replayed from a file) and services (long-running inference deployments).
// The scenario layer fills these from Lua; make_job_source() (job_source.hpp)
// turns them into a stream of Jobs. All values SI; city fields are indices
// into the Topology (-1 = not pinned).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "sim/core/job.hpp"
#include "sim/core/units.hpp"
#include "sim/workload/distribution.hpp"

namespace suanwang {

// Arrival-rate modulation: rate(t) = rate * hourly[hour of day] * daily[day of week].
// Empty vectors mean flat. hourly has 24 entries, daily 7; both have mean ~1 by
// convention (not enforced: a researcher may scale on purpose).
struct RateProfile {
  std::vector<double> hourly;
  std::vector<double> daily;
  double multiplier(double t_s) const;
  double max_multiplier() const;
  double mean_multiplier() const;  // over a week: the hourly mean times the daily mean
};

// A named dataset of the scenario's catalog: jobs that draw it read it from
// one of its homes (storage sites, Scenario::storage) or from a center's
// cache holding a copy.
struct DatasetSpec {
  std::string name;
  double size_B = 0;                 // > 0
  double weight = 1;                 // popularity: jobs draw datasets in proportion (> 0)
  std::vector<int> homes;            // storage site indices (StorageSpec::sites), at least one
};

// Where a generator's jobs get their input.
enum class DataSource : std::uint8_t {
  origin,   // `dataset` bytes from the job's origin city, staged (no catalog)
  catalog,  // a dataset of the catalog drawn by popularity
};

struct GeneratorSpec {
  JobKind kind = JobKind::training;
  double rate_per_s = 0;             // mean arrival rate before the profile
  RateProfile profile;
  Distribution gpus = Distribution::constant_of(1);
  Distribution cpu_cores = Distribution::constant_of(0);   // per job, on its server(s)
  Distribution memory_B = Distribution::constant_of(0);
  Distribution duration_s = Distribution::constant_of(units::kSecondsPerHour);
  double walltime_factor = 1.0;      // walltime = duration * factor (>= 1)
  Distribution dataset_B = Distribution::constant_of(0);
  Distribution result_B = Distribution::constant_of(0);
  int origin = -1;                   // -1: drawn by the topology's demand weights
  int center = -1;                   // pin to a center, -1: the policy decides
  double latency_bound_s = 0;
  double checkpoint_interval_s = 0;
  ChipRequirement chip_requirement = ChipRequirement::any;
  std::string chip;
  double start_s = 0;                // first arrival not before this
  double stop_s = -1;                // no arrival after this; -1: scenario horizon
  long long max_jobs = -1;           // -1: unlimited
  bool preemptible = false;          // its jobs may ride on chips services lend
  DataSource data = DataSource::origin;
  bool stream = false;               // catalog data: read while running (else staged first)
  double passes = 1;                 // streaming: reads of the dataset per run (epochs)
  SpanSpec span;                     // training only: its jobs may span centers (sim/core/span.hpp)
};

enum class TraceFormat : std::uint8_t { swf, philly, alibaba };

struct TraceSpec {
  std::string path;                  // resolved, absolute or relative to cwd
  TraceFormat format = TraceFormat::swf;
  JobKind kind = JobKind::training;  // alibaba: inference when gpu share < 1
  int center = -1;                   // pin every job to this center, -1: policy decides
  int origin = -1;                   // -1: origins drawn by demand weights
  double time_scale = 1.0;           // multiply inter-arrival times (load knob)
  double start_s = 0;                // offset added to trace-relative submit times
  long long max_jobs = -1;
  double procs_per_gpu = 1;          // swf: processors per accelerator
  Distribution dataset_B = Distribution::constant_of(0);
  Distribution result_B = Distribution::constant_of(0);
  double walltime_factor = 1.0;      // when the trace has no estimate
  double default_duration_s = units::kSecondsPerHour;  // alibaba pods that never ended
  double checkpoint_interval_s = 0;
  bool keep_cpu_only = false;        // alibaba: keep pods with no GPU (they need servers)
  // Replays in list order (trace_readers.hpp says what each does):
  double interval_s = 0;             // > 0: one job every interval_s, the trace's times ignored
  double duration_s = 0;             // > 0: every job runs this long; +inf: never ends; 0: the trace's
  bool shuffle = false;              // alibaba: pods in name order, then shuffled with the seed
  double tune_to = 0;                // alibaba, > 0: GPU demand tuned to this share of the center's GPUs
};

// A long-running inference deployment: a request-rate curve from many origins,
// served by `chips` accelerators at one center (or placed by the policy).
struct ServiceSpec {
  std::string name;
  double peak_rate_per_s = 0;        // requests/s at profile multiplier 1
  RateProfile profile;               // usually diurnal
  double service_time_s = 0.05;      // per request on the reference chip
  double chips = 1;                  // accelerators reserved (may be fractional)
  int center = -1;                   // -1: placed by the policy as an inference job
  std::vector<double> origin_weights;// per city; empty = topology demand weights
  double slo_s = 0.2;                // end-to-end latency objective
  double start_s = 0, stop_s = -1;
  // Online/offline colocation: the service keeps the chips its load needs
  // (the fewest servers whose share of requests within the SLO is at least
  // slo_target over the next lend_interval, plus headroom, a fraction) and
  // lends the rest to preemptible jobs, evicting them when its load rises.
  bool lend = false;
  double slo_target = 0.99;
  double lend_interval_s = 900;
  double headroom = 0;
  ChipRequirement chip_requirement = ChipRequirement::any;
  std::string chip;
};

struct WorkloadSpec {
  std::vector<DatasetSpec> datasets;  // the catalog (generators with data = "catalog")
  std::vector<GeneratorSpec> generators;
  std::vector<TraceSpec> traces;
  std::vector<ServiceSpec> services;
};

}  // namespace suanwang

// Hdf5Recorder: writes runs to an HDF5 file (the public output format).
//
// Safety: everything is written to "<target>.tmp-<pid>" beside the target;
// commit() closes the file and renames it onto the target (atomically
// replacing it with force). Destroying the recorder without commit() deletes
// the temporary file, so a crashed or failed run never leaves a half-written
// target. A target that exists without force is a UserError from the
// constructor.
//
// Several runs may be recorded into one file (begin_run ... end_run, again
// and again; sweeps do this). Memory stays bounded: job rows and samples are
// buffered up to chunk_rows rows and then appended to extendible datasets;
// only the summary's wait vector grows with the run (see summary.hpp).
//
// Layout (format_version 1.0, a public contract):
//   /                     attrs suanwang_version, git_revision, format_version "1.0",
//                         created (ISO 8601 UTC)
//   /runs/<run_id>        attrs scenario_name, scenario_file, scenario_text, policy_name,
//                         policy_text, seed (u64), duration_s, sample_interval_s,
//                         git_revision, suanwang_version, wall_time_s, simulated_s,
//                         chip_seconds_available, busy_chip_seconds, status,
//                         param.<key> (str) per RunInfo.parameters,
//                         sweep.<axis> (str) per RunInfo.sweep_point
//   /runs/<id>/jobs       compound table, one row per job (see hdf5_recorder.cpp)
//   /runs/<id>/centers/<city>   time_s, busy_chips, queue_length, running_jobs,
//                         power_W, energy_J, up
//   /runs/<id>/links/     time_s (n), utilization, bytes (n x links, f64),
//                         up (n x links, u8), names (links, str)
//   /runs/<id>/services/<name>  time_s, request_rate_per_s, p50_latency_s,
//                         p95_latency_s, p99_latency_s, slo_violation_fraction,
//                         utilization
//   /runs/<id>/summary    group; its attributes are the RunSummary fields
//   /runs/<id>/center_totals  center, energy_J, it_energy_J, cost_CNY, carbon_kg,
//                         busy_chip_seconds, jobs_completed
// Every dataset carries string attributes `description` and `units`; a
// compound table's `units` is a comma-separated list in field order, and each
// field also has `units.<field>`.
//
// Strings: attributes are scalar variable-length UTF-8 (h5py returns str).
// In compound tables, names from closed sets (kind, status, city, pool, chip,
// center) are fixed-length NULL-padded UTF-8 sized from the RunInfo (they
// compress well: a 10-million-row table stays small); the free-text `reason`
// is fixed-length too, 256 bytes (longer texts end in "..."), so that merging
// runs copies compressed chunks as they are. h5py returns compound string
// fields as bytes: pandas.DataFrame(f["runs/<id>/jobs"][:]) then
// df[col].str.decode("utf-8"). 1-D string datasets (links/names) are
// variable-length UTF-8: f[...].asstr()[:] gives str.
#pragma once

#include <cstddef>
#include <memory>
#include <string>

#include "sim/record/recorder.hpp"
#include "sim/record/summary.hpp"

namespace suanwang {

struct Hdf5Options {
  bool force = false;            // replace an existing target at commit()
  int compression = 4;           // deflate level 0..9; 0 = none
  std::size_t chunk_rows = 4096; // rows per chunk and per appended block
};

class Hdf5Recorder : public Recorder {
 public:
  // Throws UserError when the target exists (and !force) or its directory
  // does not exist; std::runtime_error when the file cannot be created.
  explicit Hdf5Recorder(std::string target_path, Hdf5Options options = {});
  ~Hdf5Recorder() override;
  Hdf5Recorder(const Hdf5Recorder&) = delete;
  Hdf5Recorder& operator=(const Hdf5Recorder&) = delete;

  void begin_run(const RunInfo& info) override;
  void job(const JobRecord& row) override;
  void center_sample(const CenterSample& s) override;
  void link_sample(const LinkSample& s) override;
  void service_sample(const ServiceSample& s) override;
  void end_run(const RunEnd& end) override;

  // Closes the file and renames the temporary onto the target. Throws
  // std::logic_error while a run is open (begin_run without end_run).
  void commit();

  // Summary of the last run ended (zeros before the first end_run).
  const RunSummary& summary() const;
  const std::string& target_path() const;
  const std::string& temp_path() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace suanwang

// Internal to sim/record: the parts of a result file that more than one
// writer produces (Hdf5Recorder, write_failed_run, create_result_file),
// following run_format.hpp. Not part of the public API.
#pragma once

#include <string>

#include "sim/record/h5util.hpp"
#include "sim/record/recorder.hpp"
#include "sim/record/summary.hpp"

namespace suanwang::run_writer {

// suanwang_version, git_revision, format_version, created.
void write_root_attributes(hid_t file);

// Creates /runs/<info.run_id> below `runs` (the /runs group) with the run's
// attributes: scenario, policy, seed, horizon, sample interval, build,
// status, param.<key>, sweep.<axis>. The one writer of these attributes, for
// real runs (status "running" until end_run) and failed points alike.
// std::logic_error when the run id cannot be an HDF5 name.
h5::Hid create_run_group(hid_t runs, const RunInfo& info, const std::string& status);

// /runs/<id>/network: cities, pools, links tables (run_format.hpp).
void write_network(hid_t run, const NetworkInfo& network);

// /runs/<id>/summary: the RunSummary as attributes, and its description.
void write_summary(hid_t run, const RunSummary& summary);

// Throws std::logic_error when `name` cannot be an HDF5 name (empty, "." or
// containing '/'); `what` says what it names.
void check_name(const std::string& name, const std::string& what);

}  // namespace suanwang::run_writer

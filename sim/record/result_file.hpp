// Whole-file operations on result files (run_format.hpp), shared by
// `suanwang run`, the sweep runner and `suanwang merge`: creating an empty
// result file, recording a run that never started (a failed sweep point),
// copying runs between files, probing a run's status, and writing/reading a
// sweep's /sweep and /sweep_summary. The sweep layer uses these and
// Hdf5Reader, nothing below them.
//
// Errors: UserError naming the file when it cannot be opened, read or
// written (HDF5's cause in one line: "No space left on device") or a run is
// missing or already present.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "sim/record/recorder.hpp"
#include "sim/record/run_format.hpp"

namespace suanwang {

class PendingFile;

// Makes the finished, closed temporary of `pending` the result: checks the
// target again (it may have appeared while the file was written; the rules
// of PendingFile::check_target), seals the file (result_seal.hpp) and
// renames it onto the target. Every result file becomes visible this way.
void commit_result_file(PendingFile& pending, bool force);

// Refuses (UserError naming `target`) when the folder of `target` has less
// free space than the files `sources` take, plus 10% and 256 kB: HDF5 1.10
// crashes (SIGSEGV inside H5Ocopy) when the disk fills during a copy, so
// merge and a sweep's gather check before copying. (Another process may still
// fill the disk meanwhile; writing a run's own tables fails cleanly.)
void check_room_for_copies(const std::string& target, const std::vector<std::string>& sources);

// Creates a new HDF5 file at `path` (failing if it exists) with the root
// attributes of the format and an empty /runs. For a PendingFile's path().
void create_result_file(const std::string& path);

// Records a run that did not produce results (a failed sweep point) into the
// existing result file `path`: /runs/<info.run_id> with every attribute a real
// run has at its start (the same writer as Hdf5Recorder::begin_run) and
// status `status` ("failed: ..."), and no tables.
void write_failed_run(const std::string& path, const RunInfo& info, const std::string& status);

// Copies /runs/<run_id> of src_path into dst_path with H5Ocopy (compressed
// chunks as they are). dst_path is created, with the root attributes of src,
// when it does not exist. UserError when the run is missing in src or
// present in dst.
void copy_run(const std::string& src_path, const std::string& run_id, const std::string& dst_path);

// Status attribute of /runs/<id> in `path`; "" when the file cannot be read,
// its seal does not match (result_seal.hpp) or it has no such run (never
// throws: used to probe point files, a damaged one is run again).
std::string run_status(const std::string& path, const std::string& run_id);

// What /sweep says about a sweep (its counts are written from the rows).
struct SweepInfo {
  std::string scenario_name;
  std::string scenario_file;
  std::string fingerprint;                          // see sweep_plan.hpp
  std::vector<std::string> axes;                    // keys, plan order
  std::map<std::string, std::string> axis_values;   // key -> "a,b,c"
  int replications = 1;
  std::uint64_t base_seed = 0;
  std::uint64_t points_total = 0;                   // of the whole plan
  std::string shard = "1/1";                        // "I/N", or "merged"
};

// One row of /sweep_summary: a point-group (same axis values across
// replications) and, per run_format::kSweepMetrics, the mean over its
// completed points and the 95% confidence half-width.
struct SweepSummaryRow {
  std::uint64_t group = 0;
  std::vector<std::string> axis_values;   // SweepInfo.axes order
  std::uint64_t runs = 0, completed = 0, failed = 0;
  double mean[run_format::kNumSweepMetrics] = {};
  double ci95[run_format::kNumSweepMetrics] = {};
};

// Writes /sweep (points_in_file, points_completed and points_failed summed
// over `rows`) and /sweep_summary into `path`, replacing earlier ones.
void write_sweep(const std::string& path, const SweepInfo& info,
                 const std::vector<SweepSummaryRow>& rows);

// Whether `path` has a /sweep group; read_sweep_info throws UserError when not.
bool has_sweep(const std::string& path);
SweepInfo read_sweep_info(const std::string& path);

}  // namespace suanwang

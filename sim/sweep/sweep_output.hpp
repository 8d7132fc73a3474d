// The sweep's result file: gathering point files, failed points, and the
// cross-point summary. Used by `suanwang sweep` and `suanwang merge`.
//
// Layout added to the recorder's (see sim/record/hdf5_recorder.hpp):
//   /runs/<point id>      one run per point, copied from the point's own file
//                         (H5Ocopy); a failed point is a group with only
//                         attributes: scenario_name, scenario_file,
//                         scenario_text, seed, status "failed: <why>",
//                         sweep.<axis> (str), and no tables.
//   /sweep                group; attrs scenario_name, scenario_file,
//                         fingerprint (16 hex digits, see sweep_plan.hpp),
//                         axes (str array, axis keys in plan order),
//                         axis.<key> (the axis' values joined with ','),
//                         replications, base_seed, points_total (whole plan),
//                         points_in_file, points_completed, points_failed,
//                         shard ("I/N", or "merged" for `suanwang merge`)
//   /sweep_summary        compound table, one row per point-group (the same
//                         axis values across replications), in plan order:
//                         group (u64), one vlen string field per axis key,
//                         runs, completed, failed (u64), then for each metric
//                         M of kSummaryMetrics: M_mean and M_ci95 (f64): the
//                         mean over the group's completed replications and the
//                         95% confidence half-width (Student t, n-1 dof; 0
//                         when n <= 1). Attrs description, units (csv),
//                         units.<field>.
#pragma once

#include <cstdint>
#include <cstdio>
#include <map>
#include <string>
#include <vector>

#include "sim/sweep/sweep_plan.hpp"

namespace suanwang::sweep {

struct SummaryMetric {
  const char* name;   // attribute of /runs/<id>/summary
  const char* units;
};
inline constexpr SummaryMetric kSummaryMetrics[] = {
    {"mean_wait_s", "s"}, {"p95_wait_s", "s"}, {"mean_jct_s", "s"},  {"utilization", "1"},
    {"energy_J", "J"},    {"cost_CNY", "CNY"}, {"carbon_kg", "kg"}, {"jobs_completed", "jobs"},
};
inline constexpr std::size_t kNumMetrics = sizeof(kSummaryMetrics) / sizeof(kSummaryMetrics[0]);

// What /sweep says about the sweep.
struct SweepMeta {
  std::string scenario_name;
  std::string scenario_file;
  std::string fingerprint;
  std::vector<std::string> axes;                       // keys, plan order
  std::map<std::string, std::string> axis_values;      // key -> "a,b,c"
  int replications = 1;
  std::uint64_t base_seed = 0;
  std::uint64_t points_total = 0;
  std::string shard = "1/1";
};

SweepMeta make_meta(const Scenario& sc, const SweepPlan& plan, const std::string& fingerprint,
                    const Shard& shard);

// Whether `path` has a /sweep group; read_meta throws UserError when not.
bool has_sweep_meta(const std::string& path);
SweepMeta read_meta(const std::string& path);

// Creates a new HDF5 file (failing if it exists) with the root attributes of
// the format (suanwang_version, git_revision, format_version, created) and
// an empty /runs.
void create_result_file(const std::string& path);

// A result file being assembled: "<target>.tmp-<pid>", created empty by the
// constructor (create_result_file), removed by the destructor unless
// commit() renamed it onto the target. So a failed merge or sweep never
// leaves anything that looks like a result.
class PendingResult {
 public:
  explicit PendingResult(std::string target);
  ~PendingResult();
  PendingResult(const PendingResult&) = delete;
  PendingResult& operator=(const PendingResult&) = delete;
  const std::string& path() const { return tmp_; }
  void commit();  // rename onto the target; throws std::runtime_error on failure

 private:
  std::string target_, tmp_;
  bool committed_ = false;
};

// Records a point that did not complete, as an attributes-only run group.
struct FailedPoint {
  std::string id;
  std::string status;          // "failed: ..."
  std::uint64_t seed = 0;
  std::vector<Override> settings;
};
void write_failed_run(const std::string& path, const Scenario& sc, const FailedPoint& p);

struct GroupStats {
  std::size_t group = 0;
  std::vector<std::string> axis_values;   // same order as SweepMeta.axes
  std::vector<std::string> run_ids;
  std::size_t completed = 0, failed = 0;
  MeanCi metrics[kNumMetrics];
};
struct SweepTotals {
  std::size_t runs = 0, completed = 0, failed = 0;
  std::vector<GroupStats> groups;
};

// Reads every run of `path`, groups them by their sweep.<axis> attributes
// (groups in order of their first run id; ids sort in plan order), computes
// the statistics and writes /sweep and /sweep_summary (replacing them).
SweepTotals write_sweep_summary(const std::string& path, const SweepMeta& meta);

// The summary as a table for people ("mean ± ci95").
void print_summary_table(std::FILE* out, const SweepMeta& meta, const SweepTotals& totals);

// Status attribute of /runs/<id> in `path`; "" when the file cannot be read
// or has no such run (never throws: used to probe point files).
std::string run_status(const std::string& path, const std::string& run_id);

}  // namespace suanwang::sweep

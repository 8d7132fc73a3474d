// The sweep's result file: what goes into /sweep and /sweep_summary, and the
// summary table people read. Used by `suanwang sweep` and `suanwang merge`.
//
// The layout (runs copied from point files, failed points as attribute-only
// runs, /sweep, /sweep_summary) belongs to sim/record (run_format.hpp,
// result_file.hpp); this file only computes its content: the point-groups
// (same axis values across replications) and, for each metric of
// run_format::kSweepMetrics, the mean over the group's completed
// replications and the 95% confidence half-width (Student t, n-1 dof; 0 when
// n <= 1).
#pragma once

#include <cstddef>
#include <cstdio>
#include <string>
#include <vector>

#include "sim/record/result_file.hpp"
#include "sim/scenario/scenario.hpp"
#include "sim/sweep/sweep_plan.hpp"

namespace suanwang::sweep {

// What /sweep says about this sweep (shard "I/N").
SweepInfo make_sweep_info(const Scenario& sc, const SweepPlan& plan, const std::string& fingerprint,
                          const Shard& shard);

struct SweepTotals {
  std::size_t runs = 0, completed = 0, failed = 0;
  std::vector<SweepSummaryRow> groups;   // in order of their first run id
};

// Reads every run of `path`, groups them by their sweep.<axis> attributes
// (groups in order of their first run id; ids sort in plan order), computes
// the statistics and writes /sweep and /sweep_summary (replacing them).
SweepTotals write_sweep_summary(const std::string& path, const SweepInfo& info);

// The summary as a table for people ("mean ± ci95").
void print_summary_table(std::FILE* out, const SweepInfo& info, const SweepTotals& totals);

}  // namespace suanwang::sweep

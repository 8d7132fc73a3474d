// SweepRunner: runs the points of a sweep in worker processes and gathers
// them into one HDF5 file.
//
// Why processes: SimGrid allows one engine per process, so each point is a
// child `suanwang run FILE --set ... --sweep-point k=v ... --run-id <id>
// -o <output>.parts/<id>.h5 --force --quiet` (the same binary, /proc/self/exe).
// A TBB arena of N threads (-j N) drives them: each thread takes the next
// point in plan order, forks/execs the child and blocks in waitpid. The
// child runs in its own process group (killed as a whole on timeout) and
// gets SIGKILL when the parent dies (PR_SET_PDEATHSIG), so no orphan keeps
// running after Ctrl-C, scancel or a crash.
//
// Crash safety: a point's file appears in <output>.parts/ only when the child
// committed it (the recorder writes a PendingFile and renames it), so each
// finished point is persisted as soon as it completes. The output itself is
// written at the end into a PendingFile - every point's run copied in plan
// order (so -j1 and -jN give the same file apart from wall times), failed
// points as attribute-only runs whose attributes come from the point's own
// scenario (make_run_info), /sweep and /sweep_summary - and
// renamed onto <output>; only then is the parts folder deleted. With
// --resume, completed runs of an existing output and completed point files
// in the parts folder are kept and not run again; failed points are retried.
// A lock file in the parts folder stops two sweeps writing the same output.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "sim/scenario/scenario.hpp"
#include "sim/sweep/sweep_output.hpp"
#include "sim/sweep/sweep_plan.hpp"

namespace suanwang::sweep {

struct SweepOptions {
  std::string scenario_file;          // as given on the command line (children get it)
  std::vector<Override> sets;         // --set overrides, passed to every point
  std::string output;                 // result file
  int jobs = 0;                       // worker processes; 0: CPUs available
  bool resume = false;
  bool force = false;
  Shard shard;
  double point_timeout_s = 0;         // 0: none
  std::string executable;             // "": /proc/self/exe
  bool progress = true;               // progress on stderr
  std::vector<std::string> worker_args;  // extra options for every worker (--max-memory)
};

struct SweepOutcome {
  SweepInfo meta;
  SweepTotals totals;
  std::size_t ran = 0;       // points run now
  std::size_t reused = 0;    // points kept from a previous attempt (--resume)
  double wall_s = 0;
};

// CPUs this process may run on (sched_getaffinity), at least 1.
int available_cpus();

// Runs the points of `plan` selected by opts.shard. Throws UserError for an
// existing output (without --force/--resume), a leftover parts folder
// without --resume/--force, a parts folder or output of a different sweep,
// or a concurrent sweep on the same output.
SweepOutcome run_sweep(const Scenario& sc, const SweepPlan& plan, const SweepOptions& opts);

}  // namespace suanwang::sweep

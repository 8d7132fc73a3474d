// SweepPlan: the points of a parameter sweep, in a fixed order.
//
// Points are the cartesian product of the scenario's sweep axes (in the order
// Scenario.sweep lists them; the LAST axis varies fastest) times the
// replications (innermost). Point k is group k / replications, replication
// k % replications. Its id is "p" + k zero-padded to at least 4 digits
// ("p0007"), so ids sort like indices.
//
// Replication r runs with seed = scenario seed + r. When replications > 1 the
// seed is one more sweep key of the point (an override `seed=N`, recorded as
// the run attribute sweep.seed); with one replication it is not.
//
// Sharding (`--shard I/N`, I 1-based): shard I runs the points whose index k
// satisfies k % N == I - 1, so shards are balanced and interleaved.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "sim/scenario/scenario.hpp"

namespace suanwang::sweep {

struct SweepPoint {
  std::size_t index = 0;         // position in the plan
  std::string id;                // "p0007"
  std::size_t group = 0;         // index of the axis-value combination
  int replication = 0;           // 0-based
  std::vector<Override> settings;  // axis key=value in axis order, then seed=N (reps > 1)
};

struct SweepPlan {
  std::vector<SweepAxis> axes;
  int replications = 1;
  std::uint64_t base_seed = 1;
  std::size_t groups = 1;
  std::vector<SweepPoint> points;
};

// Throws UserError when replications < 1, an axis has no values, or an axis
// is `seed` while replications > 1 (the two would fight over the seed).
SweepPlan make_plan(const std::vector<SweepAxis>& axes, int replications, std::uint64_t seed);
SweepPlan make_plan(const Scenario& sc);

// "key=value key=value" (settings of a point, space-separated).
std::string describe_point(const SweepPoint& p);

struct Shard {
  int index = 1;   // 1-based
  int count = 1;
  bool all() const { return count == 1; }
};

// "I/N" with 1 <= I <= N; UserError naming `option` otherwise.
Shard parse_shard(const std::string& option, const std::string& text);

// The shard of a Slurm array task, or nullopt outside an array job.
// SLURM_ARRAY_TASK_ID is the index exactly as written in `sbatch --array`,
// so it is 0-based for --array=0-(N-1) and 1-based for --array=1-N. We
// normalise with SLURM_ARRAY_TASK_MIN (and _STEP): I = (ID - MIN) / STEP + 1,
// N = SLURM_ARRAY_TASK_COUNT; both conventions therefore work. Without
// SLURM_ARRAY_TASK_MIN the ID is taken as 0-based. `getenv` is injectable
// for tests. Throws UserError when the variables are inconsistent.
using GetEnv = std::function<const char*(const char*)>;
std::optional<Shard> shard_from_slurm(const GetEnv& getenv_fn);

// Indices of the plan's points that belong to the shard, ascending.
std::vector<std::size_t> shard_points(const SweepPlan& plan, const Shard& shard);

// 16 hex digits identifying the sweep: scenario text, command-line --set
// overrides, axes and replications. Shards of one sweep share it; `merge`
// refuses files whose fingerprints differ.
std::string fingerprint(const std::string& scenario_text, const std::vector<Override>& sets,
                        const SweepPlan& plan);

// Student t quantile t_{0.975, dof} (two-sided 95%), dof >= 1.
double student_t975(int dof);

// Mean and 95% confidence half-width (Student t, n-1 dof; 0 for n <= 1).
struct MeanCi {
  double mean = 0;
  double ci95 = 0;
  std::size_t n = 0;
};
MeanCi mean_ci95(const std::vector<double>& values);

}  // namespace suanwang::sweep

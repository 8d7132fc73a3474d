// `suanwang sweep`: runs a scenario's parameter sweep (see sim/sweep/).
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "sim/cli/args.hpp"
#include "sim/cli/commands.hpp"
#include "sim/cli/guards.hpp"
#include "sim/core/user_error.hpp"
#include "sim/scenario/scenario.hpp"
#include "sim/sweep/sweep_plan.hpp"
#include "sim/sweep/sweep_runner.hpp"

namespace suanwang::cli {

namespace {

constexpr const char* kSweepUsage =
    "usage: suanwang sweep FILE.lua [options]\n"
    "  -j, --jobs N           worker processes (default: the CPUs available)\n"
    "  --list                 print the points (id and key=value) and exit\n"
    "  --resume               keep completed points of an earlier, interrupted or partly\n"
    "                         failed sweep into the same output; run only the others\n"
    "  --shard I/N            run only points with index % N == I-1 (I is 1-based). Default\n"
    "                         inside a Slurm array job: from SLURM_ARRAY_TASK_ID, normalised\n"
    "                         with SLURM_ARRAY_TASK_MIN, so --array=0-(N-1) and --array=1-N\n"
    "                         both work, and N = SLURM_ARRAY_TASK_COUNT\n"
    "  --no-shard             ignore the Slurm array variables\n"
    "  -o, --output FILE.h5   result file (default: the scenario's `output`)\n"
    "  --force                overwrite an existing result file\n"
    "  --point-timeout S      kill a point after S seconds and record it failed\n"
    "  --set KEY=VALUE        override a scenario value for every point\n"
    "  --quiet                no progress on stderr\n"
    "Exit code 0 when every point completed, 1 when some failed, 2 on bad input.\n";

struct SweepArgs {
  std::string file;
  std::vector<Override> sets;
  std::string output;
  int jobs = 0;
  bool list = false, resume = false, force = false, quiet = false, no_shard = false;
  bool shard_given = false;
  sweep::Shard shard;
  double timeout_s = 0;
  Guards guards;
};

SweepArgs parse(int argc, char** argv) {
  SweepArgs a;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--help" || arg == "-h") {
      std::fputs(kSweepUsage, stdout);
      std::fputs(kGuardUsage, stdout);
      std::fputs("  (--max-wall limits the whole sweep; each worker gets the same --max-memory)\n", stdout);
      std::exit(kExitOk);
    } else if (parse_guard(argc, argv, i, a.guards)) {
    } else if (arg == "-j" || arg == "--jobs" || (arg.rfind("-j", 0) == 0 && arg.size() > 2)) {
      const std::string v = arg.size() > 2 && arg[1] == 'j' ? arg.substr(2) : option_value(argc, argv, i);
      char* end = nullptr;
      const long n = std::strtol(v.c_str(), &end, 10);
      if (v.empty() || *end != '\0' || n < 1 || n > 4096)
        throw UserError("", arg + " " + v, "expected a number of worker processes (1..4096)");
      a.jobs = static_cast<int>(n);
    } else if (arg == "--list") {
      a.list = true;
    } else if (arg == "--resume") {
      a.resume = true;
    } else if (arg == "--force") {
      a.force = true;
    } else if (arg == "--quiet" || arg == "-q") {
      a.quiet = true;
    } else if (arg == "--no-shard") {
      a.no_shard = true;
    } else if (arg == "--shard") {
      a.shard = sweep::parse_shard(arg, option_value(argc, argv, i));
      a.shard_given = true;
    } else if (arg == "-o" || arg == "--output") {
      a.output = option_value(argc, argv, i);
    } else if (arg == "--point-timeout") {
      const std::string v = option_value(argc, argv, i);
      char* end = nullptr;
      const double s = std::strtod(v.c_str(), &end);
      if (v.empty() || *end != '\0' || !(s > 0))
        throw UserError("", arg + " " + v, "expected a positive number of seconds");
      a.timeout_s = s;
    } else if (arg == "--set") {
      a.sets.push_back(parse_override(arg, option_value(argc, argv, i)));
    } else if (!arg.empty() && arg[0] == '-') {
      throw UserError("", arg, "unknown option (see suanwang sweep --help)");
    } else if (a.file.empty()) {
      a.file = arg;
    } else {
      throw UserError("", arg, "unexpected argument (one scenario file per sweep)");
    }
  }
  if (a.file.empty()) throw UserError("", "sweep", "expected a scenario file (FILE.lua)");
  return a;
}

}  // namespace

int sweep_command(int argc, char** argv) {
  SweepArgs a = parse(argc, argv);
  arm_guards(a.guards, a.file);
  const Scenario sc = load_scenario(a.file, a.sets);
  const sweep::SweepPlan plan = sweep::make_plan(sc);

  if (!a.shard_given && !a.no_shard) {
    if (auto s = sweep::shard_from_slurm([](const char* n) -> const char* { return std::getenv(n); })) {
      a.shard = *s;
      if (!a.quiet)
        std::fprintf(stderr, "suanwang: shard %d/%d (from SLURM_ARRAY_TASK_ID=%s)\n", s->index,
                     s->count, std::getenv("SLURM_ARRAY_TASK_ID"));
    }
  }
  const std::vector<std::size_t> selected = sweep::shard_points(plan, a.shard);

  if (a.list) {
    std::fprintf(stderr, "%s: %zu points (%zu combinations x %d replications)", sc.name.c_str(),
                 plan.points.size(), plan.groups, plan.replications);
    if (!a.shard.all())
      std::fprintf(stderr, ", %zu in shard %d/%d", selected.size(), a.shard.index, a.shard.count);
    std::fprintf(stderr, "\n");
    for (std::size_t k : selected) {
      const auto& p = plan.points[k];
      std::printf("%s  %s\n", p.id.c_str(), sweep::describe_point(p).c_str());
    }
    return kExitOk;
  }

  sweep::SweepOptions o;
  o.scenario_file = a.file;
  o.sets = a.sets;
  o.output = !a.output.empty() ? a.output : !sc.output_path.empty() ? sc.output_path : sc.name + ".h5";
  o.jobs = a.jobs;
  o.resume = a.resume;
  o.force = a.force;
  o.shard = a.shard;
  o.point_timeout_s = a.timeout_s;
  o.worker_args = guard_args(a.guards);
  o.progress = !a.quiet;
  const sweep::SweepOutcome r = sweep::run_sweep(sc, plan, o);
  if (!a.quiet) {
    sweep::print_summary_table(stdout, r.meta, r.totals);
    std::fprintf(stderr, "suanwang: wrote %s (%zu points: %zu completed, %zu failed; %zu run now, "
                 "%zu kept) in %.1f s\n",
                 o.output.c_str(), r.totals.runs, r.totals.completed, r.totals.failed, r.ran,
                 r.reused, r.wall_s);
  }
  return r.totals.failed > 0 ? kExitRuntimeFailure : kExitOk;
}

}  // namespace suanwang::cli

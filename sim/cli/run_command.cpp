// `suanwang run` and `suanwang check`.
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "sim/cli/args.hpp"
#include "sim/cli/commands.hpp"
#include "sim/cli/guards.hpp"
#include "sim/cli/run_summary.hpp"
#include "sim/core/units.hpp"
#include "sim/core/user_error.hpp"
#include "sim/core/version.hpp"
#include "sim/engine/simulation.hpp"
#include "sim/policy/policy_loader.hpp"
#include "sim/record/hdf5_recorder.hpp"
#include "sim/record/pending_file.hpp"
#include "sim/record/run_info.hpp"
#include "sim/scenario/scenario.hpp"
#include "sim/topology/routes.hpp"
#include "sim/workload/trace_readers.hpp"

namespace suanwang::cli {

namespace {

constexpr const char* kRunUsage =
    "usage: suanwang run FILE.lua [options]\n"
    "  --set KEY=VALUE       override a scenario value (dotted keys: params.alpha=0.5)\n"
    "  --sweep-point K=V     like --set, and record K=V as this run's sweep point\n"
    "  -o, --output FILE.h5  result file (default: the scenario's `output`)\n"
    "  --force               overwrite an existing result file\n"
    "  --run-id ID           group name under /runs (default: the scenario name)\n"
    "  --quiet               print nothing but errors\n";

constexpr const char* kCheckUsage =
    "usage: suanwang check FILE.lua [options]\n"
    "  --set KEY=VALUE       override a scenario value (dotted keys: params.alpha=0.5)\n"
    "  --quiet               print nothing but errors\n"
    "Reads the scenario, its topology (and builds its routes), its policy and every\n"
    "line of its traces, and checks its output file could be written (with --force):\n"
    "what check accepts, run accepts.\n";

struct RunArgs {
  std::string file;
  std::vector<Override> overrides;
  std::map<std::string, std::string> sweep_point;
  std::string output;
  std::string run_id;
  bool force = false;
  bool quiet = false;
  Guards guards;
};

RunArgs parse_run_args(int argc, char** argv, bool check_only) {
  RunArgs a;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--help" || arg == "-h") {
      std::fputs(check_only ? kCheckUsage : kRunUsage, stdout);
      std::fputs(kGuardUsage, stdout);
      std::exit(kExitOk);
    } else if (parse_guard(argc, argv, i, a.guards)) {
    } else if (arg == "--set") {
      a.overrides.push_back(parse_override(arg, option_value(argc, argv, i)));
    } else if (arg == "--sweep-point") {
      const Override o = parse_override(arg, option_value(argc, argv, i));
      a.overrides.push_back(o);
      a.sweep_point[o.key] = o.value;
    } else if (!check_only && (arg == "-o" || arg == "--output")) {
      a.output = option_value(argc, argv, i);
    } else if (!check_only && arg == "--force") {
      a.force = true;
    } else if (!check_only && arg == "--run-id") {
      a.run_id = option_value(argc, argv, i);
    } else if (arg == "--quiet" || arg == "-q") {
      a.quiet = true;
    } else if (!arg.empty() && arg[0] == '-') {
      throw UserError("", arg, std::string("unknown option (see suanwang ") + argv[0] + " --help)");
    } else if (a.file.empty()) {
      a.file = arg;
    } else {
      throw UserError("", arg, "unexpected argument (one scenario file per run)");
    }
  }
  if (a.file.empty()) throw UserError("", argv[0], "expected a scenario file (FILE.lua)");
  return a;
}

// Reads trace `i` of the scenario to its end as a run would (same seed and
// stream), validating every line; the number of jobs it gives.
long long count_trace_jobs(const Scenario& sc, std::size_t i) {
  auto reader = make_trace_reader(sc.workload.traces[i], sc.topology, sc.seed, i,
                                  static_cast<std::uint16_t>(sc.workload.generators.size() + i));
  long long jobs = 0;
  while (reader->next()) ++jobs;
  return jobs;
}

// The result file without -o: the scenario's `output`, else "<name>.h5" in
// the current folder.
std::string default_output(const Scenario& sc) {
  return !sc.output_path.empty() ? sc.output_path : sc.name + ".h5";
}

}  // namespace

int run_command(int argc, char** argv) {
  const RunArgs a = parse_run_args(argc, argv, false);
  arm_guards(a.guards, a.file);
  const Scenario sc = load_scenario(a.file, a.overrides);
  auto policy = load_policy(sc);

  const RunInfo info = make_run_info(sc, a.run_id.empty() ? sc.name : a.run_id, a.sweep_point);

  const std::string output = !a.output.empty() ? a.output : default_output(sc);
  Hdf5Options hopt;
  hopt.force = a.force;
  Hdf5Recorder hdf5(output, hopt);

  if (!a.quiet)
    std::fprintf(stderr, "suanwang: running %s (seed %llu, policy %s, %s simulated)\n",
                 sc.name.c_str(), static_cast<unsigned long long>(sc.seed), sc.policy_name.c_str(),
                 units::format_duration(sc.duration_s).c_str());
  SimulationOptions sopt;
  sopt.quiet = a.quiet;
  const RunTotals totals = run_simulation(sc, *policy, hdf5, info, sopt);
  hdf5.commit();
  if (!a.quiet) print_run_summary(stdout, sc, totals, hdf5.summary(), output);
  return kExitOk;
}

int check_command(int argc, char** argv) {
  const RunArgs a = parse_run_args(argc, argv, true);
  arm_guards(a.guards, a.file);
  const Scenario sc = load_scenario(a.file, a.overrides);
  auto policy = load_policy(sc);
  // What a run reads before and while it simulates, read now, so that what
  // check accepts run accepts: the routes, and every line of every trace;
  // and the result file it would write (without -o), if even --force could
  // not replace what is there (a device, a folder, a file that is no result).
  PendingFile::check_target(default_output(sc), true);
  const topo::RouteTable routes(sc.topology);
  std::vector<long long> trace_jobs;
  for (std::size_t i = 0; i < sc.workload.traces.size(); ++i)
    trace_jobs.push_back(count_trace_jobs(sc, i));
  int centers = 0, chips = 0;
  for (const auto& c : sc.topology.cities) {
    centers += c.has_center() ? 1 : 0;
    for (const auto& p : c.pools) chips += p.count;
  }
  std::printf("%s: ok\n", sc.file.c_str());
  std::printf("  scenario   %s, seed %llu, %s simulated, local queue %s\n", sc.name.c_str(),
              static_cast<unsigned long long>(sc.seed), units::format_duration(sc.duration_s).c_str(),
              to_string(sc.local_queue));
  std::printf("  topology   %s: %zu cities, %d centers, %d chips, %zu links\n",
              sc.topology_path.c_str(), sc.topology.cities.size(), centers, chips,
              sc.topology.links.size());
  std::printf("  policy     %s (%s)\n", sc.policy_name.c_str(), sc.policy_path.c_str());
  std::printf("  workload   %zu generators, %zu traces, %zu services\n",
              sc.workload.generators.size(), sc.workload.traces.size(),
              sc.workload.services.size());
  for (std::size_t i = 0; i < trace_jobs.size(); ++i)
    std::printf("  trace %zu    %s: %lld jobs, every line read\n", i + 1, sc.workload.traces[i].path.c_str(),
                trace_jobs[i]);
  if (!sc.sweep.empty()) {
    std::size_t points = 1;
    for (const auto& ax : sc.sweep) points *= ax.values.size();
    std::printf("  sweep      %zu axes, %zu points x %d replications\n", sc.sweep.size(), points,
                sc.replications);
  }
  std::printf("  output     %s\n", sc.output_path.c_str());
  return kExitOk;
}

}  // namespace suanwang::cli

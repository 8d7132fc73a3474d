// `suanwang merge -o ALL.h5 SHARD.h5...`: joins the shards of one sweep.
//
// Refuses (exit 2, one line) damaged inputs (their seal, result_seal.hpp,
// is checked before HDF5 reads them), inputs from different sweeps - by the
// /sweep fingerprint (scenario text, --set overrides, axes, replications,
// seed), or by the runs' scenario_text for files without /sweep - and inputs
// that share a run (point) id. Copies every run with H5Ocopy, in id order
// (= plan order), into a PendingFile, writes /sweep and /sweep_summary and
// renames it onto the output. Exit 1 when some points failed or are missing
// from the inputs.
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "sim/cli/commands.hpp"
#include "sim/core/user_error.hpp"
#include "sim/record/hdf5_reader.hpp"
#include "sim/record/pending_file.hpp"
#include "sim/record/result_file.hpp"
#include "sim/record/result_seal.hpp"
#include "sim/record/run_format.hpp"
#include "sim/sweep/sweep_output.hpp"

namespace suanwang::cli {

namespace {

constexpr const char* kMergeUsage =
    "usage: suanwang merge -o ALL.h5 SHARD.h5... [--force] [--quiet]\n"
    "  -o, --output FILE.h5   merged result (required)\n"
    "  --force                overwrite an existing result file\n"
    "  --quiet                do not print the summary table\n"
    "Inputs must come from one sweep (same scenario, --set and axes) and hold\n"
    "disjoint points. Exit 0: all points completed; 1: some failed or missing.\n";

struct Input {
  std::string path;
  bool has_meta = false;
  SweepInfo meta;
  std::string scenario_text;   // of its first run
  std::vector<std::string> runs;
};

struct MergeArgs {
  bool help = false;  // --help seen: print usage, nothing else
  std::string output;
  bool force = false, quiet = false;
  std::vector<std::string> inputs;
};

// Stops at --help, as the options after it are never looked at.
MergeArgs parse_merge_args(int argc, char** argv) {
  MergeArgs args;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--help" || arg == "-h") {
      args.help = true;
      return args;
    } else if (arg == "-o" || arg == "--output") {
      if (i + 1 >= argc) throw UserError("", arg, "expected a file name after it");
      args.output = argv[++i];
    } else if (arg == "--force") {
      args.force = true;
    } else if (arg == "--quiet" || arg == "-q") {
      args.quiet = true;
    } else if (!arg.empty() && arg[0] == '-') {
      throw UserError("", arg, "unknown option (see suanwang merge --help)");
    } else {
      args.inputs.push_back(arg);
    }
  }
  return args;
}

// Refuses before any input is read: no output, no inputs, an output that
// exists (without --force) or that is one of the inputs.
void check_merge_args(const MergeArgs& args) {
  if (args.output.empty()) throw UserError("", "merge", "expected -o ALL.h5");
  if (args.inputs.empty()) throw UserError("", "merge", "expected at least one input file");
  namespace fs = std::filesystem;
  std::error_code ec;
  PendingFile::check_target(args.output, args.force);
  for (const auto& in : args.inputs)
    if (fs::exists(args.output, ec) && fs::equivalent(in, args.output, ec))
      throw UserError(args.output, "", "is also an input");
}

Input read_input(const std::string& path) {
  verify_seal(path);  // a damaged file never reaches HDF5
  Input in;
  in.path = path;
  {
    Hdf5Reader r(path);
    in.runs = r.run_ids();
    if (!in.runs.empty()) {
      const auto a = r.run_attributes(in.runs.front());
      auto it = a.find(run_format::run_attr::scenario_text);
      if (it != a.end()) in.scenario_text = it->second;
    }
    in.has_meta = r.exists(run_format::kSweep);
  }
  if (in.has_meta) in.meta = read_sweep_info(path);
  return in;
}

// One sweep? By fingerprint, or by scenario_text for files without /sweep.
void check_one_sweep(const std::vector<Input>& ins) {
  const Input& first = ins.front();
  for (const Input& in : ins) {
    if (in.has_meta != first.has_meta)
      throw UserError(in.path, "",
                      "cannot be merged with " + first.path + ": only one of them is a sweep result");
    const bool same = in.has_meta ? in.meta.fingerprint == first.meta.fingerprint
                                  : in.scenario_text == first.scenario_text;
    if (!same) {
      std::string why = in.has_meta ? "sweep fingerprint " + in.meta.fingerprint + " vs " +
                                          first.meta.fingerprint + ", scenario " +
                                          in.meta.scenario_name + " vs " + first.meta.scenario_name
                                    : "different scenario_text";
      throw UserError(in.path, "",
                      "comes from a different sweep than " + first.path + " (" + why + ")");
    }
  }
}

// Disjoint points? Run id -> the input holding it (sorted by id = plan order).
std::map<std::string, std::string> owners_of_runs(const std::vector<Input>& ins) {
  std::map<std::string, std::string> owner;
  for (const Input& in : ins)
    for (const auto& id : in.runs) {
      auto [it, inserted] = owner.emplace(id, in.path);
      if (!inserted)
        throw UserError(in.path, "point " + id, "is also in " + it->second + " (overlapping shards)");
    }
  return owner;
}

// Without /sweep the inputs do not say how many points there were: only those present.
SweepInfo merged_sweep_info(const Input& first, std::size_t runs) {
  SweepInfo meta;
  if (first.has_meta) {
    meta = first.meta;
  } else {
    meta.scenario_name = "";
    meta.points_total = runs;
  }
  meta.shard = "merged";
  return meta;
}

sweep::SweepTotals write_merged(const MergeArgs& args,
                                const std::map<std::string, std::string>& owner,
                                const SweepInfo& meta) {
  PendingFile pending(args.output);
  const std::string& tmp = pending.path();
  check_room_for_copies(tmp, args.inputs);
  create_result_file(tmp);
  for (const auto& [id, path] : owner) copy_run(path, id, tmp);
  const sweep::SweepTotals totals = sweep::write_sweep_summary(tmp, meta);
  commit_result_file(pending, args.force);
  return totals;
}

// Prints the table and the one-line account; returns the exit code.
int report_merge(const MergeArgs& args, std::size_t files, const SweepInfo& meta,
                 const sweep::SweepTotals& totals) {
  const std::size_t missing =
      meta.points_total > totals.runs ? static_cast<std::size_t>(meta.points_total - totals.runs) : 0;
  if (!args.quiet) sweep::print_summary_table(stdout, meta, totals);
  std::fprintf(stderr, "suanwang: merged %zu files into %s: %zu points (%zu completed, %zu failed",
               files, args.output.c_str(), totals.runs, totals.completed, totals.failed);
  if (missing) std::fprintf(stderr, ", %zu of %llu missing", missing,
                            static_cast<unsigned long long>(meta.points_total));
  std::fprintf(stderr, ")\n");
  return totals.failed > 0 || missing > 0 ? kExitRuntimeFailure : kExitOk;
}

}  // namespace

int merge_command(int argc, char** argv) {
  const MergeArgs args = parse_merge_args(argc, argv);
  if (args.help) {
    std::fputs(kMergeUsage, stdout);
    return kExitOk;
  }
  check_merge_args(args);
  std::vector<Input> ins;
  for (const auto& path : args.inputs) ins.push_back(read_input(path));
  check_one_sweep(ins);
  const std::map<std::string, std::string> owner = owners_of_runs(ins);
  const SweepInfo meta = merged_sweep_info(ins.front(), owner.size());
  const sweep::SweepTotals totals = write_merged(args, owner, meta);
  return report_merge(args, ins.size(), meta, totals);
}

}  // namespace suanwang::cli

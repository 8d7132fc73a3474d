// suanwang: a discrete-event simulator of a national AI compute network.
// This file only dispatches to a subcommand and turns user errors into one
// line on stderr (text::one_line) and exit code 2.
#include <cstdio>
#include <cstring>
#include <exception>
#include <string>

#include "sim/cli/commands.hpp"
#include "sim/cli/guards.hpp"
#include "sim/core/hard_stop.hpp"
#include "sim/core/malloc_tuning.hpp"
#include "sim/core/text.hpp"
#include "sim/core/user_error.hpp"
#include "sim/core/version.hpp"

namespace {

constexpr const char* kUsage =
    "usage: suanwang <command> [options]\n"
    "\n"
    "commands:\n"
    "  run FILE.lua [--set key=value]... [-o OUT.h5] [--force]   run one scenario\n"
    "  check FILE.lua [--set key=value]...                       validate without running\n"
    "  sweep FILE.lua [-j N] [--list] [--resume] [--shard I/N]   run a parameter sweep\n"
    "  merge -o ALL.h5 SHARD.h5...                               merge sweep shards\n"
    "  topo FILE.graphml [--latency-matrix] [--dot OUT.dot]      check and describe a topology\n"
    "  version                                                   print the version\n"
    "\n"
    "Run `suanwang <command> --help` for the options of one command.\n";

}  // namespace

int main(int argc, char** argv) {
  using namespace suanwang;
  // Before any thread starts: SIGTERM/SIGINT/SIGHUP and a failed allocation
  // end the process with one line and no temporary file left (hard_stop.hpp).
  install_signal_cleanup();
  cli::install_out_of_memory_handler();
  keep_large_buffers();
  if (argc < 2 || !std::strcmp(argv[1], "--help") || !std::strcmp(argv[1], "-h")) {
    std::fputs(kUsage, argc < 2 ? stderr : stdout);
    return argc < 2 ? kExitUserError : kExitOk;
  }
  const std::string cmd = argv[1];
  try {
    if (cmd == "run") return cli::run_command(argc - 1, argv + 1);
    if (cmd == "check") return cli::check_command(argc - 1, argv + 1);
    if (cmd == "sweep") return cli::sweep_command(argc - 1, argv + 1);
    if (cmd == "merge") return cli::merge_command(argc - 1, argv + 1);
    if (cmd == "topo") return cli::topo_command(argc - 1, argv + 1);
    if (cmd == "version" || cmd == "--version") {
      std::printf("suanwang %s (%s)\n", kVersion, kGitRevision);
      return kExitOk;
    }
    std::fprintf(stderr, "suanwang: unknown command '%s' (expected run, check, sweep, merge, topo)\n",
                 cmd.c_str());
    return kExitUserError;
  } catch (const UserError& e) {
    std::fprintf(stderr, "suanwang: %s\n", text::one_line(e.what()).c_str());
    return kExitUserError;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "suanwang: internal error: %s\n", text::one_line(e.what()).c_str());
    return kExitRuntimeFailure;
  }
}

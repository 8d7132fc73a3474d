// Run-level guards of the suanwang binary: --max-wall and --max-memory.
//
// A scenario is checked where its values enter, so a run that stays within
// the documented limits finishes; these guards are the last line for what
// no check can foresee (a policy that is slow but within its budgets, a
// network whose routes are legal but huge). Both end the process through
// the watchdog (sim/core/watchdog.hpp): one line naming the limit and how
// to raise it, temporary files removed, exit code 2.
//  --max-wall DURATION   wall time of the whole command; default none.
//  --max-memory SIZE     resident memory of the process; default 80% of the
//                        machine's memory (so a runaway run stops with a
//                        message instead of meeting the kernel's OOM killer).
// 0 turns either off. Operator new failing (a ulimit) ends the process the
// same way.
#pragma once

#include <string>
#include <vector>

namespace suanwang::cli {

struct Guards {
  double max_wall_s = 0;       // 0: none
  double max_memory_B = -1;    // -1: the default; 0: none
};

// Takes the option at argv[i] when it is --max-wall or --max-memory (and its
// value, advancing i); returns whether it was one. UserError on a bad value.
bool parse_guard(int argc, char** argv, int& i, Guards& g);

// Arms the guards for this process; `what` starts the --max-wall message
// (the scenario file).
void arm_guards(const Guards& g, const std::string& what);

// The options to hand a worker process so it keeps the same guards.
std::vector<std::string> guard_args(const Guards& g);

// Usage lines of the two options.
extern const char* const kGuardUsage;

// Ends the process with one line when operator new fails (installed by main).
void install_out_of_memory_handler();

}  // namespace suanwang::cli

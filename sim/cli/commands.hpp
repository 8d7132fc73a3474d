// The subcommands of the suanwang binary. Each parses its own arguments
// (argv[0] is the subcommand name) and returns the process exit code
// (kExitOk, kExitRuntimeFailure, kExitUserError). UserErrors are caught in
// main() and printed as one line.
#pragma once

namespace suanwang::cli {

int topo_command(int argc, char** argv);    // topo_command.cpp
int run_command(int argc, char** argv);     // run_command.cpp
int check_command(int argc, char** argv);   // run_command.cpp
int sweep_command(int argc, char** argv);   // sweep_command.cpp
int merge_command(int argc, char** argv);   // merge_command.cpp

}  // namespace suanwang::cli

// hard_stop: the one way out of the process when an error cannot unwind.
//
// Almost every error in suanwang is an exception that becomes one line and
// exit code 2 in sim/cli. A few cannot travel that way: a Lua hook stuck
// inside a C library function past its time limit (noticed by another
// thread), a run past --max-wall or --max-memory, operator new failing, a
// Lua error outside a protected call, SIGTERM or SIGINT. For those,
// hard_stop() prints the one line, runs the cleanups registered with
// at_hard_stop() (removing temporary result files, stopping worker
// processes), and ends the process with _exit, from whichever thread
// noticed. The promise stays the same: one line, no file left half-written.
//
// Thread-safe: the first caller wins, a second one waits for the process to
// end. Cleanups run on the stopping thread while others may still be
// running, so a cleanup touches only state guarded for that (see
// PendingFile's registry).
#pragma once

#include <functional>
#include <mutex>
#include <string>

namespace suanwang {

// Prints "suanwang: <message>" on stderr, runs the cleanups, _exit(exit_code).
[[noreturn]] void hard_stop(const std::string& message, int exit_code = 2);

// Registers a cleanup run by hard_stop and by the signal handler, in
// registration order. Returns an id for withdraw_hard_stop.
int at_hard_stop(std::function<void()> cleanup);
void withdraw_hard_stop(int id);

// Whether a stop has begun (a commit must not rename after that).
bool hard_stop_begun();

// Held while a finished file is renamed onto its target: a stop either waits
// for the rename or keeps it from starting (then stopping() is true).
class CommitGuard {
 public:
  CommitGuard();
  ~CommitGuard();
  CommitGuard(const CommitGuard&) = delete;
  CommitGuard& operator=(const CommitGuard&) = delete;
  bool stopping() const;
};

// SIGTERM, SIGINT and SIGHUP end the process through the cleanups: one line
// ("stopped by SIGTERM"), temporary files removed, then the signal's default
// action (so a parent sees the signal). SIGXFSZ is ignored: a write past
// `ulimit -f` fails like one on a full disk, an error with one line. Call
// once, early in main, before any thread starts: it blocks the signals and
// waits for them on a thread of its own (children started with exec reset
// their mask themselves).
void install_signal_cleanup();

}  // namespace suanwang

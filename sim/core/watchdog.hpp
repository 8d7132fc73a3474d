// Watchdog: limits that the work being limited cannot enforce on itself.
//
// A Lua hook enforces its own instruction budget and time limit through the
// count hook, but the hook never fires inside a C library function (one
// string.find with a backtracking pattern can run for hours), nor when the
// budget is off. A run past --max-wall may be stuck anywhere. Memory past
// --max-memory may be growing anywhere. A watchdog thread, started on first
// use, checks every armed Timer and the process limits every 50 ms, and ends
// the process through hard_stop() (one line, temporary files removed, exit 2)
// when one is exceeded. It never interrupts work that keeps within limits.
//
// Arming and disarming a Timer is two atomic stores and a clock read (a
// policy hook call does it), so it stays off the hot path's budget.
#pragma once

#include <atomic>
#include <cstdint>
#include <string>

namespace suanwang::watchdog {

class Timer {
 public:
  // `what` starts the message when the timer runs out ("policies/x.lua: a Lua call").
  explicit Timer(std::string what);
  ~Timer();
  Timer(const Timer&) = delete;
  Timer& operator=(const Timer&) = delete;

  // Stops the process unless disarm() comes within `seconds` (> 0); the
  // message ends with `why` ("hook_time_limit 10 s").
  void arm(double seconds, const char* why);
  void disarm() { deadline_ns_.store(0, std::memory_order_relaxed); }

  // For the watchdog thread.
  std::int64_t deadline_ns() const { return deadline_ns_.load(std::memory_order_relaxed); }
  std::string message() const;

 private:
  std::atomic<std::int64_t> deadline_ns_{0};
  std::atomic<const char*> why_{""};
  std::atomic<double> seconds_{0};
  std::string what_;
};

// Ends the process when it has run `seconds` (from now; 0 = no limit).
// `message` is the line printed.
void limit_wall(double seconds, const std::string& message);
// Ends the process when its resident memory exceeds `bytes` (0 = no limit).
void limit_memory(std::uint64_t bytes, const std::string& message);

// Resident set size of this process in bytes (0 when unknown).
std::uint64_t resident_bytes();

}  // namespace suanwang::watchdog

#include "sim/core/watchdog.hpp"

#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <mutex>
#include <set>
#include <thread>

#include "sim/core/hard_stop.hpp"

namespace suanwang::watchdog {

namespace {

using Clock = std::chrono::steady_clock;

std::int64_t now_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now().time_since_epoch()).count();
}

// Never destroyed (see hard_stop.cpp): the thread outlives main's statics.
struct State {
  std::mutex mutex;  // guards everything below
  std::set<Timer*> timers;
  std::int64_t wall_deadline_ns = 0;
  std::string wall_message;
  std::uint64_t memory_limit = 0;
  std::string memory_message;
  bool running = false;
};

State& state() {
  static State* s = new State;
  return *s;
}

void check_once() {
  State& s = state();
  std::string stop;
  {
    std::lock_guard<std::mutex> lk(s.mutex);
    const std::int64_t now = now_ns();
    if (s.wall_deadline_ns != 0 && now >= s.wall_deadline_ns) stop = s.wall_message;
    for (Timer* t : s.timers) {
      const std::int64_t d = t->deadline_ns();
      if (stop.empty() && d != 0 && now >= d) stop = t->message();
    }
    if (stop.empty() && s.memory_limit != 0 && resident_bytes() > s.memory_limit)
      stop = s.memory_message;
  }
  if (!stop.empty()) hard_stop(stop);
}

// Starts the thread once; called with the mutex held.
void ensure_thread(State& s) {
  if (s.running) return;
  s.running = true;
  std::thread([] {
    for (;;) {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
      check_once();
    }
  }).detach();
}

std::string seconds_text(double s) {
  char b[32];
  std::snprintf(b, sizeof b, "%g", s);
  return b;
}

}  // namespace

Timer::Timer(std::string what) : what_(std::move(what)) {
  State& s = state();
  std::lock_guard<std::mutex> lk(s.mutex);
  s.timers.insert(this);
  ensure_thread(s);
}

Timer::~Timer() {
  State& s = state();
  std::lock_guard<std::mutex> lk(s.mutex);
  s.timers.erase(this);
}

void Timer::arm(double seconds, const char* why) {
  seconds_.store(seconds, std::memory_order_relaxed);
  why_.store(why, std::memory_order_relaxed);
  deadline_ns_.store(now_ns() + static_cast<std::int64_t>(seconds * 1e9), std::memory_order_relaxed);
}

std::string Timer::message() const {
  return what_ + " ran for more than " + seconds_text(seconds_.load(std::memory_order_relaxed)) +
         " s and could not be interrupted (inside a library function such as string.find with a "
         "backtracking pattern, or with the instruction budget off); stopped [" +
         why_.load(std::memory_order_relaxed) + "]";
}

void limit_wall(double seconds, const std::string& message) {
  State& s = state();
  std::lock_guard<std::mutex> lk(s.mutex);
  s.wall_deadline_ns = seconds > 0 ? now_ns() + static_cast<std::int64_t>(seconds * 1e9) : 0;
  s.wall_message = message;
  if (seconds > 0) ensure_thread(s);
}

void limit_memory(std::uint64_t bytes, const std::string& message) {
  State& s = state();
  std::lock_guard<std::mutex> lk(s.mutex);
  s.memory_limit = bytes;
  s.memory_message = message;
  if (bytes > 0) ensure_thread(s);
}

std::uint64_t resident_bytes() {
  std::FILE* f = std::fopen("/proc/self/statm", "r");
  if (f == nullptr) return 0;
  unsigned long long size = 0, resident = 0;
  const int n = std::fscanf(f, "%llu %llu", &size, &resident);
  std::fclose(f);
  if (n != 2) return 0;
  return static_cast<std::uint64_t>(resident) * static_cast<std::uint64_t>(::sysconf(_SC_PAGESIZE));
}

}  // namespace suanwang::watchdog

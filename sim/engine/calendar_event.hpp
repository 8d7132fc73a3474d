// Event: one entry of the engine's calendar (calendar.hpp), what it is
// about and when it is due (internal to the engine).
#pragma once

#include <cstdint>

namespace suanwang::engine {

enum class EventKind : std::uint8_t {
  arrivals,      // the next batch of jobs arrives
  job_end,       // target: job handle; a running job's work is done
  flow_start,    // target: job handle; its transfer's latency is paid
  sample,        // the meter's periodic sample
  tick,          // the policy's on_tick
  failure,       // target: index into the failure schedule
  progress,      // progress line on stderr
  lend,          // target: service index; resize what it lends (colocation)
  span_step,     // target: job or part handle; a multi-center job's round moves on (spanning)
};

struct Event {
  double time_s = 0;
  std::uint64_t seq = 0;     // scheduling order: breaks ties
  std::uint32_t target = 0;
  std::uint32_t gen = 0;     // owner's generation when scheduled
  EventKind kind = EventKind::arrivals;
};

}  // namespace suanwang::engine

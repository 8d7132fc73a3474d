// Calendar: the engine's own list of future events, on SimGrid's clock.
//
// Everything the engine schedules itself (batches of arrivals, job ends,
// samples, policy ticks, failures, the latency phase of transfers) is one
// small Event in a binary heap ordered by (time, sequence number), so events
// due at the same instant run in the order they were scheduled: a run is
// deterministic whatever the heap does inside. One SimGrid kernel timer is
// kept armed at the earliest date; when it fires, every event due is handed
// to the sink in order. SimGrid advances its clock to the earlier of that
// timer and the next network completion, so flows (simulated by SimGrid) and
// the engine's own events interleave exactly, with no actor and no context
// switch (a timed wait costs a heap push and pop, whatever the number in
// flight).
//
// Cancelling is lazy: an event carries the generation its owner had when it
// was scheduled; the owner bumps its generation to invalidate it and the
// sink skips stale events when they come due.
//
// Thread safety: none (SimGrid's maestro runs everything). Lifetime: must
// outlive the s4u::Engine's run; stop() removes the armed timer.
#pragma once

#include <cstdint>

#include "sim/engine/calendar_event.hpp"
#include "sim/engine/event_heap.hpp"

namespace simgrid::kernel::timer {
class Timer;
}

namespace suanwang::engine {

class EventSink {
 public:
  virtual ~EventSink() = default;
  virtual void on_event(const Event& e) = 0;
};

class Calendar {
 public:
  explicit Calendar(EventSink& sink) : sink_(sink) {}
  ~Calendar();
  Calendar(const Calendar&) = delete;
  Calendar& operator=(const Calendar&) = delete;

  // Schedules an event at `time_s` (clamped to now: nothing runs in the past).
  void schedule(double time_s, EventKind kind, std::uint32_t target = 0, std::uint32_t gen = 0);
  // Arms the SimGrid timer for the earliest event. Called by schedule(); call
  // once before Engine::run.
  void arm();
  // Drops every pending event and the armed timer: the engine then has
  // nothing of ours left to do (used to stop a run on an error).
  void stop();
  bool stopped() const { return stopped_; }
  std::size_t pending() const { return heap_.size(); }

 private:
  void fire();
  EventSink& sink_;
  EventHeap heap_;
  std::uint64_t seq_ = 0;
  simgrid::kernel::timer::Timer* timer_ = nullptr;
  double armed_s_ = 0;
  bool firing_ = false;
  bool stopped_ = false;
};

}  // namespace suanwang::engine

#include "sim/engine/calendar.hpp"

#include <simgrid/kernel/Timer.hpp>
#include <simgrid/s4u/Engine.hpp>

namespace suanwang::engine {

Calendar::~Calendar() { stop(); }

void Calendar::schedule(double time_s, EventKind kind, std::uint32_t target, std::uint32_t gen) {
  if (stopped_) return;
  const double now = simgrid::s4u::Engine::get_clock();
  Event e;
  e.time_s = time_s < now ? now : time_s;
  e.seq = seq_++;
  e.target = target;
  e.gen = gen;
  e.kind = kind;
  heap_.push(e);
  // While firing, fire() re-arms once at the end.
  if (!firing_) arm();
}

void Calendar::arm() {
  if (stopped_ || heap_.empty()) return;
  const double t = heap_.top().time_s;
  if (timer_ != nullptr) {
    if (armed_s_ <= t) return;  // an earlier wake-up is already set
    timer_->remove();
    timer_ = nullptr;
  }
  armed_s_ = t;
  timer_ = simgrid::kernel::timer::Timer::set(t, [this] {
    timer_ = nullptr;  // SimGrid deletes the timer after this callback
    fire();
  });
}

void Calendar::fire() {
  const double now = simgrid::s4u::Engine::get_clock();
  firing_ = true;
  while (!stopped_ && !heap_.empty() && heap_.top().time_s <= now) {
    const Event e = heap_.pop();
    sink_.on_event(e);
  }
  firing_ = false;
  arm();
}

void Calendar::stop() {
  stopped_ = true;
  heap_.clear();
  if (timer_ != nullptr) {
    timer_->remove();
    timer_ = nullptr;
  }
}

}  // namespace suanwang::engine

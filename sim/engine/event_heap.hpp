// EventHeap: the calendar's pending events, earliest first (internal to the
// engine; pure logic, no SimGrid).
//
// A 4-ary min-heap on (time_s, seq). seq is unique, so (time_s, seq) is a
// total order and the sequence of pops is fixed whatever the heap's shape:
// the heap's layout cannot change a run. Four children per node halve the
// depth of a binary heap, and a node's children are adjacent in memory, so
// a pop touches about half the cache lines: the calendar holds an event per
// job in flight (tens of thousands in a national run) and pops one per event.
#pragma once

#include <cstddef>
#include <vector>

#include "sim/engine/calendar_event.hpp"

namespace suanwang::engine {

class EventHeap {
 public:
  bool empty() const { return v_.empty(); }
  std::size_t size() const { return v_.size(); }
  // The earliest event (not empty()).
  const Event& top() const { return v_.front(); }
  void push(const Event& e);
  // Removes and returns the earliest event (not empty()).
  Event pop();
  void clear() { v_.clear(); }

  // Whether a comes before b: earlier, or scheduled first at the same time.
  static bool before(const Event& a, const Event& b) {
    return a.time_s < b.time_s || (a.time_s == b.time_s && a.seq < b.seq);
  }

 private:
  std::vector<Event> v_;
};

}  // namespace suanwang::engine

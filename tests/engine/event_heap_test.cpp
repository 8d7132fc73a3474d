// EventHeap: the calendar's order is (time, scheduling order), whatever the
// pushes and pops interleaved; ties at one instant come out as scheduled.
#include <gtest/gtest.h>

#include <algorithm>
#include <queue>
#include <random>
#include <vector>

#include "sim/engine/event_heap.hpp"

using suanwang::engine::Event;
using suanwang::engine::EventHeap;

namespace {

Event at(double t, std::uint64_t seq) {
  Event e;
  e.time_s = t;
  e.seq = seq;
  e.target = static_cast<std::uint32_t>(seq * 7);
  return e;
}

struct Later {
  bool operator()(const Event& a, const Event& b) const { return EventHeap::before(b, a); }
};

}  // namespace

TEST(EventHeap, PopsInTimeThenSchedulingOrder) {
  EventHeap h;
  // Hand-checked: ties at t = 5 come out in the order they were pushed.
  const std::pair<double, std::uint64_t> in[] = {{5, 0}, {1, 1}, {5, 2}, {3, 3}, {5, 3 + 1}, {0, 5}, {3, 6}};
  for (const auto& [t, s] : in) h.push(at(t, s));
  const std::uint64_t want[] = {5, 1, 3, 6, 0, 2, 4};
  for (const std::uint64_t s : want) {
    ASSERT_FALSE(h.empty());
    EXPECT_EQ(h.top().seq, s);
    const Event e = h.pop();
    EXPECT_EQ(e.seq, s);
    EXPECT_EQ(e.target, s * 7);
  }
  EXPECT_TRUE(h.empty());
}

// Random interleavings of pushes and pops, with many ties, against the
// standard binary heap on the same order: the same events come out in the
// same order (the order is total, so any correct heap agrees).
TEST(EventHeap, AgreesWithABinaryHeapOnRandomInterleavings) {
  std::mt19937_64 rng(42);
  for (int round = 0; round < 50; ++round) {
    EventHeap h;
    std::priority_queue<Event, std::vector<Event>, Later> ref;
    std::uint64_t seq = 0;
    double now = 0;
    const int steps = 200 + round * 40;
    for (int i = 0; i < steps; ++i) {
      const bool push = ref.empty() || std::uniform_int_distribution<int>(0, 9)(rng) < 6;
      if (push) {
        // Times on a coarse grid: many ties; never before the last pop (as in the calendar).
        const double t = now + std::uniform_int_distribution<int>(0, 20)(rng) * 0.5;
        h.push(at(t, seq));
        ref.push(at(t, seq));
        ++seq;
      } else {
        ASSERT_EQ(h.size(), ref.size());
        const Event a = h.pop();
        const Event b = ref.top();
        ref.pop();
        ASSERT_EQ(a.seq, b.seq) << "round " << round << ", step " << i;
        ASSERT_EQ(a.time_s, b.time_s);
        now = a.time_s;
      }
    }
    std::vector<Event> rest;
    while (!h.empty()) rest.push_back(h.pop());
    ASSERT_EQ(rest.size(), ref.size());
    for (const Event& e : rest) {
      EXPECT_EQ(e.seq, ref.top().seq);
      ref.pop();
    }
  }
}

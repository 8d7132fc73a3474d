// FailureInjector: scheduled and random link failures and center outages.
//
// All events are generated before the run from the scenario (random ones by
// alternating exponential up/down times per element, from a stream seeded by
// the scenario seed, so a run is reproducible) and replayed one calendar
// event at a time.
// Overlapping failures of one element nest: it is repaired when the last
// one ends.
#pragma once

#include <vector>

#include "sim/engine/engine_state.hpp"

namespace suanwang::engine {

struct FailureEvent {
  double time_s = 0;
  bool is_link = true;
  int target = -1;   // link index or center index
  bool down = true;
  int order = 0;     // tie-break: generation order
};

class FailureInjector {
 public:
  // Throws UserError for an unknown link or city in the scenario.
  FailureInjector(EngineState& st, std::uint64_t seed);
  void start();                 // schedules the first failure
  void on_event(std::uint32_t index);  // applies failure `index`, schedules the next
  bool empty() const { return events_.empty(); }

 private:
  void apply(const FailureEvent& e);
  EngineState& st_;
  std::vector<FailureEvent> events_;
  std::vector<int> link_depth_, center_depth_;
};

}  // namespace suanwang::engine

// PolicyHooks: every call from the engine into the scheduling policy, and
// the one function that brings the policy's view up to date before each.
//
// NetState is kept current incrementally for what the engine changes as it
// goes (free chips, queues, links); what is a function of time (the clock,
// the time-of-use price, each center's carbon factor with its hourly profile)
// is derived here, in refresh(), immediately before every hook, so that
// place, order, on_finish and on_tick all see the present: `net.now` is the
// simulated time of the call and prices and carbon factors are those of its
// hour. Nothing else writes those fields. (internal to the engine)
#pragma once

#include <cstdint>
#include <vector>

#include "sim/policy/policy.hpp"

namespace suanwang::engine {

class EngineState;

class PolicyHooks {
 public:
  explicit PolicyHooks(EngineState& st) : st_(st) {}

  std::vector<Placement> place_batch(const std::vector<const Job*>& jobs);
  Placement place(const Job& job);
  std::vector<int> order(const std::vector<const Job*>& queue, int pool);
  void on_finish(const FinishedJob& job);
  void on_tick();
  int bind(const Job& job, int pool, const std::vector<int>& feasible);

  // What every hook sees, made current (public for the meter's samples,
  // which read the same derived fields).
  void refresh();

 private:
  EngineState& st_;
  long long hour_ = -1;  // hour the prices and carbon factors were last derived for
};

}  // namespace suanwang::engine

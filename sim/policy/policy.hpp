// Policy: where each job goes. The engine's only view of a scheduling policy.
//
// LuaPolicy (lua_policy.hpp) implements it by running a user's sandboxed Lua
// module; tests may implement it in C++. Decisions must be a pure function of
// (job, net state, the policy's own state, its seeded random stream) so a run
// is reproducible.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "sim/core/job.hpp"
#include "sim/policy/net_state.hpp"

namespace suanwang {

// One part of a multi-center placement: `gpus` of the job's GPUs at a center.
struct PlacementPart {
  int center = -1;   // index into NetState::centers
  int pool = -1;     // index into NetState::pools, -1: the engine picks a fitting pool
  double gpus = 0;   // whole chips
};

struct Placement {
  enum class Action : std::uint8_t { wait, place, reject };
  Action action = Action::wait;
  int center = -1;   // index into NetState::centers when action == place
  int pool = -1;     // index into NetState::pools, -1: the engine picks a fitting pool
  std::string reason;  // for reject: recorded in the job table
  // A training job split over several centers (sim/engine/spanning.hpp):
  // action == place, center == -1, one entry per part in ring order.
  std::vector<PlacementPart> parts;
};

// A job the engine has finished, as the policy's on_finish hook sees it.
struct FinishedJob {
  const Job* job = nullptr;
  int center = -1;
  int pool = -1;
  double start_s = 0, end_s = 0, wait_s = 0;
  bool completed = true;
};

class Policy {
 public:
  virtual ~Policy() = default;
  virtual std::string name() const = 0;
  // Where a hook is defined, to name it in errors about what it returned
  // ("policies/x.lua:12" for a Lua policy); the policy's name by default.
  virtual std::string hook_origin(const std::string& /*hook*/) const { return name(); }

  // Required hook. May throw UserError (policy error), which the engine
  // either aborts on or turns into a rejection, as the scenario asks.
  virtual Placement place(const Job& job, const NetState& net) = 0;

  // Batch placement: one decision per job, same order. The default calls
  // place() in order; a policy with a pure score() may evaluate the
  // (job x center) matrix in parallel, but must return exactly what the
  // serial evaluation returns.
  virtual std::vector<Placement> place_batch(const std::vector<const Job*>& jobs,
                                             const NetState& net);

  // Optional local-queue ordering for one pool: given the queued jobs in
  // arrival order, return a permutation (indices into `queue`). Only called
  // when has_order().
  virtual bool has_order() const { return false; }
  virtual std::vector<int> order(const std::vector<const Job*>& queue, int pool,
                                 const NetState& net);

  // Optional node placement for pools made of servers: which server (0-based)
  // of pool `pool` the job starts on, among `feasible` (the servers where it
  // fits now, never empty); -1 leaves the choice to the scenario's
  // node_placement. Only called when has_bind(), for jobs on one server.
  virtual bool has_bind() const { return false; }
  virtual int bind(const Job& /*job*/, int /*pool*/, const std::vector<int>& /*feasible*/,
                   const NetState& /*net*/) {
    return -1;
  }

  virtual void on_finish(const FinishedJob& /*job*/, const NetState& /*net*/) {}
  virtual bool has_on_tick() const { return false; }
  virtual void on_tick(const NetState& /*net*/) {}
};

}  // namespace suanwang

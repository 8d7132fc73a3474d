// JobView: the read-only `job` argument of the policy hooks.
//
// One persistent table per hook slot, overwritten in place before each call,
// so a decision allocates nothing; a policy that wants to keep a job's data
// must copy the fields, not the view. order() gets fresh tables instead
// (push_fresh_job): its queue holds several jobs at once. Fields and units:
// README "job (read-only)".
#pragma once

#include "sim/core/job.hpp"
#include "sim/policy/lua_readonly.hpp"
#include "sim/policy/net_state.hpp"
#include "sim/policy/policy.hpp"
#include "sim/topology/topology.hpp"

namespace suanwang::lua {

class JobView {
 public:
  explicit JobView(lua_State* L);
  ~JobView();
  JobView(const JobView&) = delete;
  JobView& operator=(const JobView&) = delete;
  // Overwrites the persistent view with `job` and pushes its proxy.
  // `data` (nullptr: no data tier) names the job's catalog dataset.
  void push(const Job& job, const topo::Topology& topo, const DataView* data);
  // Pushes the proxy as last written.
  void push_current() const;
  // Same plus the on_finish fields (center, pool, start, finish, wait, completed).
  void push_finished(const FinishedJob& f, const NetState& net, const topo::Topology& topo);

 private:
  void write(const Job& job, const topo::Topology& topo, const DataView* data);
  void push_keys() const;
  lua_State* L_;
  Refs refs_;
  int keys_ref_ = LUA_NOREF;  // the field names, interned (an array)
};

// Pushes a fresh (non-shared) read-only job table.
void push_fresh_job(lua_State* L, const Job& job, const topo::Topology& topo, const DataView* data);

}  // namespace suanwang::lua

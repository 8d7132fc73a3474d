// JobView: the read-only `job` argument of the policy hooks.
//
// One persistent view per hook slot. push() does not write the job's fields:
// it keeps a copy of the job, and a field is written into the view's table
// the first time the policy reads it during that job (a policy reads a few
// of the ~18 fields: data_local reads one). Fields read once are then plain
// table reads; pairs(job) writes them all first. What a policy sees is the
// same as if every field had been written at push (README "job
// (read-only)"), and a view kept past its call shows the latest job pushed,
// as before: a policy that wants to keep a job's data must copy the fields,
// not the view. order() gets fresh, fully written tables instead
// (push_fresh_job): its queue holds several jobs at once.
//
// Lifetime: `topo` and `data` given to push() must outlive every later read
// of the view (both live for the run; Lua runs only inside hooks).
#pragma once

#include <cstdint>

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
  // Makes `job` the view's job and pushes its proxy.
  // `data` (nullptr: no data tier) names the job's catalog dataset.
  void push(const Job& job, const topo::Topology& topo, const DataView* data);
  // Pushes the proxy as last pushed.
  void push_current() const;
  // Same plus the on_finish fields (center, pool, start, finish, wait, completed).
  void push_finished(const FinishedJob& f, const NetState& net, const topo::Topology& topo);

  // For the view's metamethods, on `L`, the thread of the running C function
  // (a policy may read the view inside a coroutine): writes field `key` (the
  // value at stack index `key`) of the current job into the table and pushes
  // its value, or pushes nil when `key` names no job field.
  void push_field(lua_State* L, int key);
  // Writes every field not yet written.
  void write_all(lua_State* L);
  void push_data(lua_State* L) const { lua_rawgeti(L, LUA_REGISTRYINDEX, refs_.data); }

 private:
  // Makes `job` the view's job, with none of its fields written yet.
  void set(const Job& job, const topo::Topology& topo, const DataView* data);
  // Sets the fields written for the previous job back to nil.
  void forget();
  lua_State* L_;
  Refs refs_;
  int keys_ref_ = LUA_NOREF;    // the field names, interned (an array)
  int lookup_ref_ = LUA_NOREF;  // field name -> its number
  Job job_;                     // the current job (a copy: the engine's may go away)
  const topo::Topology* topo_ = nullptr;
  const DataView* data_ = nullptr;
  std::uint32_t written_ = 0;   // bit f: field f is in the table for job_
  bool finished_ = false;       // the on_finish fields are in the table
};

// Pushes a fresh (non-shared) read-only job table, every field written.
void push_fresh_job(lua_State* L, const Job& job, const topo::Topology& topo, const DataView* data);

}  // namespace suanwang::lua

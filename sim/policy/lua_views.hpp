// Read-only Lua views of the simulator's state for policy hooks.
//
// Performance is the point here: a place() over ~35 centers must cost a few
// microseconds, so nothing is rebuilt per call. NetView builds, once per
// NetState layout, a tree of plain Lua tables (one per center, per pool) each
// hidden behind an empty read-only proxy (__index = data table, __newindex =
// error). Before every hook call, refresh() compares the live NetState with a
// C++ snapshot of its dynamic fields and writes to Lua only the centers and
// pools that changed. Field reads in Lua are then ordinary table lookups.
//
// JobView does the same for the job argument: one persistent table per hook
// slot, overwritten in place before each call (so a policy that wants to keep
// a job's data must copy the fields, not the view).
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "sim/core/job.hpp"
#include "sim/policy/net_state.hpp"
#include "sim/policy/policy.hpp"
#include "sim/scenario/scenario.hpp"

struct lua_State;

namespace suanwang::lua {

// Pushes a read-only proxy for the table at `data_index`; `label` names it in
// the error a write raises ("net.centers[3] is read-only").
void push_readonly(lua_State* L, int data_index, const std::string& label);

// Builds the nested `params` table from the flattened dotted map and pushes it
// (read-only at every level).
void push_params(lua_State* L, const std::map<std::string, ParamValue>& params);

class NetView {
 public:
  explicit NetView(lua_State* L, const topo::Topology* fallback);
  ~NetView();
  NetView(const NetView&) = delete;
  NetView& operator=(const NetView&) = delete;

  // Brings the Lua view up to date with `net` (cheap when little changed).
  void refresh(const NetState& net);
  // Pushes the `net` proxy (call refresh() first).
  void push_net() const;
  void push_center(int center) const;   // center proxy, 0-based index
  void push_pool(int pool) const;       // pool proxy, 0-based index

  // Resolvers used when reading a policy's answer; -1 when unknown.
  int center_by_name(std::string_view name) const;  // center index
  const topo::Topology& topology() const { return *topo_; }
  const NetState* net() const { return net_; }

  // For the latency()/bandwidth()/latency_from() C functions: city index from
  // the argument at `arg` (city name, 1-based city index, or a center view).
  int city_arg(int arg) const;
  void push_latency_from(int city);
  // net.room(job): pushes (centers, free) for the job at argument `arg`.
  void push_room(int arg);

  // The job of the hook call in progress (its view's address), so that
  // net.room(job) reads the C++ Job instead of the Lua table.
  void set_job(const Job* job, const void* view) { cur_job_ = job; cur_view_ = view; }

 private:
  void rebuild(const NetState& net);
  void full_refresh(const NetState& net);
  void write_center(int c, const NetState& net);
  void write_pool(int p, const NetState& net);

  lua_State* L_;
  const topo::Topology* fallback_;
  const topo::Topology* topo_ = nullptr;
  const NetState* net_ = nullptr;
  bool built_ = false;
  int net_ref_ = -1, net_data_ref_ = -1, city_index_ref_ = -1;
  int link_load_ref_ = -1, link_up_ref_ = -1;
  // net.room(): its two result arrays, reused call after call, and their length.
  int room_list_ref_ = -1, room_free_ref_ = -1;
  long long room_len_ = 0;
  std::uint64_t links_version_seen_ = 0;  // NetState::links_version last mirrored
  bool links_seen_ = false;
  std::vector<int> center_data_ref_, center_proxy_ref_;
  std::vector<int> pool_data_ref_, pool_proxy_ref_;
  // Snapshots of the dynamic fields last written to Lua.
  struct CenterSnap {
    bool up; double price, free; int total, queued, inbound;
  };
  struct PoolSnap {
    int total, queued, running; double free, queued_chips;
  };
  std::vector<CenterSnap> csnap_;
  std::vector<PoolSnap> psnap_;
  std::vector<double> link_util_snap_;
  std::vector<char> link_up_snap_;
  // latency_from(city) caches: per city a Lua array (by center) + snapshot.
  std::vector<int> lat_from_ref_;
  std::vector<std::vector<double>> lat_from_snap_;
  std::vector<std::uint64_t> lat_from_gen_;
  std::uint64_t generation_ = 0;
  std::map<std::string, int, std::less<>> center_by_name_;
  const Job* cur_job_ = nullptr;
  const void* cur_view_ = nullptr;
};

class JobView {
 public:
  explicit JobView(lua_State* L);
  ~JobView();
  JobView(const JobView&) = delete;
  JobView& operator=(const JobView&) = delete;
  // Overwrites the persistent view with `job` and pushes its proxy.
  void push(const Job& job, const topo::Topology& topo);
  // Pushes the proxy as last written.
  void push_current() const;
  // Same plus the on_finish fields (center, pool, start, finish, wait, completed).
  void push_finished(const FinishedJob& f, const NetState& net, const topo::Topology& topo);

 private:
  void write(const Job& job, const topo::Topology& topo);
  lua_State* L_;
  int data_ref_ = -1, proxy_ref_ = -1;
};

// Pushes a fresh (non-shared) read-only job table: for order(), whose queue
// holds several jobs at once.
void push_fresh_job(lua_State* L, const Job& job, const topo::Topology& topo);

}  // namespace suanwang::lua

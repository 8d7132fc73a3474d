// NetView: the read-only, live `net` argument of the policy hooks.
//
// Performance is the point here: a place() over ~35 centers must cost a few
// microseconds, so nothing is rebuilt per call. Once per NetState layout
// (topology, number of centers and pools) rebuild() makes a tree of plain Lua
// tables, one per center and per pool, each behind a read-only proxy
// (lua_readonly.hpp). A view is either stale, its proxy's __index a writer
// that brings the table up to date from the live NetState the first time the
// policy reads one of its dynamic fields, or fresh, its contents those of
// the live state. Every view starts stale; before every hook call, refresh()
// compares only the fresh views (those read since they last went stale) with
// C++ snapshots of what they show and marks the changed ones stale: a policy
// typically reads a few centers of many, and data_local's net.most_free() or
// least_loaded's net.room() read none, so their decisions compare nothing.
// Links are written when they change. Fields and units: README "net
// (read-only, live)", "center view", "pool view".
//
// Not thread-safe: one NetView per Lua state, used by the thread running it.
#pragma once

#include <algorithm>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "sim/core/job.hpp"
#include "sim/policy/lua_readonly.hpp"
#include "sim/policy/net_state.hpp"
#include "sim/topology/topology.hpp"

namespace suanwang::lua {

class NetView {
 public:
  // `fallback` is the topology used when a NetState names none (tests).
  NetView(lua_State* L, const topo::Topology* fallback);
  ~NetView();
  NetView(const NetView&) = delete;
  NetView& operator=(const NetView&) = delete;

  // Brings the Lua view up to date with `net` (cheap when little changed).
  // Called by the bridge, on the state's main thread.
  void refresh(const NetState& net);
  // Push onto `L` (the main thread, or the thread of a C function running)
  // the `net` proxy (call refresh() first), a center's or a pool's proxy.
  void push_net(lua_State* L) const;
  void push_center(lua_State* L, int center) const;   // 0-based index
  void push_pool(lua_State* L, int pool) const;       // 0-based index

  // Every C function of the views calls this first with its own lua_State:
  // a policy may read a view inside a coroutine, whose thread is not the
  // main one, and the view's writers must work on the stack of the thread
  // that called them (an error must unwind that thread too).
  void enter(lua_State* L) { L_ = L; }

  // Resolvers used when reading a policy's answer; -1 when unknown.
  int center_by_name(std::string_view name) const;  // center index
  const topo::Topology& topology() const { return *topo_; }
  const NetState* net() const { return net_; }

  // For the latency()/bandwidth()/latency_from() C functions: city index from
  // the argument at `arg` (city name, 1-based city index, or a center view).
  int city_arg(int arg) const;
  // net.has_data()/net.dataset(): a center (view, name or 1-based index) and
  // a dataset (name or job; -1 when none) from the argument at `arg`.
  int center_arg(int arg) const;
  int dataset_arg(int arg) const;
  // A 1-based index (a number, or the integer field `field` of a view) in
  // 1..n at `arg`, 0-based; raises a Lua error naming `what` otherwise.
  int index_arg(int arg, int n, const char* what, const char* field, const char* expected) const;
  void push_latency_from(int city);
  // net.room(job [, options]): pushes (centers, free) for the job at
  // argument `arg`, with the options table (or none) at `arg + 1`.
  void push_room(int arg);
  // net.most_free(job [, options]): pushes (center, free) of net.room's first
  // center in most_free order, or (nil, nil); options: local_data only.
  void push_most_free(int arg);

  // Lazy contents (see the top). kind: kCenter or kPool; i: 0-based index.
  enum Kind : int { kCenter = 0, kPool = 1 };
  // Writes a stale view's dynamic fields and restores its plain __index.
  void freshen(int kind, int i);
  // True when the key at stack index `key` is one of the dynamic fields of
  // views of that kind (static fields are never stale).
  bool is_dynamic_key(int kind, int key) const;
  void push_data(int kind, int i) const;
  // The 0-based index of the view of `kind` at stack index `arg` of `L` (the
  // very proxy this view made, compared by identity; no metamethod runs), or -1.
  int view_index(lua_State* L, int kind, int arg) const;

  // The job of the hook call in progress (its view's address), so that
  // net.room(job) reads the C++ Job instead of the Lua table.
  void set_job(const Job* job, const void* view) { cur_job_ = job; cur_view_ = view; }

 private:
  // What net.room() needs of a job: its chip constraint and its size.
  struct RoomRequest {
    ChipRequirement req = ChipRequirement::any;
    std::string_view chip;  // for ChipRequirement::specific
    double gpus = 1;
  };

  // The fields of a pool that its center's totals read: PoolTotals adds
  // these and nothing else, so a snapshot of them (center_pool_snap_) says
  // whether a center's totals may have changed.
  struct PoolSums {
    double free = 0, start = 0, share = 0;
    int total = 0;
    static PoolSums of(const PoolState& ps) { return {ps.free_chips, ps.start_chips, ps.start_share, ps.total_chips}; }
    bool operator==(const PoolSums&) const = default;
  };
  // A center's pools summed per chip constraint, so that a policy checks
  // "cuda"/"domestic" in O(1). free_*: free chips over the admitted pools;
  // max_free_*: the most whole chips one job could start with now in one
  // admitted pool (a job runs in one pool; on servers, free chips scattered
  // over servers do not count); max_share_*: the largest vGPU share that could
  // start now; largest_*: the biggest admitted pool.
  struct PoolTotals {
    double free = 0, max_free = 0, max_share = 0;
    int largest = 0;
    void add(const PoolState& ps) { add(PoolSums::of(ps)); }
    void add(const PoolSums& s) {
      free += s.free;
      max_free = std::max(max_free, s.start);
      max_share = std::max(max_share, s.share);
      largest = std::max(largest, s.total);
    }
    // The one rule: could a job of `gpus` chips start now in one of the pools?
    bool could_start(double gpus) const { return (gpus < 1 ? max_share : max_free) >= gpus; }
  };
  // A center's totals: [0] all its pools, [1] the CUDA ones, [2] the domestic ones.
  void center_totals(int c, const NetState& net, PoolTotals out[3]) const;

  // Layout: the tables, made once per layout.
  void rebuild(const NetState& net);
  void release_all();
  void build_city_index();
  void build_pool(int p, const NetState& net);
  void build_center(int c, const NetState& net);
  void build_net(const NetState& net);
  void add_data_functions(int net_table);  // data_functions.cpp
  // Contents: the dynamic fields.
  void full_refresh(const NetState& net);
  void refresh_changed(const NetState& net);
  // Marks stale, and drops from fresh_[kind], the fresh views for which
  // changed(i) is true.
  template <class Changed>
  void stale_changed(int kind, Changed changed);
  void refresh_links(const NetState& net);
  void write_center(int c, const NetState& net);
  void write_pool(int p, const NetState& net);
  void keep_lazy(int kind, int i, int t, const std::string& label);
  void mark_stale(int kind, int i);
  void learn_dynamic_keys(int kind, const NetState& net);
  // net.room()
  struct RoomOptions {
    bool most_free = false;   // order = "most_free": most free chips first, ties in index order
    bool local_data = false;  // only centers that read the job's dataset without the backbone
  };
  RoomRequest room_request(int arg) const;
  // `fn` names the function in errors; `with_order`: whether `order` is an option.
  RoomOptions room_options(int arg, const char* fn, bool with_order) const;
  void collect_room(int arg, const RoomOptions& opt);
  void fill_room(const RoomOptions& opt, int list, int free);
  // Per accelerator: whether the request admits it (topo::can_run), for
  // the request of the last call: consecutive calls mostly ask for the same
  // constraint, so the table is reused until the constraint changes.
  const std::vector<char>& admitted_accelerators(const RoomRequest& job);

  lua_State* const main_;  // the state's main thread, where the bridge calls from
  lua_State* L_;           // the thread of the call in progress (see enter())
  const topo::Topology* fallback_;
  const topo::Topology* topo_ = nullptr;
  const NetState* net_ = nullptr;
  bool built_ = false;
  Refs net_refs_;
  int city_index_ref_ = LUA_NOREF, link_load_ref_ = LUA_NOREF, link_up_ref_ = LUA_NOREF;
  // net.room(): its two result arrays, reused call after call, and their length.
  int room_list_ref_ = LUA_NOREF, room_free_ref_ = LUA_NOREF;
  long long room_len_ = 0;
  std::vector<std::pair<double, int>> room_;  // (free chips, center) of the call in progress
  std::vector<char> room_acc_ok_;             // admitted_accelerators(): the table
  ChipRequirement room_acc_req_ = ChipRequirement::any;  // ... the constraint it is for
  std::string room_acc_chip_;                 // ... and the chip (ChipRequirement::specific)
  const topo::Topology* room_acc_topo_ = nullptr;  // ... and the topology; nullptr: none yet
  std::uint64_t links_version_seen_ = 0;  // NetState::links_version last mirrored
  bool links_seen_ = false;
  std::vector<Refs> centers_, pools_;
  // Per kind: which views are stale, their writer closures (registry refs),
  // and the set of dynamic field names (a registry table, learnt at layout).
  std::vector<char> stale_[2];
  std::vector<int> fresh_[2];  // exactly the views that are not stale (freshen adds, refresh_changed drops)
  std::vector<int> stale_fn_[2];
  int dynamic_keys_ref_[2] = {LUA_NOREF, LUA_NOREF};
  std::unordered_map<const void*, int> view_of_[2];  // proxy address -> index
  // Snapshots of the dynamic fields last written to Lua.
  struct CenterSnap {
    bool up; double price, carbon, free; int total, queued, inbound; double cache_used;
  };
  struct PoolSnap {
    int total, queued, running; double free, queued_chips, start, start_share;
  };
  std::vector<CenterSnap> csnap_;
  std::vector<PoolSnap> psnap_;
  std::vector<PoolSums> center_pool_snap_;  // per pool: as its center's view was last written
  std::vector<double> link_util_snap_;
  std::vector<char> link_up_snap_;
  // latency_from(city) caches: per city a Lua array (by center), its
  // snapshot, and the refresh generation it was last brought up to date in.
  std::vector<Refs> lat_from_;
  std::vector<std::vector<double>> lat_from_snap_;
  std::vector<std::uint64_t> lat_from_gen_;
  std::uint64_t generation_ = 0;
  std::map<std::string, int, std::less<>> center_by_name_;
  const Job* cur_job_ = nullptr;
  const void* cur_view_ = nullptr;
};

}  // namespace suanwang::lua

#include "sim/policy/net_view.hpp"

#include <algorithm>
#include <cstring>
#include <limits>
#include <numeric>

#include "sim/core/text.hpp"
#include "sim/core/units.hpp"
#include "sim/topology/chip_rules.hpp"

namespace suanwang::lua {

namespace {

// The NetView of a C function (upvalue 1), entered on the calling thread.
NetView* self(lua_State* L) {
  auto* v = static_cast<NetView*>(lua_touserdata(L, lua_upvalueindex(1)));
  v->enter(L);
  return v;
}

int l_latency(lua_State* L) {
  NetView* v = self(L);
  const int a = v->city_arg(1), b = v->city_arg(2);
  lua_pushnumber(L, v->net()->latency(a, b));
  return 1;
}
int l_bandwidth(lua_State* L) {
  NetView* v = self(L);
  const int a = v->city_arg(1), b = v->city_arg(2);
  lua_pushnumber(L, v->net()->bandwidth(a, b));
  return 1;
}
int l_latency_from(lua_State* L) {
  NetView* v = self(L);
  v->push_latency_from(v->city_arg(1));
  return 1;
}
int l_room(lua_State* L) {
  self(L)->push_room(1);
  return 2;
}
int l_most_free(lua_State* L) {
  self(L)->push_most_free(1);
  return 2;
}
int l_center(lua_State* L) {
  NetView* v = self(L);
  size_t n = 0;
  const char* s = luaL_checklstring(L, 1, &n);
  const int c = v->center_by_name(std::string_view(s, n));
  if (c < 0) lua_pushnil(L); else v->push_center(L, c);
  return 1;
}

// pool.server(i) -> { index, gpus, gpu_free = {...}, free_gpus, cpu_free, memory_free }
int l_pool_server(lua_State* L) {
  const NetView* v = static_cast<const NetView*>(lua_touserdata(L, lua_upvalueindex(1)));
  const int pool = static_cast<int>(lua_tointeger(L, lua_upvalueindex(2)));
  const ServerView* sv = v->net() ? v->net()->pools[static_cast<std::size_t>(pool)].server_view : nullptr;
  const lua_Integer i = luaL_checkinteger(L, 1);
  if (sv == nullptr) return luaL_error(L, "pool.server: this pool's servers are not visible outside a hook");
  if (i < 1 || i > sv->servers()) return luaL_error(L, "pool.server(%d): expected 1..%d", static_cast<int>(i), sv->servers());
  const int s = static_cast<int>(i - 1);
  lua_createtable(L, 0, 6);
  const int t = lua_gettop(L);
  set_int(L, t, "index", i);
  set_int(L, t, "gpus", sv->gpus(s));
  lua_createtable(L, sv->gpus(s), 0);
  int whole = 0;
  for (int g = 0; g < sv->gpus(s); ++g) {
    const double f = sv->gpu_free(s, g);
    whole += f >= 1.0;
    lua_pushnumber(L, f);
    lua_rawseti(L, -2, g + 1);
  }
  lua_setfield(L, t, "gpu_free");
  set_int(L, t, "free_gpus", whole);
  set_num(L, t, "cpu_free", sv->cpu_free(s));
  set_num(L, t, "memory_free", sv->memory_free(s));
  return 1;
}

// __index of a stale center or pool view (upvalues: the NetView, the kind,
// the 0-based index): a dynamic field brings the view up to date first.
int l_stale_index(lua_State* L) {
  NetView* v = self(L);
  const int kind = static_cast<int>(lua_tointeger(L, lua_upvalueindex(2)));
  const int i = static_cast<int>(lua_tointeger(L, lua_upvalueindex(3)));
  if (v->is_dynamic_key(kind, 2)) v->freshen(kind, i);
  v->push_data(kind, i);
  lua_pushvalue(L, 2);
  lua_rawget(L, -2);
  return 1;
}

// __pairs of center and pool views: the contents brought up to date first.
int l_lazy_pairs(lua_State* L) {
  NetView* v = self(L);
  const int kind = static_cast<int>(lua_tointeger(L, lua_upvalueindex(2)));
  const int i = static_cast<int>(lua_tointeger(L, lua_upvalueindex(3)));
  v->freshen(kind, i);
  v->push_data(kind, i);
  return push_pairs_of(L, -1);
}

void push_view_closure(lua_State* L, NetView* v, lua_CFunction fn, int kind, int i) {
  lua_pushlightuserdata(L, v);
  lua_pushinteger(L, kind);
  lua_pushinteger(L, i);
  lua_pushcclosure(L, fn, 3);
}

std::vector<int> first_n(int n) {
  std::vector<int> v(static_cast<std::size_t>(n));
  std::iota(v.begin(), v.end(), 0);
  return v;
}


// The city fields of a center view: fixed for a layout.
void write_city_fields(lua_State* L, int t, const topo::Topology& T, const topo::City& city) {
  set_str(L, t, "name", city.name);
  set_str(L, t, "province", city.province);
  set_num(L, t, "lat", city.lat_deg);
  set_num(L, t, "lon", city.lon_deg);
  set_str(L, t, "hub", city.hub);
  set_str(L, t, "grid", city.grid);
  set_num(L, t, "pue", city.pue);
  // The grid's factor before green power, the green share, and the factor's
  // mean over a day as the run charges it (green power applied or not; the
  // annual factor's day: hourly multipliers average 1). carbon and carbon_it,
  // which change with the hour, are written by write_center.
  set_num(L, t, "grid_carbon", city.grid_carbon_kg_per_J * units::kJoulePerKWh);
  set_num(L, t, "green_share", city.green_share);
  const double green = T.carbon_choice.green_power ? 1.0 - city.green_share : 1.0;
  set_num(L, t, "carbon_mean", city.grid_carbon_kg_per_J * green * units::kJoulePerKWh);
}

// A new array with room for `n` entries, kept in the registry; returns its reference.
int new_registered_table(lua_State* L, int n) {
  lua_createtable(L, n, 0);
  return luaL_ref(L, LUA_REGISTRYINDEX);
}

}  // namespace

NetView::NetView(lua_State* L, const topo::Topology* fallback) : main_(L), L_(L), fallback_(fallback) {}

NetView::~NetView() = default;  // the Lua state owns the tables; it dies with the sandbox

// ---------------------------------------------------------------- layout

void NetView::rebuild(const NetState& net) {
  topo_ = net.topology ? net.topology : fallback_;
  room_acc_topo_ = nullptr;  // a new layout may come with another topology at the same address
  release_all();
  const std::size_t ncity = topo_->cities.size();
  centers_.assign(net.centers.size(), {});
  pools_.assign(net.pools.size(), {});
  lat_from_.assign(ncity, {});
  lat_from_snap_.assign(ncity, {});
  lat_from_gen_.assign(ncity, 0);
  center_by_name_.clear();
  build_city_index();
  for (int kind : {kCenter, kPool}) {
    const std::size_t n = kind == kCenter ? net.centers.size() : net.pools.size();
    stale_[kind].assign(n, 0);
    stale_fn_[kind].assign(n, LUA_NOREF);
  }
  csnap_.assign(net.centers.size(), {});
  psnap_.assign(net.pools.size(), {});
  center_pool_snap_.assign(net.pools.size(), {});
  for (int p = 0; p < static_cast<int>(net.pools.size()); ++p) build_pool(p, net);
  for (int c = 0; c < static_cast<int>(net.centers.size()); ++c) build_center(c, net);
  build_net(net);
  learn_dynamic_keys(kPool, net);
  learn_dynamic_keys(kCenter, net);
  link_util_snap_.clear();
  link_up_snap_.clear();
  built_ = true;
}

void NetView::release_all() {
  for (auto* refs : {&centers_, &pools_, &lat_from_})
    for (Refs& r : *refs) release(L_, r);
  for (int kind : {kCenter, kPool}) {
    for (int& r : stale_fn_[kind]) luaL_unref(L_, LUA_REGISTRYINDEX, r);
    stale_fn_[kind].clear();
    stale_[kind].clear();
    fresh_[kind].clear();
    luaL_unref(L_, LUA_REGISTRYINDEX, dynamic_keys_ref_[kind]);
    dynamic_keys_ref_[kind] = LUA_NOREF;
    view_of_[kind].clear();
  }
  release(L_, net_refs_);
  for (int* r : {&city_index_ref_, &link_load_ref_, &link_up_ref_}) {
    luaL_unref(L_, LUA_REGISTRYINDEX, *r);
    *r = LUA_NOREF;
  }
}

// city name -> 1-based index, for latency("Shanghai", ...)
void NetView::build_city_index() {
  const auto& cities = topo_->cities;
  lua_createtable(L_, 0, static_cast<int>(cities.size()));
  for (std::size_t i = 0; i < cities.size(); ++i) {
    lua_pushinteger(L_, static_cast<lua_Integer>(i + 1));
    lua_setfield(L_, -2, cities[i].name.c_str());
  }
  city_index_ref_ = luaL_ref(L_, LUA_REGISTRYINDEX);
}

void NetView::build_pool(int p, const NetState& net) {
  lua_State* L = L_;
  const topo::Topology& T = *topo_;
  const PoolState& ps = net.pools[p];
  lua_createtable(L, 0, 16);
  const int t = lua_gettop(L);
  set_int(L, t, "index", p + 1);
  set_int(L, t, "center_index", ps.center + 1);
  if (ps.center >= 0 && ps.center < static_cast<int>(net.centers.size())) {
    const int city = net.centers[ps.center].city;
    if (city >= 0 && city < static_cast<int>(T.cities.size())) set_str(L, t, "center", T.cities[city].name);
  }
  if (ps.accel >= 0 && ps.accel < static_cast<int>(T.accelerators.size())) {
    const topo::Accelerator& a = T.accelerators[ps.accel];
    set_str(L, t, "chip", a.id);
    set_str(L, t, "vendor", a.vendor);
    set_bool(L, t, "domestic", a.domestic());
    set_bool(L, t, "cuda", a.cuda);
    set_num(L, t, "fp16", a.fp16_flops);
    set_num(L, t, "memory", a.memory_B);
  }
  set_int(L, t, "servers", ps.servers);
  set_int(L, t, "per_server", ps.per_server);
  if (ps.servers > 0) {  // pool.server(i): one server's free resources now
    lua_pushlightuserdata(L, this);
    lua_pushinteger(L, p);
    lua_pushcclosure(L, l_pool_server, 2);
    lua_setfield(L, t, "server");
  }
  keep_lazy(kPool, p, t, "net.pools[" + std::to_string(p + 1) + "]");
  lua_pop(L, 1);
}

void NetView::build_center(int c, const NetState& net) {
  lua_State* L = L_;
  const topo::Topology& T = *topo_;
  const CenterState& cs = net.centers[c];
  const std::string label = "net.centers[" + std::to_string(c + 1) + "]";
  lua_createtable(L, 0, 28);
  const int t = lua_gettop(L);
  set_int(L, t, "index", c + 1);
  set_int(L, t, "city", cs.city + 1);
  if (cs.city >= 0 && cs.city < static_cast<int>(T.cities.size())) {
    write_city_fields(L, t, T, T.cities[cs.city]);
    center_by_name_.emplace(T.cities[cs.city].name, c);
  }
  push_proxy_array(L, cs.pools, pools_, label + ".pools");
  lua_setfield(L, t, "pools");
  bool any_cuda = false, any_domestic = false;
  for (int p : cs.pools) {
    const int acc = net.pools[p].accel;
    if (acc < 0 || acc >= static_cast<int>(T.accelerators.size())) continue;
    any_cuda = any_cuda || topo::can_run(ChipRequirement::cuda, "", T.accelerators[acc]);
    any_domestic = any_domestic || topo::can_run(ChipRequirement::domestic, "", T.accelerators[acc]);
  }
  set_bool(L, t, "cuda", any_cuda);
  set_bool(L, t, "domestic", any_domestic);
  keep_lazy(kCenter, c, t, label);
  lua_pop(L, 1);
}

void NetView::build_net(const NetState& net) {
  lua_State* L = L_;
  lua_createtable(L, 0, 16);
  const int t = lua_gettop(L);
  push_proxy_array(L, first_n(static_cast<int>(net.centers.size())), centers_, "net.centers");
  lua_setfield(L, t, "centers");
  push_proxy_array(L, first_n(static_cast<int>(net.pools.size())), pools_, "net.pools");
  lua_setfield(L, t, "pools");
  const int nl = static_cast<int>(topo_->links.size());
  for (auto [field, ref] : {std::pair{"link_load", &link_load_ref_}, std::pair{"link_up", &link_up_ref_}}) {
    lua_createtable(L, 0, nl);
    lua_pushvalue(L, -1);
    *ref = luaL_ref(L, LUA_REGISTRYINDEX);
    push_readonly(L, -1, std::string("net.") + field);
    lua_setfield(L, t, field);
    lua_pop(L, 1);
  }
  const std::pair<const char*, lua_CFunction> fns[] = {
      {"latency", l_latency}, {"bandwidth", l_bandwidth}, {"latency_from", l_latency_from},
      {"center", l_center}, {"room", l_room}, {"most_free", l_most_free}};
  for (const auto& [name, fn] : fns) {
    lua_pushlightuserdata(L, this);
    lua_pushcclosure(L, fn, 1);
    lua_setfield(L, t, name);
  }
  add_data_functions(t);
  net_refs_ = keep_readonly(L, t, "net");
  lua_pop(L, 1);
}

// ---------------------------------------------------------------- contents

// Registers the data table at `t` as view `i` of `kind`: a read-only proxy
// whose __pairs brings it up to date, and the writer its __index becomes
// when it is stale.
void NetView::keep_lazy(int kind, int i, int t, const std::string& label) {
  push_view_closure(L_, this, l_lazy_pairs, kind, i);
  Refs& refs = (kind == kCenter ? centers_ : pools_)[static_cast<std::size_t>(i)];
  refs = keep_readonly(L_, t, label, -1);
  lua_pop(L_, 1);
  lua_rawgeti(L_, LUA_REGISTRYINDEX, refs.proxy);
  view_of_[kind][lua_topointer(L_, -1)] = i;
  lua_pop(L_, 1);
  push_view_closure(L_, this, l_stale_index, kind, i);
  stale_fn_[kind][static_cast<std::size_t>(i)] = luaL_ref(L_, LUA_REGISTRYINDEX);
}

// Learns which fields of the views of `kind` the writers add: the keys a
// view's table holds after its first write and did not hold before.
void NetView::learn_dynamic_keys(int kind, const NetState& net) {
  lua_State* L = L_;
  const std::vector<Refs>& refs = kind == kCenter ? centers_ : pools_;
  lua_createtable(L, 0, 32);
  const int dynamic = lua_gettop(L);
  for (std::size_t i = 0; i < refs.size(); ++i) {
    lua_rawgeti(L, LUA_REGISTRYINDEX, refs[i].data);
    const int data = lua_gettop(L);
    lua_createtable(L, 0, 32);
    const int before = lua_gettop(L);
    for (lua_pushnil(L); lua_next(L, data) != 0;) {
      lua_pop(L, 1);
      lua_pushvalue(L, -1);
      lua_pushboolean(L, 1);
      lua_rawset(L, before);
    }
    if (kind == kCenter) write_center(static_cast<int>(i), net); else write_pool(static_cast<int>(i), net);
    for (lua_pushnil(L); lua_next(L, data) != 0;) {
      lua_pop(L, 1);
      lua_pushvalue(L, -1);
      if (lua_rawget(L, before) == LUA_TNIL) {
        lua_pushvalue(L, -2);
        lua_pushboolean(L, 1);
        lua_rawset(L, dynamic);
      }
      lua_pop(L, 1);
    }
    lua_pop(L, 2);
  }
  dynamic_keys_ref_[kind] = luaL_ref(L, LUA_REGISTRYINDEX);
}

bool NetView::is_dynamic_key(int kind, int key) const {
  lua_rawgeti(L_, LUA_REGISTRYINDEX, dynamic_keys_ref_[kind]);
  lua_pushvalue(L_, key);
  const bool dynamic = lua_rawget(L_, -2) != LUA_TNIL;
  lua_pop(L_, 2);
  return dynamic;
}

int NetView::view_index(lua_State* L, int kind, int arg) const {
  if (lua_type(L, arg) != LUA_TTABLE) return -1;
  const auto it = view_of_[kind].find(lua_topointer(L, arg));
  return it == view_of_[kind].end() ? -1 : it->second;
}

void NetView::push_data(int kind, int i) const {
  lua_rawgeti(L_, LUA_REGISTRYINDEX, (kind == kCenter ? centers_ : pools_)[static_cast<std::size_t>(i)].data);
}

// The view's __index becomes its writer (once: a stale view stays stale).
void NetView::mark_stale(int kind, int i) {
  char& stale = stale_[kind][static_cast<std::size_t>(i)];
  if (stale) return;
  stale = 1;
  lua_rawgeti(L_, LUA_REGISTRYINDEX, (kind == kCenter ? centers_ : pools_)[static_cast<std::size_t>(i)].meta);
  lua_rawgeti(L_, LUA_REGISTRYINDEX, stale_fn_[kind][static_cast<std::size_t>(i)]);
  lua_setfield(L_, -2, "__index");
  lua_pop(L_, 1);
}

void NetView::freshen(int kind, int i) {
  char& stale = stale_[kind][static_cast<std::size_t>(i)];
  if (!stale) return;
  stale = 0;
  fresh_[kind].push_back(i);
  if (kind == kCenter) write_center(i, *net_); else write_pool(i, *net_);
  const Refs& r = (kind == kCenter ? centers_ : pools_)[static_cast<std::size_t>(i)];
  lua_rawgeti(L_, LUA_REGISTRYINDEX, r.meta);
  lua_rawgeti(L_, LUA_REGISTRYINDEX, r.data);
  lua_setfield(L_, -2, "__index");
  lua_pop(L_, 1);
}

void NetView::write_pool(int p, const NetState& net) {
  lua_State* L = L_;
  const PoolState& ps = net.pools[p];
  lua_rawgeti(L, LUA_REGISTRYINDEX, pools_[p].data);
  const int t = lua_gettop(L);
  set_int(L, t, "total", ps.total_chips);
  set_num(L, t, "free", ps.free_chips);
  set_int(L, t, "queued", ps.queued_jobs);
  set_num(L, t, "queued_chips", ps.queued_chips);
  set_int(L, t, "running", ps.running_jobs);
  set_num(L, t, "start", ps.start_chips);
  set_num(L, t, "start_share", ps.start_share);
  lua_pop(L, 1);
  psnap_[p] = {ps.total_chips, ps.queued_jobs, ps.running_jobs, ps.free_chips, ps.queued_chips,
               ps.start_chips, ps.start_share};
}

void NetView::center_totals(int c, const NetState& net, PoolTotals out[3]) const {
  out[0] = out[1] = out[2] = PoolTotals{};
  const auto& accs = topo_->accelerators;
  for (int p : net.centers[c].pools) {
    const PoolState& ps = net.pools[p];
    out[0].add(ps);
    if (ps.accel < 0 || ps.accel >= static_cast<int>(accs.size())) continue;
    if (topo::can_run(ChipRequirement::cuda, "", accs[ps.accel])) out[1].add(ps);
    if (topo::can_run(ChipRequirement::domestic, "", accs[ps.accel])) out[2].add(ps);
  }
}

void NetView::write_center(int c, const NetState& net) {
  lua_State* L = L_;
  const CenterState& cs = net.centers[c];
  lua_rawgeti(L, LUA_REGISTRYINDEX, centers_[c].data);
  const int t = lua_gettop(L);
  set_bool(L, t, "up", cs.up);
  set_num(L, t, "price", cs.price_cny_per_J * units::kJoulePerKWh);
  set_num(L, t, "carbon", cs.carbon_kg_per_J * units::kJoulePerKWh);
  if (cs.city >= 0 && cs.city < static_cast<int>(topo_->cities.size())) {
    const double pue = topo_->cities[cs.city].pue;
    set_num(L, t, "price_it", cs.price_cny_per_J * units::kJoulePerKWh * pue);
    set_num(L, t, "carbon_it", cs.carbon_kg_per_J * units::kJoulePerKWh * pue);
  }
  set_int(L, t, "total_chips", cs.total_chips);
  set_num(L, t, "free_chips", cs.free_chips);
  set_int(L, t, "queued_jobs", cs.queued_jobs);
  set_int(L, t, "inbound", cs.inbound_transfers);
  PoolTotals totals[3];
  center_totals(c, net, totals);
  const PoolTotals& all = totals[0];
  const PoolTotals& cuda = totals[1];
  const PoolTotals& domestic = totals[2];
  set_num(L, t, "free_cuda", cuda.free);
  set_num(L, t, "free_domestic", domestic.free);
  set_num(L, t, "max_free", all.max_free);
  set_num(L, t, "max_free_cuda", cuda.max_free);
  set_num(L, t, "max_free_domestic", domestic.max_free);
  set_num(L, t, "max_share", all.max_share);
  set_num(L, t, "max_share_cuda", cuda.max_share);
  set_num(L, t, "max_share_domestic", domestic.max_share);
  set_int(L, t, "largest_pool", all.largest);
  set_int(L, t, "largest_cuda_pool", cuda.largest);
  set_int(L, t, "largest_domestic_pool", domestic.largest);
  const double cache_used = net.data ? net.data->cache_used_B(c) : 0.0;
  if (net.data) {
    set_num(L, t, "cache", net.data->cache_capacity_B(c));
    set_num(L, t, "cache_free", net.data->cache_capacity_B(c) - cache_used);
  }
  lua_pop(L, 1);
  csnap_[c] = {cs.up, cs.price_cny_per_J, cs.carbon_kg_per_J, cs.free_chips, cs.total_chips, cs.queued_jobs,
               cs.inbound_transfers, cache_used};
  for (const int p : cs.pools) center_pool_snap_[static_cast<std::size_t>(p)] = PoolSums::of(net.pools[p]);
}

// Every view goes stale: each is written from `net` when first read.
void NetView::full_refresh(const NetState& net) {
  for (int kind : {kPool, kCenter}) {
    fresh_[kind].clear();
    const int n = static_cast<int>(kind == kPool ? net.pools.size() : net.centers.size());
    for (int i = 0; i < n; ++i) mark_stale(kind, i);
  }
  link_util_snap_.clear();
  link_up_snap_.clear();
}

template <class Changed>
void NetView::stale_changed(int kind, Changed changed) {
  std::vector<int>& fresh = fresh_[kind];
  std::size_t kept = 0;
  for (const int i : fresh) {
    if (changed(i)) mark_stale(kind, i);
    else fresh[kept++] = i;
  }
  fresh.resize(kept);
}

// Marks stale the fresh views whose contents differ from what the live state
// would write. A stale view needs no comparison (it is written from the
// live state when read), so only the views read since they last went stale
// are compared: a policy that reads no view (net.most_free) costs nothing
// here, one that reads every center compares every center. A center is
// compared on its own fields and on the fields of its pools it sums, so a
// pool change reaches it whether or not the pool's own view is fresh.
void NetView::refresh_changed(const NetState& net) {
  stale_changed(kPool, [&](int p) {
    const PoolState& ps = net.pools[p];
    const PoolSnap& s = psnap_[p];
    return s.total != ps.total_chips || s.free != ps.free_chips || s.queued != ps.queued_jobs ||
           s.running != ps.running_jobs || s.queued_chips != ps.queued_chips || s.start != ps.start_chips ||
           s.start_share != ps.start_share;
  });
  stale_changed(kCenter, [&](int c) {
    const CenterState& cs = net.centers[c];
    const CenterSnap& s = csnap_[c];
    if (s.up != cs.up || s.price != cs.price_cny_per_J || s.carbon != cs.carbon_kg_per_J || s.free != cs.free_chips ||
        s.total != cs.total_chips || s.queued != cs.queued_jobs || s.inbound != cs.inbound_transfers ||
        (net.data && s.cache_used != net.data->cache_used_B(c)))
      return true;
    for (const int p : cs.pools)
      if (!(center_pool_snap_[static_cast<std::size_t>(p)] == PoolSums::of(net.pools[p]))) return true;
    return false;
  });
}

// net.link_load and net.link_up, keyed by link name: only the entries that changed.
void NetView::refresh_links(const NetState& net) {
  lua_State* L = L_;
  const auto& links = topo_->links;
  const std::size_t nl = links.size();
  if (net.link_utilization.size() == nl) {
    if (link_util_snap_.size() != nl) link_util_snap_.assign(nl, std::numeric_limits<double>::quiet_NaN());
    LazyTable load(L, link_load_ref_);
    for (std::size_t i = 0; i < nl; ++i) {
      if (link_util_snap_[i] == net.link_utilization[i]) continue;
      load.open();
      lua_pushnumber(L, net.link_utilization[i]);
      lua_setfield(L, -2, links[i].name().c_str());
      link_util_snap_[i] = net.link_utilization[i];
    }
  }
  if (net.link_up.size() == nl) {
    if (link_up_snap_.size() != nl) link_up_snap_.assign(nl, 2);
    LazyTable up_table(L, link_up_ref_);
    for (std::size_t i = 0; i < nl; ++i) {
      const char up = net.link_up[i] ? 1 : 0;
      if (link_up_snap_[i] == up) continue;
      up_table.open();
      lua_pushboolean(L, up);
      lua_setfield(L, -2, links[i].name().c_str());
      link_up_snap_[i] = up;
    }
  }
}

void NetView::refresh(const NetState& net) {
  enter(main_);
  ++generation_;
  const topo::Topology* t = net.topology ? net.topology : fallback_;
  const bool layout = !built_ || t != topo_ || net.centers.size() != centers_.size() ||
                      net.pools.size() != pools_.size();
  if (layout) rebuild(net);
  if (layout || &net != net_) {
    net_ = &net;
    full_refresh(net);
  } else {
    refresh_changed(net);
  }
  lua_rawgeti(L_, LUA_REGISTRYINDEX, net_refs_.data);
  const int nt = lua_gettop(L_);
  set_num(L_, nt, "now", net.now_s);
  set_int(L_, nt, "waiting", net.waiting_jobs);
  lua_pop(L_, 1);
  // Links: only when the engine says they changed.
  if (!layout && links_version_seen_ == net.links_version && links_seen_) return;
  links_version_seen_ = net.links_version;
  links_seen_ = true;
  refresh_links(net);
}

void NetView::push_net(lua_State* L) const { lua_rawgeti(L, LUA_REGISTRYINDEX, net_refs_.proxy); }
void NetView::push_center(lua_State* L, int c) const { lua_rawgeti(L, LUA_REGISTRYINDEX, centers_[c].proxy); }
void NetView::push_pool(lua_State* L, int p) const { lua_rawgeti(L, LUA_REGISTRYINDEX, pools_[p].proxy); }

int NetView::center_by_name(std::string_view name) const {
  const auto it = center_by_name_.find(name);
  return it == center_by_name_.end() ? -1 : it->second;
}

// ---------------------------------------------------------------- functions of net

int NetView::city_arg(int arg) const {
  lua_State* L = L_;
  const int n = static_cast<int>(topo_->cities.size());
  switch (lua_type(L, arg)) {
    case LUA_TSTRING: {
      lua_rawgeti(L, LUA_REGISTRYINDEX, city_index_ref_);
      lua_pushvalue(L, arg);
      lua_rawget(L, -2);
      const lua_Integer i = lua_isinteger(L, -1) ? lua_tointeger(L, -1) : 0;
      lua_pop(L, 2);
      if (i < 1) {
        {  // C++ temporaries must be gone before lua_error longjmps
          const std::string name = lua_tostring(L, arg);
          const std::string msg = "unknown city \"" + name + "\"" + text::did_you_mean(name, topo_->city_names(), '"');
          luaL_where(L, 1);
          lua_pushlstring(L, msg.data(), msg.size());
        }
        lua_concat(L, 2);
        lua_error(L);
      }
      return static_cast<int>(i) - 1;
    }
    case LUA_TNUMBER:
    case LUA_TTABLE: return index_arg(arg, n, "city", "city", "a city name, index or center");
    default:
      luaL_error(L, "bad argument #%d (expected a city name, index or center, got %s)", arg,
                 luaL_typename(L, arg));
  }
  return -1;
}

int NetView::index_arg(int arg, int n, const char* what, const char* field, const char* expected) const {
  lua_State* L = L_;
  lua_Integer i = 0;
  if (lua_type(L, arg) == LUA_TNUMBER) {
    if (!lua_isinteger(L, arg) || (i = lua_tointeger(L, arg)) < 1 || i > n)
      luaL_error(L, "bad %s index %s (expected 1..%d)", what, lua_tostring(L, arg), n);
    return static_cast<int>(i) - 1;
  }
  lua_getfield(L, arg, field);
  i = lua_isinteger(L, -1) ? lua_tointeger(L, -1) : 0;
  lua_pop(L, 1);
  if (i < 1 || i > n) luaL_error(L, "bad argument #%d (expected %s)", arg, expected);
  return static_cast<int>(i) - 1;
}

void NetView::push_latency_from(int city) {
  lua_State* L = L_;
  const NetState& net = *net_;
  const int nc = static_cast<int>(net.centers.size());
  std::vector<double>& snap = lat_from_snap_[city];
  Refs& refs = lat_from_[city];
  if (!refs.made()) {
    lua_createtable(L, nc, 0);
    refs = keep_readonly(L, -1, "net.latency_from(" + topo_->cities[city].name + ")");
    lua_pop(L, 1);
    snap.assign(nc, std::numeric_limits<double>::quiet_NaN());
    lat_from_gen_[city] = 0;
  }
  if (lat_from_gen_[city] != generation_) {
    lat_from_gen_[city] = generation_;
    const double* row = net.latency_s.data() + static_cast<std::size_t>(city) * net.city_count();
    LazyTable data(L, refs.data);
    for (int c = 0; c < nc; ++c) {
      const double v = row[net.centers[c].city];
      if (v == snap[c]) continue;
      data.open();
      lua_pushnumber(L, v);
      lua_rawseti(L, -2, c + 1);
      snap[c] = v;
    }
  }
  lua_rawgeti(L, LUA_REGISTRYINDEX, refs.proxy);
}

// The job argument of net.room(): the C++ Job when it is the hook's own job
// view, else read from the Lua table (whose chip string stays on the stack,
// below the results, so the view into it stays valid).
NetView::RoomRequest NetView::room_request(int arg) const {
  lua_State* L = L_;
  RoomRequest r;
  if (cur_job_ && lua_topointer(L, arg) == cur_view_) {
    r.req = cur_job_->chip_requirement;
    r.gpus = cur_job_->gpus;
    r.chip = cur_job_->chip;
    return r;
  }
  luaL_checktype(L, arg, LUA_TTABLE);
  lua_getfield(L, arg, "gpus");
  r.gpus = luaL_checknumber(L, -1);
  lua_getfield(L, arg, "chip_requirement");
  if (const char* req = lua_tostring(L, -1)) parse_chip_requirement(req, &r.req);
  lua_getfield(L, arg, "chip");
  if (lua_type(L, -1) == LUA_TSTRING) r.chip = lua_tostring(L, -1);
  return r;
}

// net.room's options: nil, or a table with `order` ("index", the default,
// or "most_free") and `local_data` (boolean). Anything else is an error: a
// misspelt option would otherwise be ignored without a word.
NetView::RoomOptions NetView::room_options(int arg, const char* fn, bool with_order) const {
  lua_State* L = L_;
  RoomOptions o;
  if (lua_isnoneornil(L, arg)) return o;
  if (lua_type(L, arg) != LUA_TTABLE)
    luaL_error(L, "%s: bad argument #2 (expected an options table or nil, got %s)", fn, luaL_typename(L, arg));
  int known = 0;
  if (with_order && lua_getfield(L, arg, "order") != LUA_TNIL) {
    ++known;
    const char* order = lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1) : nullptr;
    if (order != nullptr && std::strcmp(order, "most_free") == 0) o.most_free = true;
    else if (order == nullptr || std::strcmp(order, "index") != 0)
      luaL_error(L, "%s: options.order must be \"index\" or \"most_free\"", fn);
  }
  if (with_order) lua_pop(L, 1);
  if (lua_getfield(L, arg, "local_data") != LUA_TNIL) {
    ++known;
    if (!lua_isboolean(L, -1)) luaL_error(L, "%s: options.local_data must be true or false", fn);
    o.local_data = lua_toboolean(L, -1) != 0;
  }
  lua_pop(L, 1);
  // Count the keys, stopping at the first one too many: a hostile policy's
  // huge options table costs one step past the known keys, not its size.
  int keys = 0;
  lua_pushnil(L);
  while (lua_next(L, arg) != 0) {  // raw: the order of the keys does not matter here
    lua_pop(L, 1);
    if (++keys > known) {
      lua_pop(L, 1);  // the key lua_next left
      break;
    }
  }
  if (keys != known)
    luaL_error(L, with_order ? "%s: options may only have the keys order and local_data"
                             : "%s: options may only have the key local_data", fn);
  return o;
}

namespace {

// net.room's "most_free" order: most free chips first, ties in index order
// (so its first is a loop's first strict maximum of the free chips).
bool more_free(const std::pair<double, int>& a, const std::pair<double, int>& b) {
  return a.first != b.first ? a.first > b.first : a.second < b.second;
}

}  // namespace

// room_ = (free admitted chips, center) for every center where the job at
// `arg` can start now (and that reads its dataset locally, with local_data),
// in index order: the one rule behind net.room and net.most_free. A job read
// from a Lua table leaves its chip string on the stack: call this before
// pushing results.
void NetView::collect_room(int arg, const RoomOptions& opt) {
  const NetState& net = *net_;
  const DataView* data = net.data;
  const int dataset = opt.local_data && data != nullptr ? dataset_arg(arg) : -1;
  const RoomRequest job = room_request(arg);
  const std::vector<char>& acc_ok = admitted_accelerators(job);
  room_.clear();
  for (int c = 0; c < static_cast<int>(net.centers.size()); ++c) {
    const CenterState& cs = net.centers[c];
    if (!cs.up) continue;
    if (opt.local_data && (dataset < 0 || !data->reads_locally(c, cs.city, dataset))) continue;
    PoolTotals admitted;
    for (int p : cs.pools)
      if (acc_ok[static_cast<std::size_t>(net.pools[p].accel)]) admitted.add(net.pools[p]);
    if (!admitted.could_start(job.gpus)) continue;
    room_.emplace_back(admitted.free, c);
  }
}

const std::vector<char>& NetView::admitted_accelerators(const RoomRequest& job) {
  const bool same = room_acc_topo_ == topo_ && room_acc_req_ == job.req &&
                    (job.req != ChipRequirement::specific || room_acc_chip_ == job.chip);
  if (!same) {
    const auto& accs = topo_->accelerators;
    room_acc_ok_.resize(accs.size());
    for (std::size_t a = 0; a < accs.size(); ++a) room_acc_ok_[a] = topo::can_run(job.req, job.chip, accs[a]);
    room_acc_topo_ = topo_;
    room_acc_req_ = job.req;
    room_acc_chip_.assign(job.chip);
  }
  return room_acc_ok_;
}

// Writes room_ into the arrays at stack indices `list` and `free`, in index
// order or most free first; clears what is left of the previous call's
// entries.
void NetView::fill_room(const RoomOptions& opt, int list, int free) {
  lua_State* L = L_;
  // A policy may have grown or sorted the arrays it got last time.
  const lua_Integer old_len = std::max<lua_Integer>(room_len_, static_cast<lua_Integer>(lua_rawlen(L, list)));
  if (opt.most_free) std::sort(room_.begin(), room_.end(), more_free);
  lua_Integer k = 0;
  for (const auto& [f, c] : room_) {
    ++k;
    lua_rawgeti(L, LUA_REGISTRYINDEX, centers_[c].proxy);
    lua_rawseti(L, list, k);
    lua_pushnumber(L, f);
    lua_rawseti(L, free, k);
  }
  for (lua_Integer i = k + 1; i <= old_len; ++i) {
    lua_pushnil(L);
    lua_rawseti(L, list, i);
    lua_pushnil(L);
    lua_rawseti(L, free, i);
  }
  room_len_ = k;
}

void NetView::push_room(int arg) {
  const RoomOptions opt = room_options(arg + 1, "net.room", true);
  collect_room(arg, opt);
  // The two result arrays are made once and refilled on every call: fresh
  // tables cost an allocation each and garbage later (a third of a decision).
  if (room_list_ref_ == LUA_NOREF) {
    const int nc = static_cast<int>(net_->centers.size());
    room_list_ref_ = new_registered_table(L_, nc);
    room_free_ref_ = new_registered_table(L_, nc);
    room_len_ = 0;
  }
  lua_rawgeti(L_, LUA_REGISTRYINDEX, room_list_ref_);
  lua_rawgeti(L_, LUA_REGISTRYINDEX, room_free_ref_);
  fill_room(opt, lua_gettop(L_) - 1, lua_gettop(L_));
}

void NetView::push_most_free(int arg) {
  collect_room(arg, room_options(arg + 1, "net.most_free", false));
  if (room_.empty()) {
    lua_pushnil(L_);
    lua_pushnil(L_);
    return;
  }
  // net.room(job, {order = "most_free"})[1], without sorting the rest.
  const auto best = std::min_element(room_.begin(), room_.end(), more_free);
  lua_rawgeti(L_, LUA_REGISTRYINDEX, centers_[best->second].proxy);
  lua_pushnumber(L_, best->first);
}

}  // namespace suanwang::lua

#include "sim/policy/lua_views.hpp"

#include <lua.hpp>

#include <cmath>
#include <cstring>
#include <limits>

#include "sim/core/text.hpp"
#include "sim/core/units.hpp"

namespace suanwang::lua {

namespace {

int ro_newindex(lua_State* L) {
  const char* label = lua_tostring(L, lua_upvalueindex(1));
  const char* key = luaL_tolstring(L, 2, nullptr);
  return luaL_error(L, "%s is read-only (cannot set '%s')", label, key);
}

int ro_len(lua_State* L) {
  lua_pushinteger(L, static_cast<lua_Integer>(lua_rawlen(L, lua_upvalueindex(1))));
  return 1;
}

int ro_pairs(lua_State* L) {
  lua_getglobal(L, "next");
  if (lua_isnil(L, -1)) {  // sandbox hid next? fall back to the C iterator
    lua_pop(L, 1);
    lua_pushcfunction(L, [](lua_State* S) -> int {
      lua_settop(S, 2);
      return lua_next(S, 1) ? 2 : (lua_pushnil(S), 1);
    });
  }
  lua_pushvalue(L, lua_upvalueindex(1));
  lua_pushnil(L);
  return 3;
}

void set_num(lua_State* L, int t, const char* k, double v) {
  lua_pushnumber(L, v);
  lua_setfield(L, t, k);
}
void set_int(lua_State* L, int t, const char* k, lua_Integer v) {
  lua_pushinteger(L, v);
  lua_setfield(L, t, k);
}
void set_str(lua_State* L, int t, const char* k, const std::string& v) {
  lua_pushlstring(L, v.data(), v.size());
  lua_setfield(L, t, k);
}
void set_bool(lua_State* L, int t, const char* k, bool v) {
  lua_pushboolean(L, v);
  lua_setfield(L, t, k);
}

NetView* self(lua_State* L) { return static_cast<NetView*>(lua_touserdata(L, lua_upvalueindex(1))); }

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
int l_center(lua_State* L) {
  NetView* v = self(L);
  size_t n = 0;
  const char* s = luaL_checklstring(L, 1, &n);
  const int c = v->center_by_name(std::string_view(s, n));
  if (c < 0) lua_pushnil(L); else v->push_center(c);
  return 1;
}

void wrap_params(lua_State* L, int t, const std::string& label) {
  t = lua_absindex(L, t);
  lua_pushnil(L);
  while (lua_next(L, t)) {
    if (lua_istable(L, -1)) {
      const std::string key = lua_tostring(L, -2);  // keys are strings here
      const std::string sub = label + "." + key;
      wrap_params(L, -1, sub);
      push_readonly(L, -1, sub);
      lua_pushvalue(L, -3);   // key
      lua_insert(L, -2);      // key proxy
      lua_rawset(L, t);       // replace an existing field: allowed during next
    }
    lua_pop(L, 1);
  }
}

void write_job_fields(lua_State* L, int t, const Job& job, const topo::Topology& topo) {
  set_int(L, t, "id", static_cast<lua_Integer>(job.id));
  lua_pushstring(L, to_string(job.kind));
  lua_setfield(L, t, "kind");
  if (job.origin >= 0 && job.origin < static_cast<int>(topo.cities.size())) {
    lua_pushstring(L, topo.cities[job.origin].name.c_str());
    lua_setfield(L, t, "origin");
  }
  set_int(L, t, "origin_index", job.origin + 1);
  set_num(L, t, "gpus", job.gpus);
  set_num(L, t, "duration", job.duration_s);
  set_num(L, t, "walltime", job.walltime_s);
  set_num(L, t, "dataset", job.dataset_B);
  set_num(L, t, "result", job.result_B);
  set_num(L, t, "latency_bound", job.latency_bound_s);
  set_num(L, t, "submit", job.submit_s);
  set_num(L, t, "checkpoint_interval", job.checkpoint_interval_s);
  lua_pushstring(L, to_string(job.chip_requirement));
  lua_setfield(L, t, "chip_requirement");
  if (job.chip.empty()) lua_pushnil(L); else lua_pushlstring(L, job.chip.data(), job.chip.size());
  lua_setfield(L, t, "chip");
}

}  // namespace

void push_readonly(lua_State* L, int data_index, const std::string& label) {
  data_index = lua_absindex(L, data_index);
  lua_createtable(L, 0, 0);            // proxy
  lua_createtable(L, 0, 5);            // metatable
  lua_pushvalue(L, data_index);
  lua_setfield(L, -2, "__index");
  lua_pushlstring(L, label.data(), label.size());
  lua_pushcclosure(L, ro_newindex, 1);
  lua_setfield(L, -2, "__newindex");
  lua_pushvalue(L, data_index);
  lua_pushcclosure(L, ro_len, 1);
  lua_setfield(L, -2, "__len");
  lua_pushvalue(L, data_index);
  lua_pushcclosure(L, ro_pairs, 1);
  lua_setfield(L, -2, "__pairs");
  lua_pushstring(L, "read-only");
  lua_setfield(L, -2, "__metatable");
  lua_setmetatable(L, -2);
}

void push_params(lua_State* L, const std::map<std::string, ParamValue>& params) {
  lua_newtable(L);
  const int root = lua_gettop(L);
  for (const auto& [key, value] : params) {
    lua_pushvalue(L, root);
    std::size_t start = 0;
    for (;;) {
      const std::size_t dot = key.find('.', start);
      if (dot == std::string::npos) break;
      const std::string part = key.substr(start, dot - start);
      lua_getfield(L, -1, part.c_str());
      if (!lua_istable(L, -1)) {
        lua_pop(L, 1);
        lua_newtable(L);
        lua_pushvalue(L, -1);
        lua_setfield(L, -3, part.c_str());
      }
      lua_remove(L, -2);
      start = dot + 1;
    }
    const std::string leaf = key.substr(start);
    if (const bool* b = std::get_if<bool>(&value)) lua_pushboolean(L, *b);
    else if (const double* d = std::get_if<double>(&value)) {
      if (std::floor(*d) == *d && std::fabs(*d) < 9e15) lua_pushinteger(L, static_cast<lua_Integer>(*d));
      else lua_pushnumber(L, *d);
    } else {
      const std::string& s = std::get<std::string>(value);
      lua_pushlstring(L, s.data(), s.size());
    }
    lua_setfield(L, -2, leaf.c_str());
    lua_pop(L, 1);
  }
  wrap_params(L, root, "params");
  push_readonly(L, root, "params");
  lua_remove(L, root);
}

// ---------------------------------------------------------------- NetView

NetView::NetView(lua_State* L, const topo::Topology* fallback) : L_(L), fallback_(fallback) {}

NetView::~NetView() = default;  // the Lua state owns the tables; it dies with the sandbox

void NetView::rebuild(const NetState& net) {
  lua_State* L = L_;
  topo_ = net.topology ? net.topology : fallback_;
  const topo::Topology& T = *topo_;
  const int nc = static_cast<int>(net.centers.size());
  const int np = static_cast<int>(net.pools.size());
  const int ncity = static_cast<int>(T.cities.size());
  auto unref = [L](int& r) { luaL_unref(L, LUA_REGISTRYINDEX, r); r = -1; };
  for (int& r : center_data_ref_) unref(r);
  for (int& r : center_proxy_ref_) unref(r);
  for (int& r : pool_data_ref_) unref(r);
  for (int& r : pool_proxy_ref_) unref(r);
  for (int& r : lat_from_ref_) unref(r);
  if (net_ref_ >= 0) { unref(net_ref_); unref(net_data_ref_); unref(city_index_ref_); unref(link_load_ref_); unref(link_up_ref_); }
  center_data_ref_.assign(nc, -1);
  center_proxy_ref_.assign(nc, -1);
  pool_data_ref_.assign(np, -1);
  pool_proxy_ref_.assign(np, -1);
  lat_from_ref_.assign(static_cast<std::size_t>(ncity) * 2, -1);
  lat_from_snap_.assign(ncity, {});
  lat_from_gen_.assign(ncity, 0);
  center_by_name_.clear();

  // city name -> 1-based index, for latency("Shanghai", ...)
  lua_createtable(L, 0, ncity);
  for (int i = 0; i < ncity; ++i) {
    lua_pushinteger(L, i + 1);
    lua_setfield(L, -2, T.cities[i].name.c_str());
  }
  city_index_ref_ = luaL_ref(L, LUA_REGISTRYINDEX);

  // pools
  for (int p = 0; p < np; ++p) {
    const PoolState& ps = net.pools[p];
    lua_createtable(L, 0, 16);
    const int t = lua_gettop(L);
    set_int(L, t, "index", p + 1);
    set_int(L, t, "center_index", ps.center + 1);
    if (ps.center >= 0 && ps.center < nc) {
      const int city = net.centers[ps.center].city;
      if (city >= 0 && city < ncity) set_str(L, t, "center", T.cities[city].name);
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
    lua_pushvalue(L, t);
    pool_data_ref_[p] = luaL_ref(L, LUA_REGISTRYINDEX);
    push_readonly(L, t, "net.pools[" + std::to_string(p + 1) + "]");
    pool_proxy_ref_[p] = luaL_ref(L, LUA_REGISTRYINDEX);
    lua_pop(L, 1);
  }

  // centers
  for (int c = 0; c < nc; ++c) {
    const CenterState& cs = net.centers[c];
    lua_createtable(L, 0, 28);
    const int t = lua_gettop(L);
    set_int(L, t, "index", c + 1);
    set_int(L, t, "city", cs.city + 1);
    if (cs.city >= 0 && cs.city < ncity) {
      const topo::City& city = T.cities[cs.city];
      set_str(L, t, "name", city.name);
      set_str(L, t, "province", city.province);
      set_num(L, t, "lat", city.lat_deg);
      set_num(L, t, "lon", city.lon_deg);
      set_str(L, t, "hub", city.hub);
      set_str(L, t, "grid", city.grid);
      set_num(L, t, "pue", city.pue);
      const double carbon = city.grid_index >= 0 && city.grid_index < static_cast<int>(T.grids.size())
                                ? T.grids[city.grid_index].carbon_kg_per_J * units::kJoulePerKWh : 0.0;
      set_num(L, t, "carbon", carbon);
      set_num(L, t, "carbon_it", carbon * city.pue);
      center_by_name_.emplace(city.name, c);
    }
    bool any_cuda = false, any_dom = false;
    lua_createtable(L, static_cast<int>(cs.pools.size()), 0);
    int k = 1;
    for (int p : cs.pools) {
      lua_rawgeti(L, LUA_REGISTRYINDEX, pool_proxy_ref_[p]);
      lua_rawseti(L, -2, k++);
      const int acc = net.pools[p].accel;
      if (acc >= 0 && acc < static_cast<int>(T.accelerators.size())) {
        any_cuda = any_cuda || T.accelerators[acc].cuda;
        any_dom = any_dom || T.accelerators[acc].domestic();
      }
    }
    push_readonly(L, -1, "net.centers[" + std::to_string(c + 1) + "].pools");
    lua_setfield(L, t, "pools");
    lua_pop(L, 1);
    set_bool(L, t, "cuda", any_cuda);
    set_bool(L, t, "domestic", any_dom);
    lua_pushvalue(L, t);
    center_data_ref_[c] = luaL_ref(L, LUA_REGISTRYINDEX);
    push_readonly(L, t, "net.centers[" + std::to_string(c + 1) + "]");
    center_proxy_ref_[c] = luaL_ref(L, LUA_REGISTRYINDEX);
    lua_pop(L, 1);
  }

  // net
  lua_createtable(L, 0, 16);
  const int t = lua_gettop(L);
  lua_createtable(L, nc, 0);
  for (int c = 0; c < nc; ++c) {
    lua_rawgeti(L, LUA_REGISTRYINDEX, center_proxy_ref_[c]);
    lua_rawseti(L, -2, c + 1);
  }
  push_readonly(L, -1, "net.centers");
  lua_setfield(L, t, "centers");
  lua_pop(L, 1);
  lua_createtable(L, np, 0);
  for (int p = 0; p < np; ++p) {
    lua_rawgeti(L, LUA_REGISTRYINDEX, pool_proxy_ref_[p]);
    lua_rawseti(L, -2, p + 1);
  }
  push_readonly(L, -1, "net.pools");
  lua_setfield(L, t, "pools");
  lua_pop(L, 1);
  const int nl = static_cast<int>(T.links.size());
  lua_createtable(L, 0, nl);
  lua_pushvalue(L, -1);
  link_load_ref_ = luaL_ref(L, LUA_REGISTRYINDEX);
  push_readonly(L, -1, "net.link_load");
  lua_setfield(L, t, "link_load");
  lua_pop(L, 1);
  lua_createtable(L, 0, nl);
  lua_pushvalue(L, -1);
  link_up_ref_ = luaL_ref(L, LUA_REGISTRYINDEX);
  push_readonly(L, -1, "net.link_up");
  lua_setfield(L, t, "link_up");
  lua_pop(L, 1);
  const std::pair<const char*, lua_CFunction> fns[] = {
      {"latency", l_latency}, {"bandwidth", l_bandwidth}, {"latency_from", l_latency_from},
      {"center", l_center}, {"room", l_room}};
  for (const auto& [name, fn] : fns) {
    lua_pushlightuserdata(L, this);
    lua_pushcclosure(L, fn, 1);
    lua_setfield(L, t, name);
  }
  lua_pushvalue(L, t);
  net_data_ref_ = luaL_ref(L, LUA_REGISTRYINDEX);
  push_readonly(L, t, "net");
  net_ref_ = luaL_ref(L, LUA_REGISTRYINDEX);
  lua_pop(L, 1);

  csnap_.assign(nc, {});
  psnap_.assign(np, {});
  link_util_snap_.clear();
  link_up_snap_.clear();
  built_ = true;
}

void NetView::write_pool(int p, const NetState& net) {
  lua_State* L = L_;
  const PoolState& ps = net.pools[p];
  lua_rawgeti(L, LUA_REGISTRYINDEX, pool_data_ref_[p]);
  const int t = lua_gettop(L);
  set_int(L, t, "total", ps.total_chips);
  set_num(L, t, "free", ps.free_chips);
  set_int(L, t, "queued", ps.queued_jobs);
  set_num(L, t, "queued_chips", ps.queued_chips);
  set_int(L, t, "running", ps.running_jobs);
  lua_pop(L, 1);
  psnap_[p] = {ps.total_chips, ps.queued_jobs, ps.running_jobs, ps.free_chips, ps.queued_chips};
}

void NetView::write_center(int c, const NetState& net) {
  lua_State* L = L_;
  const CenterState& cs = net.centers[c];
  lua_rawgeti(L, LUA_REGISTRYINDEX, center_data_ref_[c]);
  const int t = lua_gettop(L);
  set_bool(L, t, "up", cs.up);
  set_num(L, t, "price", cs.price_cny_per_J * units::kJoulePerKWh);
  if (cs.city >= 0 && cs.city < static_cast<int>(topo_->cities.size()))
    set_num(L, t, "price_it", cs.price_cny_per_J * units::kJoulePerKWh * topo_->cities[cs.city].pue);
  set_int(L, t, "total_chips", cs.total_chips);
  set_num(L, t, "free_chips", cs.free_chips);
  set_int(L, t, "queued_jobs", cs.queued_jobs);
  set_int(L, t, "inbound", cs.inbound_transfers);
  // Per-constraint aggregates so a policy checks "cuda"/"domestic" in O(1).
  // free_*: sum over matching pools; max_free_*: the most free chips in one
  // matching pool (a job runs in one pool); largest_*: the biggest pool.
  double free_cuda = 0, free_dom = 0, max_free = 0, max_free_cuda = 0, max_free_dom = 0;
  int total_cuda = 0, total_dom = 0, biggest = 0;
  const auto& accs = topo_->accelerators;
  for (int p : cs.pools) {
    const PoolState& ps = net.pools[p];
    biggest = std::max(biggest, ps.total_chips);
    max_free = std::max(max_free, ps.free_chips);
    if (ps.accel < 0 || ps.accel >= static_cast<int>(accs.size())) continue;
    if (accs[ps.accel].cuda) {
      free_cuda += ps.free_chips;
      max_free_cuda = std::max(max_free_cuda, ps.free_chips);
      total_cuda = std::max(total_cuda, ps.total_chips);
    }
    if (accs[ps.accel].domestic()) {
      free_dom += ps.free_chips;
      max_free_dom = std::max(max_free_dom, ps.free_chips);
      total_dom = std::max(total_dom, ps.total_chips);
    }
  }
  set_num(L, t, "free_cuda", free_cuda);
  set_num(L, t, "free_domestic", free_dom);
  set_num(L, t, "max_free", max_free);
  set_num(L, t, "max_free_cuda", max_free_cuda);
  set_num(L, t, "max_free_domestic", max_free_dom);
  set_int(L, t, "largest_pool", biggest);
  set_int(L, t, "largest_cuda_pool", total_cuda);
  set_int(L, t, "largest_domestic_pool", total_dom);
  lua_pop(L, 1);
  csnap_[c] = {cs.up, cs.price_cny_per_J, cs.free_chips, cs.total_chips, cs.queued_jobs,
               cs.inbound_transfers};
}

void NetView::full_refresh(const NetState& net) {
  for (int p = 0; p < static_cast<int>(net.pools.size()); ++p) write_pool(p, net);
  for (int c = 0; c < static_cast<int>(net.centers.size()); ++c) write_center(c, net);
  link_util_snap_.clear();
  link_up_snap_.clear();
}

void NetView::refresh(const NetState& net) {
  ++generation_;
  const topo::Topology* t = net.topology ? net.topology : fallback_;
  const bool layout = !built_ || t != topo_ || net.centers.size() != center_data_ref_.size() ||
                      net.pools.size() != pool_data_ref_.size();
  if (layout) rebuild(net);
  if (layout || &net != net_) {
    net_ = &net;
    full_refresh(net);
  } else {
    const int np = static_cast<int>(net.pools.size());
    const int nc = static_cast<int>(net.centers.size());
    // dirty pools make their center dirty (aggregates)
    thread_local std::vector<char> dirty;
    dirty.assign(nc, 0);
    for (int p = 0; p < np; ++p) {
      const PoolState& ps = net.pools[p];
      const PoolSnap& s = psnap_[p];
      if (s.total != ps.total_chips || s.free != ps.free_chips || s.queued != ps.queued_jobs ||
          s.running != ps.running_jobs || s.queued_chips != ps.queued_chips) {
        write_pool(p, net);
        if (ps.center >= 0 && ps.center < nc) dirty[ps.center] = 1;
      }
    }
    for (int c = 0; c < nc; ++c) {
      const CenterState& cs = net.centers[c];
      const CenterSnap& s = csnap_[c];
      if (dirty[c] || s.up != cs.up || s.price != cs.price_cny_per_J || s.free != cs.free_chips ||
          s.total != cs.total_chips || s.queued != cs.queued_jobs || s.inbound != cs.inbound_transfers)
        write_center(c, net);
    }
  }
  lua_State* L = L_;
  lua_rawgeti(L, LUA_REGISTRYINDEX, net_data_ref_);
  const int nt = lua_gettop(L);
  set_num(L, nt, "now", net.now_s);
  set_int(L, nt, "waiting", net.waiting_jobs);
  lua_pop(L, 1);
  // links: only when the engine says they changed, then only the entries that did
  if (!layout && links_version_seen_ == net.links_version && links_seen_) return;
  links_version_seen_ = net.links_version;
  links_seen_ = true;
  const auto& links = topo_->links;
  const std::size_t nl = links.size();
  if (net.link_utilization.size() == nl) {
    if (link_util_snap_.size() != nl) link_util_snap_.assign(nl, std::numeric_limits<double>::quiet_NaN());
    bool opened = false;
    for (std::size_t i = 0; i < nl; ++i) {
      if (link_util_snap_[i] == net.link_utilization[i]) continue;
      if (!opened) { lua_rawgeti(L, LUA_REGISTRYINDEX, link_load_ref_); opened = true; }
      lua_pushnumber(L, net.link_utilization[i]);
      lua_setfield(L, -2, links[i].name().c_str());
      link_util_snap_[i] = net.link_utilization[i];
    }
    if (opened) lua_pop(L, 1);
  }
  if (net.link_up.size() == nl) {
    if (link_up_snap_.size() != nl) link_up_snap_.assign(nl, 2);
    bool opened = false;
    for (std::size_t i = 0; i < nl; ++i) {
      const char up = net.link_up[i] ? 1 : 0;
      if (link_up_snap_[i] == up) continue;
      if (!opened) { lua_rawgeti(L, LUA_REGISTRYINDEX, link_up_ref_); opened = true; }
      lua_pushboolean(L, up);
      lua_setfield(L, -2, links[i].name().c_str());
      link_up_snap_[i] = up;
    }
    if (opened) lua_pop(L, 1);
  }
}

void NetView::push_net() const { lua_rawgeti(L_, LUA_REGISTRYINDEX, net_ref_); }
void NetView::push_center(int c) const { lua_rawgeti(L_, LUA_REGISTRYINDEX, center_proxy_ref_[c]); }
void NetView::push_pool(int p) const { lua_rawgeti(L_, LUA_REGISTRYINDEX, pool_proxy_ref_[p]); }

int NetView::center_by_name(std::string_view name) const {
  const auto it = center_by_name_.find(name);
  return it == center_by_name_.end() ? -1 : it->second;
}

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
    case LUA_TNUMBER: {
      lua_Integer i = 0;
      if (!lua_isinteger(L, arg) || (i = lua_tointeger(L, arg)) < 1 || i > n)
        luaL_error(L, "bad city index %s (expected 1..%d)", lua_tostring(L, arg), n);
      return static_cast<int>(i) - 1;
    }
    case LUA_TTABLE: {
      lua_getfield(L, arg, "city");
      const lua_Integer i = lua_isinteger(L, -1) ? lua_tointeger(L, -1) : 0;
      lua_pop(L, 1);
      if (i < 1 || i > n) luaL_error(L, "bad argument #%d (expected a city name, index or center)", arg);
      return static_cast<int>(i) - 1;
    }
    default:
      luaL_error(L, "bad argument #%d (expected a city name, index or center, got %s)", arg,
                 luaL_typename(L, arg));
  }
  return -1;
}

void NetView::push_latency_from(int city) {
  lua_State* L = L_;
  const NetState& net = *net_;
  const int nc = static_cast<int>(net.centers.size());
  const int n = net.city_count();
  std::vector<double>& snap = lat_from_snap_[city];
  int& data = lat_from_ref_[2 * city];
  int& proxy = lat_from_ref_[2 * city + 1];
  if (proxy < 0) {
    lua_createtable(L, nc, 0);
    lua_pushvalue(L, -1);
    data = luaL_ref(L, LUA_REGISTRYINDEX);
    push_readonly(L, -1, "net.latency_from(" + topo_->cities[city].name + ")");
    proxy = luaL_ref(L, LUA_REGISTRYINDEX);
    lua_pop(L, 1);
    snap.assign(nc, std::numeric_limits<double>::quiet_NaN());
    lat_from_gen_[city] = 0;
  }
  if (lat_from_gen_[city] != generation_) {
    lat_from_gen_[city] = generation_;
    const double* row = net.latency_s.data() + static_cast<std::size_t>(city) * n;
    bool opened = false;
    for (int c = 0; c < nc; ++c) {
      const double v = row[net.centers[c].city];
      if (v == snap[c]) continue;
      if (!opened) { lua_rawgeti(L, LUA_REGISTRYINDEX, data); opened = true; }
      lua_pushnumber(L, v);
      lua_rawseti(L, -2, c + 1);
      snap[c] = v;
    }
    if (opened) lua_pop(L, 1);
  }
  lua_rawgeti(L, LUA_REGISTRYINDEX, proxy);
}

void NetView::push_room(int arg) {
  lua_State* L = L_;
  const NetState& net = *net_;
  const auto& accs = topo_->accelerators;
  ChipRequirement req = ChipRequirement::any;
  double gpus = 1;
  const char* chip = "";
  if (cur_job_ && lua_topointer(L, arg) == cur_view_) {
    req = cur_job_->chip_requirement;
    gpus = cur_job_->gpus;
    chip = cur_job_->chip.c_str();
  } else {
    luaL_checktype(L, arg, LUA_TTABLE);
    lua_getfield(L, arg, "gpus");
    gpus = luaL_checknumber(L, -1);
    lua_getfield(L, arg, "chip_requirement");
    const char* r = lua_tostring(L, -1);
    lua_getfield(L, arg, "chip");
    if (lua_type(L, -1) == LUA_TSTRING) chip = lua_tostring(L, -1);  // stays on the stack
    if (r && std::strcmp(r, "cuda") == 0) req = ChipRequirement::cuda;
    else if (r && std::strcmp(r, "domestic") == 0) req = ChipRequirement::domestic;
    else if (r && std::strcmp(r, "specific") == 0) req = ChipRequirement::specific;
  }
  const int nc = static_cast<int>(net.centers.size());
  // The two result arrays are made once and refilled on every call: fresh
  // tables cost an allocation each and garbage later (a third of a decision).
  if (room_list_ref_ < 0) {
    lua_createtable(L, nc, 0);
    room_list_ref_ = luaL_ref(L, LUA_REGISTRYINDEX);
    lua_createtable(L, nc, 0);
    room_free_ref_ = luaL_ref(L, LUA_REGISTRYINDEX);
    room_len_ = 0;
  }
  lua_rawgeti(L, LUA_REGISTRYINDEX, room_list_ref_);
  const int list = lua_gettop(L);
  lua_rawgeti(L, LUA_REGISTRYINDEX, room_free_ref_);
  const int free = list + 1;
  // A policy may have grown or sorted the arrays it got last time.
  const lua_Integer old_len = std::max<lua_Integer>(room_len_, static_cast<lua_Integer>(lua_rawlen(L, list)));
  lua_Integer k = 0;
  for (int c = 0; c < nc; ++c) {
    const CenterState& cs = net.centers[c];
    if (!cs.up) continue;
    double sum = 0, most = 0;
    for (int p : cs.pools) {
      const PoolState& ps = net.pools[p];
      const topo::Accelerator& a = accs[ps.accel];
      const bool ok = req == ChipRequirement::any || (req == ChipRequirement::cuda && a.cuda) ||
                      (req == ChipRequirement::domestic && a.domestic()) ||
                      (req == ChipRequirement::specific && a.id == chip);
      if (!ok) continue;
      sum += ps.free_chips;
      most = std::max(most, ps.free_chips);
    }
    if (most < gpus) continue;
    ++k;
    lua_rawgeti(L, LUA_REGISTRYINDEX, center_proxy_ref_[c]);
    lua_rawseti(L, list, k);
    lua_pushnumber(L, sum);
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

// ---------------------------------------------------------------- JobView

JobView::JobView(lua_State* L) : L_(L) {
  lua_createtable(L, 0, 24);
  lua_pushvalue(L, -1);
  data_ref_ = luaL_ref(L, LUA_REGISTRYINDEX);
  push_readonly(L, -1, "job");
  proxy_ref_ = luaL_ref(L, LUA_REGISTRYINDEX);
  lua_pop(L, 1);
}

JobView::~JobView() = default;

void JobView::write(const Job& job, const topo::Topology& topo) {
  lua_rawgeti(L_, LUA_REGISTRYINDEX, data_ref_);
  write_job_fields(L_, lua_gettop(L_), job, topo);
  lua_pop(L_, 1);
}

void JobView::push(const Job& job, const topo::Topology& topo) {
  write(job, topo);
  lua_rawgeti(L_, LUA_REGISTRYINDEX, proxy_ref_);
}

void JobView::push_current() const { lua_rawgeti(L_, LUA_REGISTRYINDEX, proxy_ref_); }

void JobView::push_finished(const FinishedJob& f, const NetState& net, const topo::Topology& topo) {
  lua_State* L = L_;
  lua_rawgeti(L, LUA_REGISTRYINDEX, data_ref_);
  const int t = lua_gettop(L);
  write_job_fields(L, t, *f.job, topo);
  if (f.center >= 0 && f.center < static_cast<int>(net.centers.size()))
    lua_pushstring(L, topo.cities[net.centers[f.center].city].name.c_str());
  else
    lua_pushnil(L);
  lua_setfield(L, t, "center");
  if (f.pool >= 0 && f.pool < static_cast<int>(net.pools.size()) && net.pools[f.pool].accel >= 0)
    lua_pushstring(L, topo.accelerators[net.pools[f.pool].accel].id.c_str());
  else
    lua_pushnil(L);
  lua_setfield(L, t, "pool");
  set_num(L, t, "start", f.start_s);
  set_num(L, t, "finish", f.end_s);
  set_num(L, t, "wait", f.wait_s);
  set_bool(L, t, "completed", f.completed);
  lua_pop(L, 1);
  lua_rawgeti(L, LUA_REGISTRYINDEX, proxy_ref_);
}

void push_fresh_job(lua_State* L, const Job& job, const topo::Topology& topo) {
  lua_createtable(L, 0, 16);
  write_job_fields(L, lua_gettop(L), job, topo);
  push_readonly(L, -1, "job");
  lua_remove(L, -2);
}

}  // namespace suanwang::lua

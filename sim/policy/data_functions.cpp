// The data tier seen from Lua: net.dataset, net.has_data, net.storage (README
// "net (read-only, live)"). Each call reads the engine's DataView at that
// moment, so a policy sees where copies are now, not at the last refresh.
// Results are fresh tables: these are occasional questions, not the per
// decision hot path that net.room() is.
#include <string>

#include "sim/policy/net_view.hpp"

namespace suanwang::lua {

namespace {

// The NetView of a C function (upvalue 1), entered on the calling thread.
NetView* self(lua_State* L) {
  auto* v = static_cast<NetView*>(lua_touserdata(L, lua_upvalueindex(1)));
  v->enter(L);
  return v;
}

const DataView* data_of(const NetView* v) { return v->net() ? v->net()->data : nullptr; }

// net.dataset(job | name) -> { name, size, homes = {city, ...}, cached = {center, ...} } or nil
int l_dataset(lua_State* L) {
  NetView* v = self(L);
  const DataView* data = data_of(v);
  const int d = data ? v->dataset_arg(1) : -1;
  if (d < 0) {
    lua_pushnil(L);
    return 1;
  }
  const auto& cities = v->topology().cities;
  lua_createtable(L, 0, 4);
  const int t = lua_gettop(L);
  const std::string_view name = data->dataset_name(d);
  lua_pushlstring(L, name.data(), name.size());
  lua_setfield(L, t, "name");
  set_num(L, t, "size", data->dataset_size_B(d));
  const std::vector<int>& homes = data->dataset_homes(d);
  lua_createtable(L, static_cast<int>(homes.size()), 0);
  for (std::size_t i = 0; i < homes.size(); ++i) {
    lua_pushstring(L, cities[static_cast<std::size_t>(data->site_city(homes[i]))].name.c_str());
    lua_rawseti(L, -2, static_cast<lua_Integer>(i + 1));
  }
  lua_setfield(L, t, "homes");
  lua_createtable(L, 0, 0);
  lua_Integer k = 0;
  const NetState& net = *v->net();
  for (int c = 0; c < static_cast<int>(net.centers.size()); ++c) {
    if (!data->cached(c, d)) continue;
    lua_pushstring(L, cities[static_cast<std::size_t>(net.centers[c].city)].name.c_str());
    lua_rawseti(L, -2, ++k);
  }
  lua_setfield(L, t, "cached");
  return 1;
}

// net.has_data(center, job | name) -> true when the center can read the
// dataset without the backbone: its cache holds a whole copy, or a home of
// the dataset is a storage site in its city. False for an unknown dataset.
int l_has_data(lua_State* L) {
  NetView* v = self(L);
  const int c = v->center_arg(1);
  const DataView* data = data_of(v);
  const int d = data ? v->dataset_arg(2) : -1;
  lua_pushboolean(L, d >= 0 && data->reads_locally(c, v->net()->centers[static_cast<std::size_t>(c)].city, d));
  return 1;
}

// net.storage(city) -> { city, read_bw, reads, read } for the storage site in
// that city, or nil.
int l_storage(lua_State* L) {
  NetView* v = self(L);
  const int city = v->city_arg(1);
  const DataView* data = data_of(v);
  if (data != nullptr) {
    for (int s = 0; s < data->sites(); ++s) {
      if (data->site_city(s) != city) continue;
      lua_createtable(L, 0, 4);
      const int t = lua_gettop(L);
      set_str(L, t, "city", v->topology().cities[static_cast<std::size_t>(city)].name);
      set_num(L, t, "read_bw", data->site_read_Bps(s));
      set_int(L, t, "reads", data->site_reads(s));
      set_num(L, t, "read", data->site_read_B(s));
      return 1;
    }
  }
  lua_pushnil(L);
  return 1;
}

}  // namespace

void NetView::add_data_functions(int net_table) {
  const std::pair<const char*, lua_CFunction> fns[] = {
      {"dataset", l_dataset}, {"has_data", l_has_data}, {"storage", l_storage}};
  for (const auto& [name, fn] : fns) {
    lua_pushlightuserdata(L_, this);
    lua_pushcclosure(L_, fn, 1);
    lua_setfield(L_, net_table, name);
  }
}

// A dataset argument: a name, or a job (the hook's own job view, or any
// table with a dataset_name field). -1 when the job has no catalog dataset
// or the name is unknown.
int NetView::dataset_arg(int arg) const {
  lua_State* L = L_;
  const DataView* data = net_ ? net_->data : nullptr;
  if (data == nullptr) return -1;
  switch (lua_type(L, arg)) {
    case LUA_TSTRING: {
      size_t n = 0;
      const char* s = lua_tolstring(L, arg, &n);
      return data->dataset_index(std::string_view(s, n));
    }
    case LUA_TTABLE: {
      if (cur_job_ && lua_topointer(L, arg) == cur_view_) return cur_job_->dataset;
      lua_getfield(L, arg, "dataset_name");
      int d = -1;
      if (lua_type(L, -1) == LUA_TSTRING) {
        size_t n = 0;
        const char* s = lua_tolstring(L, -1, &n);
        d = data->dataset_index(std::string_view(s, n));
      }
      lua_pop(L, 1);
      return d;
    }
    default:
      return luaL_error(L, "bad argument #%d (expected a dataset name or a job, got %s)", arg,
                        luaL_typename(L, arg));
  }
}

// A center argument: a center view, its name or its 1-based index.
int NetView::center_arg(int arg) const {
  lua_State* L = L_;
  const int n = static_cast<int>(net_->centers.size());
  switch (lua_type(L, arg)) {
    case LUA_TSTRING: {
      const int c = center_by_name(lua_tostring(L, arg));
      if (c < 0) luaL_error(L, "unknown center \"%s\"", lua_tostring(L, arg));
      return c;
    }
    case LUA_TTABLE:
      if (const int c = view_index(L_, kCenter, arg); c >= 0) return c;
      [[fallthrough]];
    case LUA_TNUMBER: return index_arg(arg, n, "center", "index", "a center, its name or index");
    default:
      return luaL_error(L, "bad argument #%d (expected a center, its name or index, got %s)", arg,
                        luaL_typename(L, arg));
  }
}

}  // namespace suanwang::lua

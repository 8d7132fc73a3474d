#include "sim/policy/lua_readonly.hpp"

#include "sim/lua/lua_ordered.hpp"

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

int ro_pairs(lua_State* L) { return push_pairs_of(L, lua_upvalueindex(1)); }

}  // namespace

int push_pairs_of(lua_State* L, int data_index) {
  const int n = push_ordered_pairs(L, data_index);  // iterator, the data table, nil
  // The second value goes back to the policy's loop: the proxy (argument 1
  // of __pairs), never the data table, which the policy must not reach (it
  // could write it, or set its metatable). The iterator keeps its own.
  lua_pushvalue(L, 1);
  lua_replace(L, -3);
  return n;
}

void push_readonly(lua_State* L, int data_index, const std::string& label, int pairs_index) {
  data_index = lua_absindex(L, data_index);
  if (pairs_index != 0) pairs_index = lua_absindex(L, pairs_index);
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
  if (pairs_index != 0) {
    lua_pushvalue(L, pairs_index);
  } else {
    lua_pushvalue(L, data_index);
    lua_pushcclosure(L, ro_pairs, 1);
  }
  lua_setfield(L, -2, "__pairs");
  lua_pushstring(L, "read-only");
  lua_setfield(L, -2, "__metatable");
  lua_setmetatable(L, -2);
}

Refs keep_readonly(lua_State* L, int index, const std::string& label, int pairs_index) {
  index = lua_absindex(L, index);
  if (pairs_index != 0) pairs_index = lua_absindex(L, pairs_index);
  Refs r;
  lua_pushvalue(L, index);
  r.data = luaL_ref(L, LUA_REGISTRYINDEX);
  push_readonly(L, index, label, pairs_index);
  lua_getmetatable(L, -1);
  r.meta = luaL_ref(L, LUA_REGISTRYINDEX);
  r.proxy = luaL_ref(L, LUA_REGISTRYINDEX);
  return r;
}

void release(lua_State* L, Refs& refs) {
  luaL_unref(L, LUA_REGISTRYINDEX, refs.data);
  luaL_unref(L, LUA_REGISTRYINDEX, refs.proxy);
  luaL_unref(L, LUA_REGISTRYINDEX, refs.meta);
  refs = Refs{};
}

}  // namespace suanwang::lua

#include "sim/policy/lua_params.hpp"

#include <cmath>

#include "sim/policy/lua_readonly.hpp"

namespace suanwang::lua {

namespace {

// Replaces every nested table below the table at `t` by a read-only proxy.
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

// Pushes the table at dotted path `key` minus its last segment, creating it
// (and its parents) under the table at `root`; returns the last segment.
std::string push_parent(lua_State* L, int root, const std::string& key) {
  lua_pushvalue(L, root);
  std::size_t start = 0;
  for (std::size_t dot; (dot = key.find('.', start)) != std::string::npos; start = dot + 1) {
    const std::string part = key.substr(start, dot - start);
    lua_getfield(L, -1, part.c_str());
    if (!lua_istable(L, -1)) {
      lua_pop(L, 1);
      lua_newtable(L);
      lua_pushvalue(L, -1);
      lua_setfield(L, -3, part.c_str());
    }
    lua_remove(L, -2);
  }
  return key.substr(start);
}

void push_value(lua_State* L, const ParamValue& value) {
  if (const bool* b = std::get_if<bool>(&value)) {
    lua_pushboolean(L, *b);
  } else if (const double* d = std::get_if<double>(&value)) {
    if (std::floor(*d) == *d && std::fabs(*d) < 9e15) lua_pushinteger(L, static_cast<lua_Integer>(*d));
    else lua_pushnumber(L, *d);
  } else {
    const std::string& s = std::get<std::string>(value);
    lua_pushlstring(L, s.data(), s.size());
  }
}

}  // namespace

void push_params(lua_State* L, const std::map<std::string, ParamValue>& params) {
  lua_newtable(L);
  const int root = lua_gettop(L);
  for (const auto& [key, value] : params) {
    const std::string leaf = push_parent(L, root, key);
    push_value(L, value);
    lua_setfield(L, -2, leaf.c_str());
    lua_pop(L, 1);
  }
  wrap_params(L, root, "params");
  push_readonly(L, root, "params");
  lua_remove(L, root);
}

}  // namespace suanwang::lua

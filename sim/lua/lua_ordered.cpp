#include "sim/lua/lua_ordered.hpp"

#include <algorithm>
#include <cstring>
#include <string_view>

namespace suanwang::lua {

namespace {

// A key as the order sees it. Strings point into the Lua string, which stays
// alive as long as the key is referenced (the table, or the snapshot array).
struct Key {
  int rank = 0;  // 0 number, 1 string, 2 false, 3 true
  bool is_int = false;
  lua_Integer i = 0;
  double d = 0;
  std::string_view s;
  int slot = 0;  // where the key sits in the snapshot array
};

[[noreturn]] void unordered_key(lua_State* L, int type) {
  luaL_error(L,
             "a table with a key of type %s cannot be traversed in a reproducible order (Lua orders such "
             "keys by memory address, which changes from run to run); key the table by name or index",
             lua_typename(L, type));
  std::abort();  // not reached: luaL_error does not return
}

Key key_at(lua_State* L, int index) {
  Key k;
  switch (const int t = lua_type(L, index)) {
    case LUA_TNUMBER:
      k.rank = 0;
      k.is_int = lua_isinteger(L, index);
      if (k.is_int) k.i = lua_tointeger(L, index); else k.d = lua_tonumber(L, index);
      break;
    case LUA_TSTRING: {
      std::size_t n = 0;
      const char* p = lua_tolstring(L, index, &n);
      k.rank = 1;
      k.s = std::string_view(p, n);
      break;
    }
    case LUA_TBOOLEAN: k.rank = lua_toboolean(L, index) ? 3 : 2; break;
    default: unordered_key(L, t);
  }
  return k;
}

// Numbers compare by value whether integer or float (a float key is never
// integral: Lua stores those as integers), so only mixed pairs need care.
bool less_number(const Key& a, const Key& b) {
  if (a.is_int && b.is_int) return a.i < b.i;
  if (!a.is_int && !b.is_int) return a.d < b.d;
  if (a.is_int) return static_cast<long double>(a.i) < static_cast<long double>(b.d);
  return static_cast<long double>(a.d) < static_cast<long double>(b.i);
}

bool less(const Key& a, const Key& b) {
  if (a.rank != b.rank) return a.rank < b.rank;
  if (a.rank == 0) return less_number(a, b);
  if (a.rank == 1) return a.s < b.s;
  return false;  // booleans: one key each
}

// The iterator of an ordered pairs(): upvalue 1 the table, 2 the sorted
// snapshot of its keys, 3 the position reached.
int ordered_iter(lua_State* L) {
  lua_Integer at = lua_tointeger(L, lua_upvalueindex(3));
  for (;;) {
    ++at;
    if (lua_rawgeti(L, lua_upvalueindex(2), at) == LUA_TNIL) {
      lua_pushinteger(L, at - 1);
      lua_replace(L, lua_upvalueindex(3));
      return 1;  // nil: the end
    }
    lua_pushvalue(L, -1);
    if (lua_rawget(L, lua_upvalueindex(1)) != LUA_TNIL) break;  // still in the table
    lua_pop(L, 2);  // cleared during the loop: skip it
  }
  lua_pushinteger(L, at);
  lua_replace(L, lua_upvalueindex(3));
  return 2;
}

int l_pairs(lua_State* L) {
  luaL_checkany(L, 1);
  if (luaL_getmetafield(L, 1, "__pairs") != LUA_TNIL) {  // as Lua 5.4's pairs
    lua_pushvalue(L, 1);
    lua_call(L, 1, 3);
    return 3;
  }
  luaL_checktype(L, 1, LUA_TTABLE);
  return push_ordered_pairs(L, 1);
}

int l_next(lua_State* L) {
  luaL_checktype(L, 1, LUA_TTABLE);
  lua_settop(L, 2);
  const bool from_start = lua_isnil(L, 2);
  Key after;
  if (!from_start) after = key_at(L, 2);
  bool found = false;
  Key best;
  int best_index = 0;
  lua_pushnil(L);  // 3: the best key so far
  for (lua_pushnil(L); lua_next(L, 1) != 0;) {  // key at -2
    lua_pop(L, 1);
    const Key k = key_at(L, -1);
    if ((from_start || less(after, k)) && (!found || less(k, best))) {
      lua_pushvalue(L, -1);
      lua_replace(L, 3);
      found = true;
      best = key_at(L, 3);
      best_index = 3;
    }
  }
  if (!found) {
    lua_pushnil(L);
    return 1;
  }
  lua_pushvalue(L, best_index);
  lua_pushvalue(L, best_index);
  lua_rawget(L, 1);
  return 2;
}

}  // namespace

int push_ordered_pairs(lua_State* L, int index) {
  index = lua_absindex(L, index);
  // First pass: count, and raise on an unordered key before anything holds
  // C++ state (a Lua error longjmps over destructors).
  int n = 0;
  for (lua_pushnil(L); lua_next(L, index) != 0; ++n) {
    lua_pop(L, 1);
    key_at(L, -1);
  }
  // The keys' descriptors live in a Lua userdata, so that a memory error in
  // the allocations below leaks nothing; the snapshot array keeps the keys
  // (and so the strings the descriptors point into) alive.
  Key* keys = static_cast<Key*>(lua_newuserdatauv(L, sizeof(Key) * static_cast<std::size_t>(std::max(n, 1)), 0));
  const int holder = lua_gettop(L);
  lua_createtable(L, n, 0);
  const int snap = lua_gettop(L);
  int k = 0;
  for (lua_pushnil(L); lua_next(L, index) != 0 && k < n;) {
    lua_pop(L, 1);
    keys[k] = key_at(L, -1);
    keys[k].slot = k + 1;
    lua_pushvalue(L, -1);
    lua_rawseti(L, snap, ++k);
  }
  std::sort(keys, keys + k, less);
  lua_createtable(L, k, 0);  // the order
  const int order = lua_gettop(L);
  for (int j = 0; j < k; ++j) {
    lua_rawgeti(L, snap, keys[j].slot);
    lua_rawseti(L, order, j + 1);
  }
  lua_pushvalue(L, index);
  lua_pushvalue(L, order);
  lua_pushinteger(L, 0);
  lua_pushcclosure(L, ordered_iter, 3);  // iterator
  lua_pushvalue(L, index);               // the table
  lua_pushnil(L);                        // the initial control value
  lua_rotate(L, holder, 3);              // the three results below the temporaries
  lua_settop(L, holder + 2);
  return 3;
}

void open_ordered_traversal(lua_State* L) {
  lua_pushcfunction(L, l_pairs);
  lua_setglobal(L, "pairs");
  lua_pushcfunction(L, l_next);
  lua_setglobal(L, "next");
}

}  // namespace suanwang::lua

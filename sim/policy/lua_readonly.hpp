// Read-only Lua tables, and the small tools the policy views are made of.
//
// A view is a plain data table the bridge writes, hidden behind an empty proxy
// whose metatable reads through to the data (__index, __len, __pairs) and
// raises on any write (__newindex): a policy reads fields at the cost of
// ordinary table lookups and cannot change what it sees. Both tables live in
// the Lua registry (Refs) for as long as the layout they describe; the Lua
// state owns them and frees them with the sandbox.
#pragma once

#include <lua.hpp>

#include <iterator>
#include <string>

namespace suanwang::lua {

// Pushes a read-only proxy for the table at `data_index`; `label` names it in
// the error a write raises ("net.centers[3] is read-only (cannot set 'x')").
// `pairs_index`, when not 0, is the stack index of the function to use as the
// proxy's __pairs in place of readonly_pairs.
void push_readonly(lua_State* L, int data_index, const std::string& label, int pairs_index = 0);

// A data table, its read-only proxy and the proxy's metatable, as registry
// references. The metatable is kept so that a view can swap its __index
// (NetView writes changed centers only when a policy reads them).
struct Refs {
  int data = LUA_NOREF;
  int proxy = LUA_NOREF;
  int meta = LUA_NOREF;
  bool made() const { return proxy != LUA_NOREF; }
};

// Registers the table at `index` and a read-only proxy for it.
Refs keep_readonly(lua_State* L, int index, const std::string& label, int pairs_index = 0);
// Releases the references (and sets them to LUA_NOREF).
void release(lua_State* L, Refs& refs);
// What a view's __pairs returns: the sandbox's ordered pairs (lua_ordered.hpp)
// over the table at `data_index`, with the proxy (the metamethod's argument
// 1) as the loop's state value instead of the data table. Call it from a
// __pairs metamethod only.
int push_pairs_of(lua_State* L, int data_index);

// Pushes a read-only array of proxies: {refs[i].proxy for i in indices}, in order.
template <class Indices, class RefsVector>
void push_proxy_array(lua_State* L, const Indices& indices, const RefsVector& refs, const std::string& label) {
  lua_createtable(L, static_cast<int>(std::size(indices)), 0);
  lua_Integer k = 0;
  for (const int i : indices) {
    lua_rawgeti(L, LUA_REGISTRYINDEX, refs[static_cast<std::size_t>(i)].proxy);
    lua_rawseti(L, -2, ++k);
  }
  push_readonly(L, -1, label);
  lua_remove(L, -2);
}

// Field setters for the data table at absolute index t.
inline void set_num(lua_State* L, int t, const char* k, double v) {
  lua_pushnumber(L, v);
  lua_setfield(L, t, k);
}
inline void set_int(lua_State* L, int t, const char* k, lua_Integer v) {
  lua_pushinteger(L, v);
  lua_setfield(L, t, k);
}
inline void set_str(lua_State* L, int t, const char* k, const std::string& v) {
  lua_pushlstring(L, v.data(), v.size());
  lua_setfield(L, t, k);
}
inline void set_bool(lua_State* L, int t, const char* k, bool v) {
  lua_pushboolean(L, v);
  lua_setfield(L, t, k);
}

// The registry table `ref`, pushed by the first open() and popped when the
// writer goes out of scope: a refresh that changes nothing touches no table.
class LazyTable {
 public:
  LazyTable(lua_State* L, int ref) : L_(L), ref_(ref) {}
  ~LazyTable() {
    if (open_) lua_pop(L_, 1);
  }
  LazyTable(const LazyTable&) = delete;
  LazyTable& operator=(const LazyTable&) = delete;
  // Makes sure the table is on the stack; push the value next, then set it at -2.
  void open() {
    if (!open_) lua_rawgeti(L_, LUA_REGISTRYINDEX, ref_);
    open_ = true;
  }

 private:
  lua_State* L_;
  int ref_;
  bool open_ = false;
};

}  // namespace suanwang::lua

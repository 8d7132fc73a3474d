// Table traversal in an order that is the same in every process.
//
// Lua 5.4 seeds its string hash from the clock and from addresses, so the
// standard pairs() and next() visit string keys in a different order in
// every run: a policy that breaks ties, picks the first, or sums floats
// while iterating a table keyed by names would give different answers for
// the same scenario and seed (measured: a policy returning the first center
// of `for k in pairs(by_name)` sent its jobs to four different cities in four
// runs). The sandbox replaces both with traversals in one fixed order:
// numbers by value, then strings bytewise, then false, then true. Keys of
// other types (tables, functions, coroutines, userdata) are hashed by address
// and have no order that survives a new process: traversing a table that
// holds one raises an error that says so (key such tables by name or index).
//
//   pairs(t): the keys of t when the loop starts, sorted; a key cleared
//     during the loop is skipped, one added is not visited (Lua leaves that
//     undefined). A __pairs metamethod is honoured as in Lua 5.4.
//   next(t, k): the smallest key greater than k, in O(#keys) per call
//     (pairs is the fast way to visit every key); k need not still be in t.
#pragma once

#include <lua.hpp>

namespace suanwang::lua {

// Replaces the globals pairs and next of L with the ordered versions.
void open_ordered_traversal(lua_State* L);

// Pushes what an ordered pairs() of the table at `index` returns, ignoring
// its metatable (an iterator, the table, nil); returns 3. For __pairs
// metamethods of read-only views, whose data table is not the proxy.
int push_ordered_pairs(lua_State* L, int index);

}  // namespace suanwang::lua

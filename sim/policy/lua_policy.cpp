#include "sim/policy/lua_policy.hpp"

#include <lua.hpp>

#include <oneapi/tbb/blocked_range.h>
#include <oneapi/tbb/enumerable_thread_specific.h>
#include <oneapi/tbb/parallel_for.h>

#include <algorithm>
#include <cmath>
#include <limits>

#include "sim/core/text.hpp"
#include "sim/core/user_error.hpp"
#include "sim/policy/job_view.hpp"
#include "sim/policy/lua_params.hpp"
#include "sim/policy/net_view.hpp"
#include "sim/topology/chip_rules.hpp"

namespace suanwang {

namespace {

constexpr const char* kHooks[] = {"place", "score", "order", "on_finish", "on_tick", "bind"};
constexpr int kHookCount = 6;

// A Lua value, described for an error message.
std::string describe(lua_State* L, int i) {
  switch (lua_type(L, i)) {
    case LUA_TNIL: return "nil";
    case LUA_TBOOLEAN: return lua_toboolean(L, i) ? "true" : "false";
    case LUA_TNUMBER: {
      lua_pushvalue(L, i);  // lua_tostring converts in place: work on a copy
      std::string s = "the number " + std::string(lua_tostring(L, -1));
      lua_pop(L, 1);
      return s;
    }
    case LUA_TSTRING: {
      std::string s(1, '"');
      s.append(lua_tostring(L, i));
      s.push_back('"');
      return s;
    }
    default: return std::string("a ") + luaL_typename(L, i);
  }
}


// module.place, module.score, ... (kHooks order): run under Sandbox::call,
// since a module table may have an __index of its own.
int get_hooks(lua_State* L) {
  for (const char* hook : kHooks) lua_getfield(L, 1, hook);
  return static_cast<int>(std::size(kHooks));
}

bool is_reject(lua_State* L, int i) {
  std::size_t n = 0;
  const char* s = lua_tolstring(L, i, &n);
  return std::string_view(s, n) == "reject";
}

}  // namespace

struct LuaPolicy::Runtime {
  lua::Sandbox sb;
  std::unique_ptr<lua::NetView> view;
  std::unique_ptr<lua::JobView> job_place, job_score, job_finish;
  int ref_place = LUA_NOREF, ref_score = LUA_NOREF, ref_order = LUA_NOREF;
  int ref_finish = LUA_NOREF, ref_tick = LUA_NOREF, ref_bind = LUA_NOREF;
  // "file:line" where each hook is defined (kHooks order), for messages about
  // what a hook returned: by then Lua no longer knows the line of the return.
  std::string origin[kHookCount];
  explicit Runtime(lua::SandboxOptions o) : sb(std::move(o)) {}
};

struct LuaPolicy::Workers {
  oneapi::tbb::enumerable_thread_specific<std::unique_ptr<Runtime>> ets;
};

LuaPolicy::LuaPolicy(std::string path, std::string name, std::map<std::string, ParamValue> params,
                     lua::SandboxOptions options, const topo::Topology& topology)
    : path_(std::move(path)),
      name_(std::move(name)),
      params_(std::move(params)),
      options_(std::move(options)),
      topology_(topology),
      workers_(std::make_unique<Workers>()) {
  main_ = make_runtime();
}

LuaPolicy::~LuaPolicy() = default;

std::unique_ptr<LuaPolicy::Runtime> LuaPolicy::make_runtime() const {
  auto r = std::make_unique<Runtime>(options_);
  lua_State* L = r->sb.L();
  lua::push_params(L, params_);
  lua_setglobal(L, "params");
  r->sb.run_file(path_, 1);
  if (!lua_istable(L, -1)) {
    const std::string got = describe(L, -1);
    lua_pop(L, 1);
    throw UserError(path_, "", "the policy returned " + got +
                                   " (expected a table of hooks: return { place = function(job, net) ... end })");
  }
  const int mod = lua_gettop(L);
  // Unknown function-valued keys are typos of hook names; data fields are allowed.
  lua_pushnil(L);
  while (lua_next(L, mod)) {
    if (lua_type(L, -2) == LUA_TSTRING && lua_isfunction(L, -1)) {
      const std::string key = lua_tostring(L, -2);
      const std::vector<std::string> hooks(std::begin(kHooks), std::end(kHooks));
      if (std::find(hooks.begin(), hooks.end(), key) == hooks.end()) {
        lua_settop(L, mod - 1);
        throw UserError(path_, "", "unknown hook '" + key + "'" + text::did_you_mean(key, hooks) +
                                       "; hooks are " + text::join(hooks));
      }
    }
    lua_pop(L, 1);
  }
  int* refs[] = {&r->ref_place, &r->ref_score, &r->ref_order, &r->ref_finish, &r->ref_tick, &r->ref_bind};
  lua_pushcfunction(L, get_hooks);
  lua_pushvalue(L, mod);
  try {
    r->sb.call(1, kHookCount, "");
  } catch (const UserError& e) {
    std::string msg = e.what();
    if (msg.rfind(path_, 0) != 0) msg = path_ + ": " + msg;
    throw UserError(msg + " (reading the hooks of the returned table)");
  }
  for (int i = 0; i < kHookCount; ++i) {
    lua_pushvalue(L, mod + 1 + i);
    if (lua_isnil(L, -1)) { lua_pop(L, 1); continue; }
    if (!lua_isfunction(L, -1)) {
      const std::string got = describe(L, -1);
      lua_settop(L, mod - 1);
      throw UserError(path_, "", std::string("hook '") + kHooks[i] + "' is " + got + " (expected a function)");
    }
    lua_Debug ar;
    lua_pushvalue(L, -1);
    lua_getinfo(L, ">S", &ar);  // pops the copy
    const std::string src = ar.source ? ar.source : "";
    const std::string file = !src.empty() && src[0] == '@' ? src.substr(1) : path_;
    r->origin[i] = ar.linedefined > 0 ? file + ":" + std::to_string(ar.linedefined) : file;
    *refs[i] = luaL_ref(L, LUA_REGISTRYINDEX);
  }
  lua_settop(L, mod - 1);
  if (r->ref_place == LUA_NOREF && r->ref_score == LUA_NOREF)
    throw UserError(path_, "", "the policy has no place function (expected return { place = "
                               "function(job, net) ... end }, or a score function)");
  r->view = std::make_unique<lua::NetView>(L, &topology_);
  r->job_place = std::make_unique<lua::JobView>(L);
  r->job_score = std::make_unique<lua::JobView>(L);
  r->job_finish = std::make_unique<lua::JobView>(L);
  return r;
}

LuaPolicy::Runtime& LuaPolicy::worker() {
  auto& slot = workers_->ets.local();
  if (!slot) slot = make_runtime();
  return *slot;
}

bool LuaPolicy::has_place() const { return main_->ref_place != LUA_NOREF; }

std::string LuaPolicy::hook_origin(const std::string& hook) const {
  for (int i = 0; i < kHookCount; ++i)
    if (hook == kHooks[i] && !main_->origin[i].empty()) return main_->origin[i];
  return path_;
}
bool LuaPolicy::has_score() const { return main_->ref_score != LUA_NOREF; }
bool LuaPolicy::has_order() const { return main_->ref_order != LUA_NOREF; }
bool LuaPolicy::has_on_tick() const { return main_->ref_tick != LUA_NOREF; }
bool LuaPolicy::has_bind() const { return main_->ref_bind != LUA_NOREF; }

// Runs the function under its arguments; a Lua error or a budget overrun
// becomes "<file>:<line>: <msg> (in <hook>, <where>)".
void LuaPolicy::call(Runtime& r, int nargs, int nresults, const char* hook, std::uint64_t job_id,
                     int center, const std::string& extra) {
  try {
    r.sb.call(nargs, nresults, "");
  } catch (const UserError& e) {
    std::string msg = e.what();
    if (msg.rfind(path_, 0) != 0) msg = path_ + ": " + msg;
    std::string where;
    if (job_id) where += ", job " + std::to_string(job_id);
    if (center >= 0 && r.view->net())
      where += ", center " + r.view->topology().cities[r.view->net()->centers[center].city].name;
    if (!extra.empty()) where += ", " + extra;
    throw UserError(msg + " (in " + hook + where + ")");
  }
}

bool LuaPolicy::eligible(const Job& job, const NetState& net, int center) const {
  const CenterState& c = net.centers[center];
  if (!c.up) return false;
  const topo::Topology& T = net.topology ? *net.topology : topology_;
  for (int p : c.pools) {
    const PoolState& ps = net.pools[p];
    if (ps.total_chips >= job.gpus && topo::can_run(job, T.accelerators[ps.accel])) return true;
  }
  return false;
}

std::string LuaPolicy::place_call(const Job& job) const {
  return hook_origin("place") + ": place(job " + std::to_string(job.id) + ")";
}

// Error messages are built only on the error paths: this is the hot path.
Placement LuaPolicy::read_placement(Runtime& r, const Job& job, int base) {
  lua_State* L = r.sb.L();
  Placement p;
  const int t = lua_type(L, base);
  if (t == LUA_TNIL) return p;
  if (t == LUA_TSTRING && is_reject(L, base)) {
    p.action = Placement::Action::reject;
    if (lua_type(L, base + 1) == LUA_TSTRING || lua_type(L, base + 1) == LUA_TNUMBER)
      p.reason = lua_tostring(L, base + 1);
    return p;
  }
  p.action = Placement::Action::place;
  if (t == LUA_TTABLE && !lua_getmetatable(L, base)) {  // not a view: { parts = ... }
    lua_pushliteral(L, "parts");
    if (lua_rawget(L, base) != LUA_TNIL) {
      check_keys(r, job, base, {"parts"}, "");
      read_parts(r, job, lua_gettop(L), &p);
      return p;
    }
    lua_pop(L, 1);
    check_keys(r, job, base, {"parts"}, "");  // { part = ... }: say which key
  } else if (t == LUA_TTABLE) {
    lua_pop(L, 1);  // the view's metatable
  }
  p.center = read_center(r, job, base);
  p.pool = read_pool(r, job, base + 1, p.center);
  return p;
}

// Every key of the plain table at `index` is one of `allowed`; else a policy
// error naming the first other key ("returned parts[2] with key 'gpu' (did
// you mean 'gpus'?)"). Raw reads: no metamethod of the policy's runs here.
void LuaPolicy::check_keys(Runtime& r, const Job& job, int index, const std::vector<std::string>& allowed,
                           const std::string& subject) {
  lua_State* L = r.sb.L();
  lua_pushnil(L);
  while (lua_next(L, index) != 0) {
    lua_pop(L, 1);  // the value
    bool ok = false;
    std::string key;
    if (lua_type(L, -1) == LUA_TSTRING) {
      std::size_t n = 0;
      const char* k = lua_tolstring(L, -1, &n);
      key.assign(k, n);
      for (const std::string& a : allowed) ok = ok || key == a;
    }
    if (!ok) {
      const std::string what = key.empty() ? describe(L, -1) : text::quote(key);
      lua_pop(L, 1);
      throw UserError(place_call(job) + ": returned " + (subject.empty() ? "a table" : subject) +
                      " with key " + what + (key.empty() ? "" : text::did_you_mean(key, allowed)) +
                      " (expected " + (subject.empty() ? "a center view or { parts = {...} }" : "keys " + text::join(allowed)) +
                      ")");
    }
  }
}

// { parts = { {center = c, gpus = n [, pool = chip or pool view]}, ... } }: a
// training job split over several centers, at most one part per center. The
// engine checks what the parts mean (sim/engine/spanning.hpp); this reads
// their types, with raw reads (no metamethod of the policy's runs here).
void LuaPolicy::read_parts(Runtime& r, const Job& job, int parts, Placement* p) {
  lua_State* L = r.sb.L();
  const auto fail = [&](const std::string& what) {
    throw UserError(place_call(job) + ": returned parts" + what +
                    " (expected parts = { {center = <name or view>, gpus = <whole chips>}, ... })");
  };
  if (!lua_istable(L, parts)) fail(" = " + describe(L, parts));
  const auto n = static_cast<lua_Integer>(lua_rawlen(L, parts));
  if (n < 1) fail(" = an empty list");
  const auto centers = static_cast<lua_Integer>(r.view->net()->centers.size());
  if (n > centers) fail(" with " + std::to_string(n) + " parts, more than the " + std::to_string(centers) + " centers");
  static const std::vector<std::string> kPartKeys = {"center", "gpus", "pool"};
  for (lua_Integer i = 1; i <= n; ++i) {
    const std::string at = "[" + std::to_string(i) + "]";
    lua_rawgeti(L, parts, i);
    const int e = lua_gettop(L);
    if (!lua_istable(L, e)) fail(at + " = " + describe(L, e));
    check_keys(r, job, e, kPartKeys, "parts" + at);
    PlacementPart part;
    lua_pushliteral(L, "center");
    lua_rawget(L, e);
    part.center = read_center(r, job, e + 1, "parts" + at + ".center = ");
    lua_pushliteral(L, "pool");
    lua_rawget(L, e);
    part.pool = read_pool(r, job, e + 2, part.center, "parts" + at + ".");
    lua_pushliteral(L, "gpus");
    lua_rawget(L, e);
    if (lua_type(L, e + 3) != LUA_TNUMBER) fail(at + ".gpus = " + describe(L, e + 3));
    part.gpus = lua_tonumber(L, e + 3);
    lua_settop(L, e - 1);
    p->parts.push_back(part);
  }
}

// A center name or a center view from net.centers. `subject` names the value
// when it is not place's first return ("parts[2].center = ").
int LuaPolicy::read_center(Runtime& r, const Job& job, int index, const std::string& subject) {
  lua_State* L = r.sb.L();
  const char* expected =
      subject.empty() ? " (expected a center name, nil or \"reject\")" : " (expected a center name or view)";
  const std::string returned = ": returned " + subject;
  const int t = lua_type(L, index);
  if (t == LUA_TSTRING) {
    std::size_t n = 0;
    const char* s = lua_tolstring(L, index, &n);
    const int center = r.view->center_by_name(std::string_view(s, n));
    if (center >= 0) return center;
    const topo::Topology& T = r.view->topology();
    const std::string name(s, n);
    if (T.city_index(name) >= 0)
      throw UserError(place_call(job) + returned + "\"" + name + "\", a city without a center" + expected);
    throw UserError(place_call(job) + returned + "\"" + name + "\", an unknown city" +
                    text::did_you_mean(name, T.city_names(), '"') + expected);
  }
  if (t != LUA_TTABLE) throw UserError(place_call(job) + returned + describe(L, index) + expected);
  const int center = r.view->view_index(L, lua::NetView::kCenter, index);
  if (center < 0) throw UserError(place_call(job) + returned + "a table that is not a center of net.centers" + expected);
  return center;
}

// The optional pool: nil (-1, the engine picks), a chip id of the center, or
// a pool view from its center.pools. `subject` prefixes "pool" in messages
// ("parts[2].").
int LuaPolicy::read_pool(Runtime& r, const Job& job, int index, int center, const std::string& subject) {
  lua_State* L = r.sb.L();
  const NetState& net = *r.view->net();
  const topo::Topology& T = r.view->topology();
  const CenterState& cs = net.centers[center];
  const int t = lua_type(L, index);
  if (t == LUA_TNIL) return -1;
  if (t == LUA_TSTRING) {
    const std::string chip = lua_tostring(L, index);
    std::vector<std::string> have;
    for (int q : cs.pools) {
      if (T.accelerators[net.pools[q].accel].id == chip) return q;
      have.push_back(T.accelerators[net.pools[q].accel].id);
    }
    throw UserError(place_call(job) + ": returned " + subject + "pool \"" + chip + "\", which is not in center " +
                    T.cities[cs.city].name + " (expected nil or one of its chips: " + text::join(have) + ")");
  }
  if (t != LUA_TTABLE)
    throw UserError(place_call(job) + ": returned " + subject + "pool " + describe(L, index) +
                    " (expected nil, a chip id or a pool view)");
  const int pool = r.view->view_index(L, lua::NetView::kPool, index);
  if (pool >= 0 && net.pools[static_cast<std::size_t>(pool)].center == center) return pool;
  throw UserError(place_call(job) + ": returned " + (subject.empty() ? "a pool" : subject + "pool, a pool") + " that is not in center " + T.cities[cs.city].name +
                  " (expected nil, a chip id or a view from center.pools)");
}

Placement LuaPolicy::place(const Job& job, const NetState& net) {
  Runtime& r = *main_;
  r.view->refresh(net);
  if (r.ref_place == LUA_NOREF) return place_by_score(r, job, net);
  lua_State* L = r.sb.L();
  const int top = lua_gettop(L);
  lua_rawgeti(L, LUA_REGISTRYINDEX, r.ref_place);
  r.job_place->push(job, r.view->topology(), net.data);
  r.view->set_job(&job, lua_topointer(L, -1));
  r.view->push_net(L);
  try {
    call(r, 2, 2, "place", job.id);
  } catch (...) {
    r.view->set_job(nullptr, nullptr);
    throw;
  }
  r.view->set_job(nullptr, nullptr);
  Placement p;
  try {
    p = read_placement(r, job, top + 1);
  } catch (...) {
    lua_settop(L, top);
    throw;
  }
  lua_settop(L, top);
  return p;
}

// Scores of `job` at every center; -inf where ineligible or infeasible.
void LuaPolicy::score_row(Runtime& r, const Job& job, const NetState& net, double* row) {
  lua_State* L = r.sb.L();
  const int nc = static_cast<int>(net.centers.size());
  bool pushed = false;
  for (int c = 0; c < nc; ++c) {
    row[c] = -std::numeric_limits<double>::infinity();
    if (!eligible(job, net, c)) continue;
    lua_rawgeti(L, LUA_REGISTRYINDEX, r.ref_score);
    if (!pushed) {  // the job view is written once per job
      r.job_score->push(job, r.view->topology(), net.data);
      r.view->set_job(&job, lua_topointer(L, -1));
      pushed = true;
    } else {
      r.job_score->push_current();
    }
    r.view->push_center(L, c);
    r.view->push_net(L);
    try {
      call(r, 3, 1, "score", job.id, c);
    } catch (...) {
      r.view->set_job(nullptr, nullptr);
      throw;
    }
    const int t = lua_type(L, -1);
    if (t == LUA_TNUMBER) {
      const double v = lua_tonumber(L, -1);
      if (!std::isnan(v)) row[c] = v;
    } else if (t != LUA_TNIL) {
      const std::string got = describe(L, -1);
      lua_pop(L, 1);
      r.view->set_job(nullptr, nullptr);
      const std::string& cname = r.view->topology().cities[net.centers[c].city].name;
      throw UserError(hook_origin("score") + ": score(job " + std::to_string(job.id) + ", center " + cname +
                      "): returned " + got + " (expected a number or nil)");
    }
    lua_pop(L, 1);
  }
  r.view->set_job(nullptr, nullptr);
}

Placement LuaPolicy::choose(const Job& /*job*/, const NetState& net, const double* row) const {
  Placement p;
  double best = -std::numeric_limits<double>::infinity();
  for (int c = 0; c < static_cast<int>(net.centers.size()); ++c)
    if (row[c] > best) { best = row[c]; p.center = c; }
  if (p.center >= 0) p.action = Placement::Action::place;
  return p;
}

Placement LuaPolicy::place_by_score(Runtime& r, const Job& job, const NetState& net) {
  thread_local std::vector<double> row;
  row.resize(net.centers.size());
  score_row(r, job, net, row.data());
  return choose(job, net, row.data());
}

std::vector<Placement> LuaPolicy::place_batch(const std::vector<const Job*>& jobs,
                                              const NetState& net) {
  if (has_place() || !has_score() || jobs.size() < 8) return Policy::place_batch(jobs, net);
  const std::size_t nc = net.centers.size();
  std::vector<double> matrix(jobs.size() * nc);
  oneapi::tbb::parallel_for(
      oneapi::tbb::blocked_range<std::size_t>(0, jobs.size(), 16),
      [&](const oneapi::tbb::blocked_range<std::size_t>& range) {
        Runtime& r = worker();
        r.view->refresh(net);
        for (std::size_t i = range.begin(); i != range.end(); ++i)
          score_row(r, *jobs[i], net, matrix.data() + i * nc);
      });
  // Choose serially, in job order: the same argmax the serial place() takes.
  std::vector<Placement> out;
  out.reserve(jobs.size());
  for (std::size_t i = 0; i < jobs.size(); ++i) out.push_back(choose(*jobs[i], net, matrix.data() + i * nc));
  return out;
}

std::vector<int> LuaPolicy::order(const std::vector<const Job*>& queue, int pool, const NetState& net) {
  if (!has_order()) return Policy::order(queue, pool, net);
  Runtime& r = *main_;
  r.view->refresh(net);
  lua_State* L = r.sb.L();
  const topo::Topology& T = r.view->topology();
  const int top = lua_gettop(L);
  const int center = net.pools[pool].center;
  const std::string where = "center " + T.cities[net.centers[center].city].name + ", pool " +
                            T.accelerators[net.pools[pool].accel].id;
  lua_rawgeti(L, LUA_REGISTRYINDEX, r.ref_order);
  lua_createtable(L, static_cast<int>(queue.size()), 0);
  for (std::size_t i = 0; i < queue.size(); ++i) {
    lua::push_fresh_job(L, *queue[i], T, net.data);
    lua_rawseti(L, -2, static_cast<lua_Integer>(i + 1));
  }
  r.view->push_center(L, center);
  r.view->push_net(L);
  r.view->push_pool(L, pool);
  call(r, 4, 1, "order", 0, -1, where);
  const int n = static_cast<int>(queue.size());
  std::vector<int> out;
  std::vector<char> seen(queue.size(), 0);
  std::string err;
  if (!lua_istable(L, -1)) {
    err = "returned " + describe(L, -1);
  } else if (static_cast<int>(lua_rawlen(L, -1)) != n) {
    err = "returned a list of " + std::to_string(lua_rawlen(L, -1)) + " entries for a queue of " +
          std::to_string(n);
  } else {
    for (int i = 1; i <= n && err.empty(); ++i) {
      lua_rawgeti(L, -1, i);
      const lua_Integer k = lua_isinteger(L, -1) ? lua_tointeger(L, -1) : 0;
      if (k < 1 || k > n || seen[k - 1])
        err = "returned " + describe(L, -1) + " at position " + std::to_string(i);
      else { seen[k - 1] = 1; out.push_back(static_cast<int>(k - 1)); }
      lua_pop(L, 1);
    }
  }
  lua_settop(L, top);
  if (!err.empty())
    throw UserError(hook_origin("order") + ": order(" + where + "): " + err +
                    " (expected a permutation of 1.." + std::to_string(n) + ", indices into queue)");
  return out;
}

void LuaPolicy::on_finish(const FinishedJob& f, const NetState& net) {
  Runtime& r = *main_;
  if (r.ref_finish == LUA_NOREF || !f.job) return;
  r.view->refresh(net);
  lua_State* L = r.sb.L();
  const int top = lua_gettop(L);
  lua_rawgeti(L, LUA_REGISTRYINDEX, r.ref_finish);
  r.job_finish->push_finished(f, net, r.view->topology());
  r.view->set_job(f.job, lua_topointer(L, -1));
  r.view->push_net(L);
  try {
    call(r, 2, 0, "on_finish", f.job->id);
  } catch (...) {
    r.view->set_job(nullptr, nullptr);
    throw;
  }
  r.view->set_job(nullptr, nullptr);
  lua_settop(L, top);
}

int LuaPolicy::bind(const Job& job, int pool, const std::vector<int>& feasible, const NetState& net) {
  Runtime& r = *main_;
  if (r.ref_bind == LUA_NOREF) return -1;
  r.view->refresh(net);
  lua_State* L = r.sb.L();
  const int top = lua_gettop(L);
  const topo::Topology& T = r.view->topology();
  const std::string where = "pool " + T.cities[net.centers[net.pools[pool].center].city].name + "/" +
                            T.accelerators[net.pools[pool].accel].id;
  lua_rawgeti(L, LUA_REGISTRYINDEX, r.ref_bind);
  r.job_place->push(job, T, net.data);
  r.view->push_pool(L, pool);
  lua_createtable(L, static_cast<int>(feasible.size()), 0);
  for (std::size_t i = 0; i < feasible.size(); ++i) {
    lua_pushinteger(L, feasible[i] + 1);
    lua_rawseti(L, -2, static_cast<lua_Integer>(i + 1));
  }
  call(r, 3, 1, "bind", job.id, -1, where);
  int server = -1;
  std::string err;
  if (lua_type(L, -1) == LUA_TNUMBER && lua_isinteger(L, -1)) {
    const lua_Integer k = lua_tointeger(L, -1);
    if (std::find(feasible.begin(), feasible.end(), k - 1) != feasible.end()) server = static_cast<int>(k - 1);
    else err = "returned server " + std::to_string(k) + ", where the job does not fit now";
  } else if (!lua_isnil(L, -1)) {
    err = "returned " + describe(L, -1);
  }
  lua_settop(L, top);
  if (!err.empty())
    throw UserError(hook_origin("bind") + ": bind(job " + std::to_string(job.id) + ", " + where + "): " + err +
                    " (expected nil or one of the server indices in its third argument)");
  return server;
}

void LuaPolicy::on_tick(const NetState& net) {
  Runtime& r = *main_;
  if (r.ref_tick == LUA_NOREF) return;
  r.view->refresh(net);
  lua_State* L = r.sb.L();
  const int top = lua_gettop(L);
  lua_rawgeti(L, LUA_REGISTRYINDEX, r.ref_tick);
  r.view->push_net(L);
  call(r, 1, 0, "on_tick", 0);
  lua_settop(L, top);
}

}  // namespace suanwang

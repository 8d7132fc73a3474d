#include "sim/policy/job_view.hpp"

namespace suanwang::lua {

namespace {

// job.span: nil for a job that runs in one center only, else a fresh
// read-only table (few jobs have one: nothing is kept between jobs).
void push_span(lua_State* L, const SpanSpec& span) {
  if (!span.enabled()) {
    lua_pushnil(L);
    return;
  }
  lua_createtable(L, 0, 4);
  const int t = lua_gettop(L);
  set_num(L, t, "gradient", span.gradient_B);
  set_num(L, t, "iteration", span.iteration_s);
  set_num(L, t, "overlap", span.overlap);
  lua_pushstring(L, to_string(span.allreduce));
  lua_setfield(L, t, "allreduce");
  push_readonly(L, t, "job.span");
  lua_remove(L, t);
}

// The fields of every job view. A JobView interns their names once (a
// registry array) and maps each name back to its number (a registry table).
enum Field : int {
  kId = 1, kKind, kOrigin, kOriginIndex, kGpus, kDuration, kWalltime, kDataset, kResult, kLatencyBound,
  kSubmit, kCheckpointInterval, kChipRequirement, kChip, kDatasetName, kDataMode, kPasses, kSpan, kFieldEnd
};
constexpr const char* kFieldName[kFieldEnd] = {
    "", "id", "kind", "origin", "origin_index", "gpus", "duration", "walltime", "dataset", "result",
    "latency_bound", "submit", "checkpoint_interval", "chip_requirement", "chip", "dataset_name", "data_mode",
    "passes", "span"};
static_assert(kFieldEnd <= 32, "JobView::written_ has a bit per field");
// The fields on_finish's view adds, in push_finished's order.
constexpr const char* kFinishedFields[] = {"center", "pool", "start", "finish", "wait", "completed"};

// The one definition of each field's value: pushes field f of `job` (nil
// where the job has none).
void push_job_field(lua_State* L, Field f, const Job& job, const topo::Topology& topo, const DataView* data) {
  const bool catalog = job.dataset >= 0 && data != nullptr && job.dataset < data->datasets();
  switch (f) {
    case kId: lua_pushinteger(L, static_cast<lua_Integer>(job.id)); return;
    case kKind: lua_pushstring(L, to_string(job.kind)); return;
    case kOrigin:
      if (job.origin >= 0 && job.origin < static_cast<int>(topo.cities.size()))
        lua_pushstring(L, topo.cities[job.origin].name.c_str());
      else
        lua_pushnil(L);
      return;
    case kOriginIndex: lua_pushinteger(L, job.origin + 1); return;
    case kGpus: lua_pushnumber(L, job.gpus); return;
    case kDuration: lua_pushnumber(L, job.duration_s); return;
    case kWalltime: lua_pushnumber(L, job.walltime_s); return;
    case kDataset: lua_pushnumber(L, job.dataset_B); return;
    case kResult: lua_pushnumber(L, job.result_B); return;
    case kLatencyBound: lua_pushnumber(L, job.latency_bound_s); return;
    case kSubmit: lua_pushnumber(L, job.submit_s); return;
    case kCheckpointInterval: lua_pushnumber(L, job.checkpoint_interval_s); return;
    case kChipRequirement: lua_pushstring(L, to_string(job.chip_requirement)); return;
    case kChip:
      if (job.chip.empty()) lua_pushnil(L); else lua_pushlstring(L, job.chip.data(), job.chip.size());
      return;
    // The data tier: nil for a job whose input comes from its origin.
    case kDatasetName:
      if (catalog) {
        const std::string_view name = data->dataset_name(job.dataset);
        lua_pushlstring(L, name.data(), name.size());
      } else {
        lua_pushnil(L);
      }
      return;
    case kDataMode:
      if (catalog) lua_pushstring(L, job.stream ? "stream" : "stage"); else lua_pushnil(L);
      return;
    case kPasses:
      if (catalog && job.stream) lua_pushnumber(L, job.stream_passes); else lua_pushnil(L);
      return;
    case kSpan: push_span(L, job.span); return;
    case kFieldEnd: break;
  }
  lua_pushnil(L);
}

// __index of a JobView's data table (upvalue: the JobView): a field not yet
// written for this job.
int l_job_field(lua_State* L) {
  static_cast<JobView*>(lua_touserdata(L, lua_upvalueindex(1)))->push_field(L, 2);
  return 1;
}

// __pairs of a JobView's proxy: every field written first.
int l_job_pairs(lua_State* L) {
  auto* v = static_cast<JobView*>(lua_touserdata(L, lua_upvalueindex(1)));
  v->write_all(L);
  v->push_data(L);
  return push_pairs_of(L, lua_gettop(L));
}

}  // namespace

JobView::JobView(lua_State* L) : L_(L) {
  lua_createtable(L, 0, 24);
  const int data = lua_gettop(L);
  lua_createtable(L, 0, 2);  // the data table's own metatable: unwritten fields
  lua_pushlightuserdata(L, this);
  lua_pushcclosure(L, l_job_field, 1);
  lua_setfield(L, -2, "__index");
  lua_pushliteral(L, "read-only");
  lua_setfield(L, -2, "__metatable");
  lua_setmetatable(L, data);
  lua_pushlightuserdata(L, this);
  lua_pushcclosure(L, l_job_pairs, 1);
  refs_ = keep_readonly(L, data, "job", lua_gettop(L));
  lua_settop(L, data - 1);
  lua_createtable(L, kFieldEnd - 1, 0);
  lua_createtable(L, 0, kFieldEnd - 1);
  for (int f = 1; f < kFieldEnd; ++f) {
    lua_pushstring(L, kFieldName[f]);
    lua_pushvalue(L, -1);
    lua_rawseti(L, -4, f);
    lua_pushinteger(L, f);
    lua_rawset(L, -3);
  }
  lookup_ref_ = luaL_ref(L, LUA_REGISTRYINDEX);
  keys_ref_ = luaL_ref(L, LUA_REGISTRYINDEX);
}

JobView::~JobView() {
  luaL_unref(L_, LUA_REGISTRYINDEX, keys_ref_);
  luaL_unref(L_, LUA_REGISTRYINDEX, lookup_ref_);
}

void JobView::forget() {
  if (written_ == 0 && !finished_) return;
  lua_State* L = L_;
  push_data(L);
  const int t = lua_gettop(L);
  if (written_ != 0) {
    lua_rawgeti(L, LUA_REGISTRYINDEX, keys_ref_);
    for (int f = 1; f < kFieldEnd; ++f) {
      if (!(written_ & (1u << f))) continue;
      lua_rawgeti(L, t + 1, f);
      lua_pushnil(L);
      lua_rawset(L, t);
    }
    written_ = 0;
  }
  if (finished_) {
    for (const char* k : kFinishedFields) {
      lua_pushstring(L, k);
      lua_pushnil(L);
      lua_rawset(L, t);
    }
    finished_ = false;
  }
  lua_settop(L, t - 1);
}

void JobView::push_field(lua_State* L, int key) {
  key = lua_absindex(L, key);
  lua_rawgeti(L, LUA_REGISTRYINDEX, lookup_ref_);
  lua_pushvalue(L, key);
  const int f = lua_rawget(L, -2) == LUA_TNUMBER ? static_cast<int>(lua_tointeger(L, -1)) : 0;
  lua_pop(L, 2);
  if (f <= 0 || f >= kFieldEnd || topo_ == nullptr) {
    lua_pushnil(L);
    return;
  }
  push_job_field(L, static_cast<Field>(f), job_, *topo_, data_);
  // Kept in the table: the next read of it is a plain lookup.
  push_data(L);
  lua_pushvalue(L, key);
  lua_pushvalue(L, -3);
  lua_rawset(L, -3);
  lua_pop(L, 1);
  written_ |= 1u << f;
}

void JobView::write_all(lua_State* L) {
  if (topo_ == nullptr) return;
  push_data(L);
  const int t = lua_gettop(L);
  lua_rawgeti(L, LUA_REGISTRYINDEX, keys_ref_);
  for (int f = 1; f < kFieldEnd; ++f) {
    if (written_ & (1u << f)) continue;
    lua_rawgeti(L, t + 1, f);
    push_job_field(L, static_cast<Field>(f), job_, *topo_, data_);
    lua_rawset(L, t);
    written_ |= 1u << f;
  }
  lua_settop(L, t - 1);
}

void JobView::set(const Job& job, const topo::Topology& topo, const DataView* data) {
  forget();
  job_ = job;
  topo_ = &topo;
  data_ = data;
}

void JobView::push(const Job& job, const topo::Topology& topo, const DataView* data) {
  set(job, topo, data);
  lua_rawgeti(L_, LUA_REGISTRYINDEX, refs_.proxy);
}

void JobView::push_current() const { lua_rawgeti(L_, LUA_REGISTRYINDEX, refs_.proxy); }

void JobView::push_finished(const FinishedJob& f, const NetState& net, const topo::Topology& topo) {
  lua_State* L = L_;
  set(*f.job, topo, net.data);
  write_all(L);
  push_data(L);
  const int t = lua_gettop(L);
  // Raw sets: nothing of the policy's may run here, outside a protected call.
  const auto put = [&](const char* k) {
    lua_pushstring(L, k);
    lua_insert(L, -2);
    lua_rawset(L, t);
  };
  if (f.center >= 0 && f.center < static_cast<int>(net.centers.size()))
    lua_pushstring(L, topo.cities[net.centers[f.center].city].name.c_str());
  else
    lua_pushnil(L);
  put(kFinishedFields[0]);
  if (f.pool >= 0 && f.pool < static_cast<int>(net.pools.size()) && net.pools[f.pool].accel >= 0)
    lua_pushstring(L, topo.accelerators[net.pools[f.pool].accel].id.c_str());
  else
    lua_pushnil(L);
  put(kFinishedFields[1]);
  lua_pushnumber(L, f.start_s);
  put(kFinishedFields[2]);
  lua_pushnumber(L, f.end_s);
  put(kFinishedFields[3]);
  lua_pushnumber(L, f.wait_s);
  put(kFinishedFields[4]);
  lua_pushboolean(L, f.completed);
  put(kFinishedFields[5]);
  finished_ = true;
  lua_pop(L, 1);
  lua_rawgeti(L, LUA_REGISTRYINDEX, refs_.proxy);
}

void push_fresh_job(lua_State* L, const Job& job, const topo::Topology& topo, const DataView* data) {
  lua_createtable(L, 0, 16);
  const int t = lua_gettop(L);
  for (int f = 1; f < kFieldEnd; ++f) {
    push_job_field(L, static_cast<Field>(f), job, topo, data);
    lua_setfield(L, t, kFieldName[f]);
  }
  push_readonly(L, t, "job");
  lua_remove(L, t);
}

}  // namespace suanwang::lua

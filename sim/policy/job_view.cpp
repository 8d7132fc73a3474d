#include "sim/policy/job_view.hpp"

#include <utility>

namespace suanwang::lua {

namespace {

// job.span: nil for a job that runs in one center only, else a fresh
// read-only table (few jobs have one: nothing is kept between calls).
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

// The fields every job view has, in the order written. A JobView interns
// their names once (a registry array): each write is then a raw set with the
// key at hand, not lua_setfield's lookup of a C string (~20 per decision).
enum Field : int {
  kId = 1, kKind, kOrigin, kOriginIndex, kGpus, kDuration, kWalltime, kDataset, kResult, kLatencyBound,
  kSubmit, kCheckpointInterval, kChipRequirement, kChip, kDatasetName, kDataMode, kPasses, kSpan, kFieldEnd
};
constexpr const char* kFieldName[kFieldEnd] = {
    "", "id", "kind", "origin", "origin_index", "gpus", "duration", "walltime", "dataset", "result",
    "latency_bound", "submit", "checkpoint_interval", "chip_requirement", "chip", "dataset_name", "data_mode",
    "passes", "span"};

// Writes the value on top of the stack to field f of the table at t, with
// the interned names at stack index `keys` (0: none, name by name).
void put(lua_State* L, int t, int keys, Field f) {
  if (keys == 0) {
    lua_setfield(L, t, kFieldName[f]);
    return;
  }
  lua_rawgeti(L, keys, f);
  lua_insert(L, -2);
  lua_rawset(L, t);
}

// `keys` as for put().
void write_job_fields(lua_State* L, int t, int keys, const Job& job, const topo::Topology& topo,
                      const DataView* data) {
  lua_pushinteger(L, static_cast<lua_Integer>(job.id));
  put(L, t, keys, kId);
  lua_pushstring(L, to_string(job.kind));
  put(L, t, keys, kKind);
  if (job.origin >= 0 && job.origin < static_cast<int>(topo.cities.size())) {
    lua_pushstring(L, topo.cities[job.origin].name.c_str());
    put(L, t, keys, kOrigin);
  }
  lua_pushinteger(L, job.origin + 1);
  put(L, t, keys, kOriginIndex);
  const std::pair<Field, double> numbers[] = {
      {kGpus, job.gpus},       {kDuration, job.duration_s},          {kWalltime, job.walltime_s},
      {kDataset, job.dataset_B}, {kResult, job.result_B},          {kLatencyBound, job.latency_bound_s},
      {kSubmit, job.submit_s}, {kCheckpointInterval, job.checkpoint_interval_s}};
  for (const auto& [f, v] : numbers) {
    lua_pushnumber(L, v);
    put(L, t, keys, f);
  }
  lua_pushstring(L, to_string(job.chip_requirement));
  put(L, t, keys, kChipRequirement);
  if (job.chip.empty()) lua_pushnil(L); else lua_pushlstring(L, job.chip.data(), job.chip.size());
  put(L, t, keys, kChip);
  // The data tier (nil for a job whose input comes from its origin).
  const bool catalog = job.dataset >= 0 && data != nullptr && job.dataset < data->datasets();
  if (catalog) {
    const std::string_view name = data->dataset_name(job.dataset);
    lua_pushlstring(L, name.data(), name.size());
  } else {
    lua_pushnil(L);
  }
  put(L, t, keys, kDatasetName);
  if (catalog) lua_pushstring(L, job.stream ? "stream" : "stage"); else lua_pushnil(L);
  put(L, t, keys, kDataMode);
  if (catalog && job.stream) lua_pushnumber(L, job.stream_passes); else lua_pushnil(L);
  put(L, t, keys, kPasses);
  push_span(L, job.span);
  put(L, t, keys, kSpan);
}

}  // namespace

JobView::JobView(lua_State* L) : L_(L) {
  lua_createtable(L, 0, 24);
  refs_ = keep_readonly(L, -1, "job");
  lua_pop(L, 1);
  lua_createtable(L, kFieldEnd - 1, 0);
  for (int f = 1; f < kFieldEnd; ++f) {
    lua_pushstring(L, kFieldName[f]);
    lua_rawseti(L, -2, f);
  }
  keys_ref_ = luaL_ref(L, LUA_REGISTRYINDEX);
}

JobView::~JobView() { luaL_unref(L_, LUA_REGISTRYINDEX, keys_ref_); }

// Pushes the interned field names.
void JobView::push_keys() const { lua_rawgeti(L_, LUA_REGISTRYINDEX, keys_ref_); }

void JobView::write(const Job& job, const topo::Topology& topo, const DataView* data) {
  lua_rawgeti(L_, LUA_REGISTRYINDEX, refs_.data);
  const int t = lua_gettop(L_);
  push_keys();
  write_job_fields(L_, t, t + 1, job, topo, data);
  lua_settop(L_, t - 1);
}

void JobView::push(const Job& job, const topo::Topology& topo, const DataView* data) {
  write(job, topo, data);
  lua_rawgeti(L_, LUA_REGISTRYINDEX, refs_.proxy);
}

void JobView::push_current() const { lua_rawgeti(L_, LUA_REGISTRYINDEX, refs_.proxy); }

void JobView::push_finished(const FinishedJob& f, const NetState& net, const topo::Topology& topo) {
  lua_State* L = L_;
  lua_rawgeti(L, LUA_REGISTRYINDEX, refs_.data);
  const int t = lua_gettop(L);
  push_keys();
  write_job_fields(L, t, t + 1, *f.job, topo, net.data);
  lua_settop(L, t);
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
  lua_rawgeti(L, LUA_REGISTRYINDEX, refs_.proxy);
}

void push_fresh_job(lua_State* L, const Job& job, const topo::Topology& topo, const DataView* data) {
  lua_createtable(L, 0, 16);
  write_job_fields(L, lua_gettop(L), 0, job, topo, data);
  push_readonly(L, -1, "job");
  lua_remove(L, -2);
}

}  // namespace suanwang::lua

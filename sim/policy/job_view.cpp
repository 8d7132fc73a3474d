#include "sim/policy/job_view.hpp"

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

void write_job_fields(lua_State* L, int t, const Job& job, const topo::Topology& topo, const DataView* data) {
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
  // The data tier (nil for a job whose input comes from its origin).
  const bool catalog = job.dataset >= 0 && data != nullptr && job.dataset < data->datasets();
  if (catalog) {
    const std::string_view name = data->dataset_name(job.dataset);
    lua_pushlstring(L, name.data(), name.size());
  } else {
    lua_pushnil(L);
  }
  lua_setfield(L, t, "dataset_name");
  if (catalog) lua_pushstring(L, job.stream ? "stream" : "stage"); else lua_pushnil(L);
  lua_setfield(L, t, "data_mode");
  if (catalog && job.stream) lua_pushnumber(L, job.stream_passes); else lua_pushnil(L);
  lua_setfield(L, t, "passes");
  push_span(L, job.span);
  lua_setfield(L, t, "span");
}

}  // namespace

JobView::JobView(lua_State* L) : L_(L) {
  lua_createtable(L, 0, 24);
  refs_ = keep_readonly(L, -1, "job");
  lua_pop(L, 1);
}

JobView::~JobView() = default;

void JobView::write(const Job& job, const topo::Topology& topo, const DataView* data) {
  lua_rawgeti(L_, LUA_REGISTRYINDEX, refs_.data);
  write_job_fields(L_, lua_gettop(L_), job, topo, data);
  lua_pop(L_, 1);
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
  write_job_fields(L, t, *f.job, topo, net.data);
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
  write_job_fields(L, lua_gettop(L), job, topo, data);
  push_readonly(L, -1, "job");
  lua_remove(L, -2);
}

}  // namespace suanwang::lua

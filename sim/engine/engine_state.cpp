#include "sim/engine/engine_state.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include <simgrid/s4u/Engine.hpp>

#include "sim/core/user_error.hpp"
#include "sim/topology/carbon.hpp"

namespace suanwang::engine {

std::int64_t units_for(double gpus, int slices) {
  if (gpus >= 1.0) return static_cast<std::int64_t>(std::llround(gpus)) * slices;
  // A vGPU share: round up to whole slices so a share is never starved.
  return std::max<std::int64_t>(1, static_cast<std::int64_t>(std::ceil(gpus * slices - 1e-9)));
}

namespace {

// Signed link ids of every route variant: +(l+1) when the route crosses link
// l from a to b, -(l+1) from b to a. [(s*n+d)*V + v]
std::vector<std::vector<int>> signed_hops(const topo::Topology& topo, const topo::RouteTable& routes) {
  const int n = static_cast<int>(topo.cities.size());
  const int V = routes.max_variants();
  std::vector<std::vector<int>> out(static_cast<std::size_t>(n) * n * V);
  for (int s = 0; s < n; ++s)
    for (int d = 0; d < n; ++d) {
      if (s == d) continue;
      const auto& vars = routes.variants(s, d);
      for (int v = 0; v < V; ++v) {
        const topo::Route& r = vars[std::min<std::size_t>(v, vars.size() - 1)];
        auto& h = out[(static_cast<std::size_t>(s) * n + d) * V + v];
        int at = s;
        for (int li : r.links) {
          const topo::Link& l = topo.links[li];
          const bool fwd = l.a == at;
          h.push_back(fwd ? li + 1 : -(li + 1));
          at = fwd ? l.b : l.a;
        }
      }
    }
  return out;
}

}  // namespace

EngineState::EngineState(const Scenario& scenario, Policy& pol, Recorder& recorder,
                         const SimulationOptions& options, EventSink& sink)
    : sc(scenario), topo(scenario.topology), policy(pol), rec(recorder), opt(options),
      calendar(sink), hooks(*this) {
  slices = std::max(1, sc.vgpu_slices);
  const int ref = topo.accelerator_index(sc.reference_chip);
  if (ref < 0)
    throw UserError(sc.file, "reference_chip",
                    "unknown chip '" + sc.reference_chip + "' (expected an id of the accelerator catalog)");
  ref_flops = topo.accelerators[ref].fp16_flops;
  routes = std::make_unique<topo::RouteTable>(topo);
  hops_ = signed_hops(topo, *routes);
  variant_ok_.assign(hops_.size(), 1);

  net = make_idle_net_state(topo);
  link_bytes_up.assign(topo.links.size(), 0.0);
  traffic_B.assign(topo.cities.size() * topo.cities.size() * kTrafficPurposes, 0.0);
  link_bytes_down.assign(topo.links.size(), 0.0);
  for (int pool = 0; pool < static_cast<int>(net.pools.size()); ++pool) {
    const PoolState& ps = net.pools[pool];
    const topo::Accelerator& acc = topo.accelerators[ps.accel];
    pool_center.push_back(ps.center);
    pool_speed.push_back(acc.fp16_flops / ref_flops);
    power.emplace_back(ps.total_chips, slices, acc.idle_W, acc.busy_W);
    make_queue(pool);
    if (policy.has_order()) {
      // The policy's `order` hook permutes the queue before the discipline
      // (fcfs or easy) picks what starts. A bad permutation is a policy error.
      queues.back()->set_ordering([this, pool](const std::vector<QueuedJob>& queue) {
        std::vector<const Job*> list;
        list.reserve(queue.size());
        for (const QueuedJob& q : queue) list.push_back(&jobs[static_cast<Handle>(q.id)].job);
        try {
          return hooks.order(list, pool);
        } catch (const UserError& e) {
          stop(e.what());
        }
      });
    }
  }
  const std::size_t nc = net.centers.size();
  center_busy_chip_s.assign(nc, 0.0);
  center_jobs_completed.assign(nc, 0);
  center_down_since.assign(nc, -1.0);
  center_down_total_s.assign(nc, 0.0);
  inbox_.resize(nc);
  colocation = std::make_unique<Colocation>(*this);
  data = std::make_unique<DataPlane>(*this);
  if (!sc.workload.datasets.empty() || !sc.storage.sites.empty()) net.data = data.get();
  spanning = std::make_unique<Spanning>(*this);
  refresh_paths();
}

EngineState::~EngineState() = default;

namespace {

// The servers of a topology pool made of servers, with their hosts.
std::vector<ServerSpec> server_specs(const topo::Pool& p, const topo::Accelerator& acc) {
  std::vector<ServerSpec> out;
  const auto spec = [](int gpus, double cores, double memory_B) {
    return ServerSpec{gpus, std::llround(cores * 1000), std::llround(memory_B)};
  };
  if (!p.server_list.empty()) {
    for (const topo::ServerShape& s : p.server_list) out.push_back(spec(s.gpus, s.cpu_cores, s.memory_B));
    return out;
  }
  out.assign(static_cast<std::size_t>(p.servers), spec(p.per_server, acc.server_cpu_cores, acc.server_memory_B));
  return out;
}

}  // namespace

void EngineState::make_queue(int pool) {
  const PoolState& ps = net.pools[pool];
  const topo::City& city = topo.cities[net.centers[ps.center].city];
  const topo::Pool* tp = nullptr;
  for (const topo::Pool& p : city.pools)
    if (p.accel == ps.accel) tp = &p;
  // Pooled GPU sharing: the servers' chips form one bag (remote vGPU).
  if (tp != nullptr && tp->has_servers() && !sc.gpu_pooling) {
    // A seed of its own per pool: placements never depend on other pools.
    auto cap = std::make_unique<ServerCapacity>(server_specs(*tp, topo.accelerators[ps.accel]), slices,
                                                sc.node_placement, sc.seed * 0x9E3779B97F4A7C15ULL + pool);
    net.pools[pool].server_view = cap.get();
    if (policy.has_bind())
      cap->set_binder([this, pool](const QueuedJob& q, const std::vector<int>& feasible) {
        try {
          return hooks.bind(jobs[static_cast<Handle>(q.id)].job, pool, feasible);
        } catch (const UserError& e) {
          // Always stops (on_policy_error = "reject" included): the job is
          // inside its queue's selection, which cannot drop it half-way.
          stop(e.what());
        }
      });
    server_pools.push_back(cap.get());
    queues.push_back(std::make_unique<LocalQueue>(std::move(cap), sc.local_queue));
  } else {
    server_pools.push_back(nullptr);
    queues.push_back(std::make_unique<LocalQueue>(static_cast<std::int64_t>(ps.total_chips) * slices,
                                                  sc.local_queue));
  }
}

NodeRequest EngineState::request_of(const Job& job, int pool) const {
  NodeRequest r;
  r.cpu_milli = std::llround(job.cpu_cores * 1000);
  r.memory_B = std::llround(job.memory_B);
  if (job.gpus <= 0) {  // CPU only
    r.gpus = 0;
    return r;
  }
  if (job.gpus < 1) {  // a share of one chip
    r.gpus = 1;
    r.gpu_units = units_for(job.gpus, slices);
    return r;
  }
  r.gpus = static_cast<int>(std::llround(job.gpus));
  r.gpu_units = slices;
  const ServerCapacity* s = server_pools[pool];
  const int per_server = net.pools[pool].per_server;
  if (s != nullptr && per_server > 0 && r.gpus > per_server)
    r.gang_servers = (r.gpus + per_server - 1) / per_server;  // whole servers
  return r;
}

std::int64_t EngineState::units_of(const NodeRequest& req, int pool) const {
  if (req.gang_servers > 0)
    return static_cast<std::int64_t>(req.gang_servers) * net.pools[pool].per_server * slices;
  return static_cast<std::int64_t>(req.gpus) * req.gpu_units;
}

double EngineState::now() const { return simgrid::s4u::Engine::get_clock(); }

Handle EngineState::admit(const Job& job) {
  const Handle h = jobs.admit(job);
  ActiveJob& j = jobs[h];
  j.job.id = totals.jobs_submitted + 1;  // ids in arrival order, from 1
  j.units = units_for(job.gpus, slices);
  ++totals.jobs_submitted;
  return h;
}

void EngineState::finish_job(Handle h, JobStatus status, const std::string& reason) {
  ActiveJob& j = jobs[h];
  data->release(h);
  JobRecord r;
  r.id = j.job.id;
  r.kind = j.job.kind;
  r.origin = j.job.origin;
  r.center = j.center >= 0 ? net.centers[j.center].city : -1;
  r.pool = j.pool;
  if (j.pool >= 0) r.chip = topo.accelerators[net.pools[j.pool].accel].id;
  r.submit_s = j.job.submit_s;
  r.start_s = j.first_start_s;
  r.end_s = j.end_s;
  r.wait_s = j.first_start_s >= 0 ? j.first_start_s - j.job.submit_s : -1;
  r.gpus = j.job.gpus;
  r.transfer_s = j.transfer_s;
  r.transfer_delay_s = j.transfer_delay_s;
  r.bytes_moved = j.bytes_moved;
  r.energy_J = j.energy_J;
  r.cost_CNY = j.cost_CNY;
  r.carbon_kg = j.carbon_kg;
  r.restarts = j.restarts;
  r.server = j.server;
  r.servers = j.servers;
  r.preemptions = j.preemptions;
  r.lost_chip_s = j.lost_chip_s;
  r.dataset = j.job.dataset;
  r.cache_hit = j.cache_hit;
  r.data_from = j.data_from;
  r.data_wait_s = j.data_wait_s;
  r.stall_s = j.stall_s;
  r.parts = j.pool >= 0 ? 1 : 0;
  if (j.span >= 0) spanning->fill_record(h, r);
  r.status = status;
  r.reason = reason;
  rec.job(r);

  totals.bytes_moved += j.bytes_moved;
  switch (status) {
    case JobStatus::completed:
      ++totals.jobs_completed;
      if (j.center >= 0) ++center_jobs_completed[j.center];
      break;
    case JobStatus::failed: ++totals.jobs_failed; break;
    case JobStatus::rejected: ++totals.jobs_rejected; break;
    case JobStatus::unfinished: ++totals.jobs_unfinished; break;
  }
  if (status != JobStatus::unfinished) {
    FinishedJob f;
    f.job = &j.job;
    f.center = j.center;
    f.pool = j.pool;
    f.start_s = j.first_start_s;
    f.end_s = j.end_s;
    f.wait_s = r.wait_s;
    f.completed = status == JobStatus::completed;
    try {
      hooks.on_finish(f);
    } catch (const UserError& e) {
      policy_failed(kNoHandle, e.what());
    }
  }
  if (j.service >= 0) service_handles[j.service] = kNoHandle;
  jobs.release(h);
}

int EngineState::usable_variant(int src, int dst) const {
  const int n = static_cast<int>(topo.cities.size());
  const int V = routes->max_variants();
  const std::size_t base = (static_cast<std::size_t>(src) * n + dst) * V;
  for (int v = 0; v < V; ++v)
    if (variant_ok_[base + v]) return v;
  return -1;
}

const std::vector<int>& EngineState::hops(int src, int dst, int variant) const {
  const int n = static_cast<int>(topo.cities.size());
  return hops_[(static_cast<std::size_t>(src) * n + dst) * routes->max_variants() + variant];
}

const topo::Route& EngineState::route(int src, int dst, int variant) const {
  const auto& vars = routes->variants(src, dst);
  return vars[std::min<std::size_t>(variant, vars.size() - 1)];
}

void EngineState::credit_link_bytes(ActiveJob& j, double sent_total_B) {
  const double delta = sent_total_B - j.transfer_counted_B;
  if (delta <= 0 || j.route_variant < 0) return;
  for (int s : hops(j.route_src, j.route_dst, j.route_variant)) {
    if (s > 0) link_bytes_up[s - 1] += delta;
    else link_bytes_down[-s - 1] += delta;
  }
  const std::size_t n = topo.cities.size();
  traffic_B[(static_cast<std::size_t>(j.route_src) * n + static_cast<std::size_t>(j.route_dst)) *
                kTrafficPurposes +
            static_cast<std::size_t>(j.purpose)] += delta;
  if (j.store >= 0) data->credit_site(j.store, delta);
  j.transfer_counted_B = sent_total_B;
}

std::vector<TrafficCell> EngineState::traffic() const {
  std::vector<TrafficCell> out;
  const std::size_t n = topo.cities.size();
  for (std::size_t i = 0; i < traffic_B.size(); ++i) {
    if (traffic_B[i] <= 0) continue;
    TrafficCell c;
    c.src = static_cast<int>(i / kTrafficPurposes / n);
    c.dst = static_cast<int>(i / kTrafficPurposes % n);
    c.purpose = static_cast<TrafficPurpose>(i % kTrafficPurposes);
    c.bytes = traffic_B[i];
    out.push_back(c);
  }
  return out;
}

void EngineState::refresh_paths() {
  const int n = static_cast<int>(topo.cities.size());
  for (std::size_t i = 0; i < hops_.size(); ++i) {
    bool ok = true;
    for (int s : hops_[i]) ok = ok && net.link_up[std::abs(s) - 1];
    variant_ok_[i] = ok;
  }
  net.latency_s.assign(static_cast<std::size_t>(n) * n, 0.0);
  net.path_bandwidth_Bps.assign(static_cast<std::size_t>(n) * n,
                                std::numeric_limits<double>::infinity());
  for (int s = 0; s < n; ++s)
    for (int d = 0; d < n; ++d) {
      if (s == d) continue;
      const std::size_t k = static_cast<std::size_t>(s) * n + d;
      const int v = usable_variant(s, d);
      net.latency_s[k] = v >= 0 ? route(s, d, v).latency_s : std::numeric_limits<double>::infinity();
      net.path_bandwidth_Bps[k] = v >= 0 ? route(s, d, v).bottleneck_Bps : 0.0;
    }
}

double EngineState::price_factor(double t_s) const {
  const auto& p = sc.price_profile_hourly;
  return p.empty() ? 1.0 : p[static_cast<std::size_t>(topo::hour_of_day(t_s))];
}

double EngineState::price_integral(double t0, double t1) const {
  return topo::hourly_integral(sc.price_profile_hourly.empty() ? nullptr : sc.price_profile_hourly.data(), t0, t1);
}

// A job's share of energy, money and carbon over [t0, t1]: busy power of its
// chips x PUE; the time-of-use price and the center's carbon factor (green
// share and hourly profile applied, topo::carbon_integral) integrated hour by hour.
void EngineState::charge_job_energy(ActiveJob& j, double t0, double t1) {
  charge_chips(j, t0, t1, static_cast<double>(j.units) / slices);
}

void EngineState::charge_chips(ActiveJob& j, double t0, double t1, double chips) {
  if (t1 <= t0 || j.pool < 0) return;
  const PoolState& ps = net.pools[j.pool];
  const topo::Accelerator& acc = topo.accelerators[ps.accel];
  const topo::City& city = topo.cities[net.centers[ps.center].city];
  const double fac_W = chips * acc.busy_W * city.pue;
  j.energy_J += fac_W * (t1 - t0);
  j.cost_CNY += fac_W * city.price_cny_per_J * price_integral(t0, t1);
  j.carbon_kg += fac_W * topo::carbon_integral(topo, city, t0, t1);
  busy_chip_seconds += chips * (t1 - t0);
  center_busy_chip_s[ps.center] += chips * (t1 - t0);
}

void EngineState::sync_pool(int pool) {
  const LocalQueue& q = *queues[pool];
  PoolState& ps = net.pools[pool];
  const double free = static_cast<double>(q.free_units()) / slices;
  net.centers[ps.center].free_chips += free - ps.free_chips;
  ps.free_chips = free;
  if (const ServerCapacity* s = server_pools[pool]; s == nullptr) {
    ps.start_chips = ps.start_share = free;
  } else if (q.capacity_units() == 0) {  // down
    ps.start_chips = ps.start_share = 0;
  } else {
    const NodePool& np = s->pool();
    ps.start_chips = std::max(np.max_free_gpus_on_a_server(), np.empty_servers() * ps.per_server);
    ps.start_share = static_cast<double>(np.max_free_units_on_a_gpu()) / slices;
  }
  // Chips a service lends and no job uses draw idle power, as do the chips
  // of a multi-center job's parts waiting for the others.
  power[pool].set_busy_units(now(), q.used_units() - (colocation ? colocation->idle_lent_units(pool) : 0) -
                                        (spanning ? spanning->held_units(pool) : 0));
}

void EngineState::policy_failed(Handle h, const std::string& message) {
  if (sc.on_policy_error == "reject" && h != kNoHandle) {
    ActiveJob& j = jobs[h];
    j.end_s = now();
    finish_job(h, JobStatus::rejected, message);
    return;
  }
  stop(message);
}

void EngineState::stop(const std::string& message) {
  halt(message);
  throw RunStopped{};
}

void EngineState::halt(const std::string& message, bool internal) {
  if (!fatal_error_.empty()) return;
  fatal_error_ = message.empty() ? "the run was stopped" : message;
  internal_error_ = internal;
  // With no event of ours and no flow left, SimGrid has nothing to do: the
  // run returns at once.
  calendar.stop();
  if (transfers) transfers->cancel_all();
}

}  // namespace suanwang::engine

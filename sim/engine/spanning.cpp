#include "sim/engine/spanning.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "sim/engine/engine_state.hpp"
#include "sim/topology/chip_rules.hpp"

namespace suanwang::engine {

namespace {

// 512 -> "512", 0.5 -> "0.5": how a person writes a chip count.
std::string chips(double gpus) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", gpus);
  return buf;
}

}  // namespace

Spanning::Spanning(EngineState& st) : st_(st), held_units_(st.net.pools.size(), 0) {}

Spanning::~Spanning() = default;

int Spanning::city(int center) const { return st_.net.centers[center].city; }

// ---- placing

std::string Spanning::check(const ActiveJob& j, const Placement& p, std::vector<int>* pools) const {
  const std::string who = st_.policy.hook_origin("place") + ": place(job " + std::to_string(j.job.id) + ")";
  const std::string n = std::to_string(p.parts.size());
  if (j.job.kind != JobKind::training || !j.job.span.enabled())
    return who + ": returned " + n + " parts, but only a training job with span parameters (workload key "
                 "span) may run over several centers";
  if (p.parts.size() < 2) return who + ": returned 1 part (expected 2 or more parts, or a center)";
  double total = 0;
  for (std::size_t i = 0; i < p.parts.size(); ++i) {
    const PlacementPart& part = p.parts[i];
    const std::string at = who + ": returned parts[" + std::to_string(i + 1) + "]";
    if (part.center < 0 || part.center >= static_cast<int>(st_.net.centers.size()))
      return at + " with an unknown center";
    const std::string& cname = st_.topo.cities[city(part.center)].name;
    if (!st_.net.centers[part.center].up) return at + " at center " + cname + ", which is down";
    for (std::size_t k = 0; k < i; ++k)
      if (p.parts[k].center == part.center)
        return at + " at center " + cname + " again (expected one part per center)";
    if (!(part.gpus >= 1) || std::floor(part.gpus) != part.gpus || !std::isfinite(part.gpus))
      return at + ".gpus = " + chips(part.gpus) + " (expected a whole number of chips >= 1)";
    ActiveJob piece;
    piece.job = j.job;
    piece.job.gpus = part.gpus;
    piece.units = units_for(part.gpus, st_.slices);
    int pool = part.pool;
    if (pool >= 0 && (st_.net.pools[pool].center != part.center || !st_.fits_pool(piece, pool)))
      return at + ": pool " + cname + "/" + st_.topo.accelerators[st_.net.pools[pool].accel].id +
             " cannot run " + chips(part.gpus) + " chips of it";
    if (pool < 0) pool = st_.pick_pool(piece, part.center);
    if (pool < 0)
      return at + ": center " + cname + " has no pool that can run " + chips(part.gpus) +
             " chips of it (constraint " + to_string(j.job.chip_requirement) + ")";
    pools->push_back(pool);
    total += part.gpus;
  }
  if (total != j.job.gpus)
    return who + ": returned parts holding " + chips(total) + " chips (expected the job's " + chips(j.job.gpus) + ")";
  return {};
}

bool Spanning::could_run_split(const ActiveJob& j) const {
  if (j.job.kind != JobKind::training || !j.job.span.enabled()) return false;
  double chips_anywhere = 0;
  for (const PoolState& ps : st_.net.pools)
    if (topo::can_run(j.job, st_.topo.accelerators[ps.accel])) chips_anywhere += ps.total_chips;
  return chips_anywhere >= j.job.gpus;
}

int Spanning::new_span() {
  if (!free_.empty()) {
    const int i = free_.back();
    free_.pop_back();
    spans_[static_cast<std::size_t>(i)] = Span{};
    spans_[static_cast<std::size_t>(i)].in_use = true;
    return i;
  }
  spans_.emplace_back();
  spans_.back().in_use = true;
  return static_cast<int>(spans_.size()) - 1;
}

void Spanning::place(Handle h, const Placement& p) {
  std::vector<int> pools;
  if (const std::string err = check(st_.jobs[h], p, &pools); !err.empty()) {
    st_.policy_failed(h, err);
    return;
  }
  if (st_.jobs[h].span < 0) st_.jobs[h].span = new_span();
  const int si = st_.jobs[h].span;
  Span& s = spans_[static_cast<std::size_t>(si)];
  s.job = h;
  s.parts.clear();
  ++s.attempt;
  s.parts_now = static_cast<int>(p.parts.size());
  s.started = 0;
  s.stage = Stage::gathering;
  {
    // The job itself holds no chips: its parts do (units 0 keeps it out of
    // every per-chip account, the horizon's included).
    ActiveJob& J = st_.jobs[h];
    J.center = -1;
    J.pool = -1;
    J.units = 0;
    J.phase = Phase::queued;
  }
  for (std::size_t i = 0; i < p.parts.size(); ++i) {
    Job piece = st_.jobs[h].job;
    piece.gpus = p.parts[i].gpus;
    piece.result_B = 0;  // the job sends its result once, from part 1's center
    piece.preemptible = false;
    piece.stream = false;  // each part stages its dataset (streaming is not modelled for parts)
    const Handle c = st_.jobs.admit(piece);  // may move the slab: no reference kept across
    ActiveJob& C = st_.jobs[c];
    C.remaining_s = st_.jobs[h].remaining_s;
    C.span = si;
    C.part = static_cast<int>(i);
    C.center = p.parts[i].center;
    C.pool = pools[i];
    C.units = st_.units_of(st_.request_of(C.job, C.pool), C.pool);
    C.phase = Phase::inbound;
    ++st_.net.centers[C.center].inbound_transfers;
    Part part;
    part.h = c;
    part.center = C.center;
    part.pool = C.pool;
    part.gpus = C.job.gpus;
    s.parts.push_back(part);
    st_.deliver(c);
  }
}

// ---- gathering the parts

void Spanning::part_started(Handle c) {
  ActiveJob& C = st_.jobs[c];
  Span& s = spans_[static_cast<std::size_t>(C.span)];
  Part& p = s.parts[static_cast<std::size_t>(C.part)];
  const double t = st_.now();
  p.start_s = t;
  p.dataset_B = C.bytes_moved;
  p.dataset_s = C.transfer_s;
  p.dataset_delay_s = C.transfer_delay_s;
  held_units_[static_cast<std::size_t>(C.pool)] += C.units;
  if (++s.started == 1) {
    const ActiveJob& J = st_.jobs[s.job];
    st_.calendar.schedule(t + st_.sc.span_hold_s, EventKind::span_step, s.job, J.gen);
  }
  if (s.started == static_cast<int>(s.parts.size())) begin_run(s);
}

void Spanning::begin_run(Span& s) {
  const double t = st_.now();
  ActiveJob& J = st_.jobs[s.job];
  double pace = 0;  // seconds per reference second at the slowest part
  for (Part& p : s.parts) {
    const ActiveJob& C = st_.jobs[p.h];
    p.held_idle_s += t - p.start_s;
    held_units_[static_cast<std::size_t>(p.pool)] -= C.units;
    st_.sync_pool(p.pool);
    pace = std::max(pace, C.slowdown / st_.pool_speed[static_cast<std::size_t>(p.pool)]);
  }
  ++J.gen;  // the hold timer is void
  J.phase = Phase::running;
  J.start_s = t;
  if (J.first_start_s < 0) J.first_start_s = t;
  const SpanSpec& spec = J.job.span;
  s.sync = sync_per_iteration(spec, static_cast<int>(s.parts.size()), J.job.gpus);
  s.t_comp_s = spec.iteration_s * pace;
  s.round_iters = std::max(1.0, std::floor(st_.sc.span_round_s / s.t_comp_s + 1e-9));
  s.run_start_s = t;
  s.run_wall_s = s.run_work_s = 0;
  start_round(s);
}

// The parts did not all start within span_hold: every part gives its chips
// back and the job returns to the policy (no work was done, none is lost).
void Spanning::give_back(Span& s) {
  std::vector<int> pools;
  for (const Part& p : s.parts) pools.push_back(p.pool);
  const Handle h = s.job;
  release_parts(s, st_.now(), PartOutcome::released);
  s.parts_now = 0;
  // The chips go to whoever waits for them first; then the job is asked
  // again (asking it first would let it take them straight back).
  for (int pool : pools) st_.start_ready(pool);
  st_.capacity_changed();
  st_.redispatch(h);
}

// ---- rounds

void Spanning::start_round(Span& s) {
  const ActiveJob& J = st_.jobs[s.job];
  const SpanSpec& spec = J.job.span;
  s.k = std::min(s.round_iters, J.remaining_s / spec.iteration_s);
  s.round_start_s = st_.now();
  s.pending = static_cast<int>(s.parts.size()) + 1;
  s.stage = Stage::exposed;
  st_.calendar.schedule(s.round_start_s + (1 - spec.overlap) * s.k * s.t_comp_s, EventKind::span_step, s.job,
                        J.gen);
}

void Spanning::on_step(Handle target) {
  const ActiveJob& T = st_.jobs[target];
  Span& s = spans_[static_cast<std::size_t>(T.span)];
  if (T.part >= 0) {
    start_send(s, T.part);
    return;
  }
  switch (s.stage) {
    case Stage::gathering: give_back(s); return;
    case Stage::exposed: {
      // The exposed compute is done: the exchange starts, next to the
      // overlapped compute.
      s.stage = Stage::overlapped;
      for (int i = 0; i < static_cast<int>(s.parts.size()); ++i) send(s, i);
      st_.calendar.schedule(st_.now() + T.job.span.overlap * s.k * s.t_comp_s, EventKind::span_step, target,
                            T.gen);
      return;
    }
    case Stage::overlapped:
      --s.pending;
      end_round_if_done(s);
      return;
  }
}

// Part i's exchange of this round: K x latency_steps latencies of its route
// (all but the last waited here, the last by Transfers), then its bytes.
void Spanning::send(Span& s, int i) {
  const Part& p = s.parts[static_cast<std::size_t>(i)];
  const Part& next = s.parts[static_cast<std::size_t>((i + 1) % static_cast<int>(s.parts.size()))];
  const int src = city(p.center), dst = city(next.center);
  const int v = st_.usable_variant(src, dst);
  const double latency = st_.route(src, dst, std::max(v, 0)).latency_s;
  const double extra = std::max(0.0, s.k * s.sync.latency_steps - 1) * latency;
  if (extra <= 0) {
    start_send(s, i);
    return;
  }
  st_.calendar.schedule(st_.now() + extra, EventKind::span_step, p.h, st_.jobs[p.h].gen);
}

void Spanning::start_send(Span& s, int i) {
  const Part& p = s.parts[static_cast<std::size_t>(i)];
  const Part& next = s.parts[static_cast<std::size_t>((i + 1) % static_cast<int>(s.parts.size()))];
  st_.transfers->start(p.h, city(p.center), city(next.center), s.k * s.sync.bytes_per_hop_B,
                       TrafficPurpose::sync);
}

void Spanning::sync_done(Handle c) {
  Span& s = spans_[static_cast<std::size_t>(st_.jobs[c].span)];
  --s.pending;
  end_round_if_done(s);
}

void Spanning::end_round_if_done(Span& s) {
  if (s.pending > 0) return;
  ActiveJob& J = st_.jobs[s.job];
  const double t = st_.now();
  const double work = s.k * J.job.span.iteration_s;
  J.remaining_s = std::max(0.0, J.remaining_s - work);
  s.run_wall_s += t - s.round_start_s;
  s.run_work_s += work;
  s.wall_s += t - s.round_start_s;
  s.single_s += s.k * s.t_comp_s;
  if (J.remaining_s <= 1e-9 * J.job.duration_s) finish_run(s);
  else start_round(s);
}

// The last round ended: parts give their chips back, the job sends its
// result from part 1's center (or ends there).
void Spanning::finish_run(Span& s) {
  const double t = st_.now();
  const Handle h = s.job;
  const int center0 = s.parts.front().center, pool0 = s.parts.front().pool;
  std::vector<int> pools;
  for (const Part& p : s.parts) pools.push_back(p.pool);
  release_parts(s, t, PartOutcome::completed);
  ActiveJob& J = st_.jobs[h];
  J.remaining_s = 0;
  J.end_s = t;
  J.center = center0;
  J.pool = pool0;
  const int from = city(center0);
  if (J.job.result_B > 0 && J.job.origin != from) {
    J.phase = Phase::outbound;
    st_.transfers->start(h, from, J.job.origin, J.job.result_B, TrafficPurpose::result);
  } else {
    st_.finish_job(h, JobStatus::completed, "");
  }
  for (int pool : pools) st_.start_ready(pool);
  st_.capacity_changed();
}

// ---- ending parts

void Spanning::release_parts(Span& s, double t, PartOutcome outcome) {
  double dataset_s = 0, delay_s = 0, data_wait_s = 0;
  int cache_hit = -1, data_from = -1;  // every part served by its cache: 1
  for (int i = 0; i < static_cast<int>(s.parts.size()); ++i) {
    const Part& p = s.parts[static_cast<std::size_t>(i)];
    const ActiveJob& C = st_.jobs[p.h];
    dataset_s = std::max(dataset_s, p.start_s >= 0 ? p.dataset_s : C.transfer_s);
    delay_s = std::max(delay_s, C.transfer_delay_s);
    data_wait_s = std::max(data_wait_s, C.data_wait_s);
    if (C.cache_hit >= 0) cache_hit = cache_hit < 0 ? C.cache_hit : std::min<int>(cache_hit, C.cache_hit);
    if (data_from < 0) data_from = C.data_from;
    release_part(s, i, t, outcome);
  }
  ActiveJob& J = st_.jobs[s.job];
  J.transfer_s += dataset_s;
  J.transfer_delay_s += delay_s;
  J.data_wait_s += data_wait_s;
  if (cache_hit >= 0) J.cache_hit = static_cast<std::int8_t>(cache_hit);
  if (data_from >= 0) J.data_from = data_from;
  s.parts.clear();
  s.started = 0;
  s.stage = Stage::gathering;
}

void Spanning::release_part(Span& s, int i, double t, PartOutcome outcome) {
  Part& p = s.parts[static_cast<std::size_t>(i)];
  ActiveJob& C = st_.jobs[p.h];
  const bool job_running = s.stage != Stage::gathering;
  switch (C.phase) {
    case Phase::inbound:
      st_.undeliver(p.h);           // still in its center's inbox (same step), or
      st_.transfers->abandon(p.h);  // its dataset moving, or
      st_.data->leave(p.h);         // waiting for a cache fill (else all are no-ops)
      --st_.net.centers[C.center].inbound_transfers;
      break;
    case Phase::queued: {
      st_.queues[static_cast<std::size_t>(C.pool)]->remove(p.h);
      PoolState& ps = st_.net.pools[static_cast<std::size_t>(C.pool)];
      --ps.queued_jobs;
      ps.queued_chips -= static_cast<double>(C.units) / st_.slices;
      --st_.net.centers[C.center].queued_jobs;
      break;
    }
    case Phase::running:
      if (job_running) {
        st_.charge_job_energy(C, s.run_start_s, t);
      } else {
        p.held_idle_s += t - p.start_s;
        held_units_[static_cast<std::size_t>(C.pool)] -= C.units;
      }
      st_.transfers->abandon(p.h);  // a send in flight
      st_.queues[static_cast<std::size_t>(C.pool)]->finish(p.h);
      --st_.net.pools[static_cast<std::size_t>(C.pool)].running_jobs;
      st_.sync_pool(C.pool);
      break;
    case Phase::dispatching:  // refused by its queue: already out of it
    case Phase::outbound: break;
  }
  const double sent_B = C.bytes_moved - (p.start_s >= 0 ? p.dataset_B : C.bytes_moved);
  PartRecord r;
  r.job = C.job.id;
  r.attempt = s.attempt;
  r.part = i;
  r.center = city(p.center);
  r.pool = p.pool;
  r.gpus = p.gpus;
  r.start_s = p.start_s;
  r.end_s = p.start_s >= 0 ? t : -1;
  r.held_idle_s = p.held_idle_s;
  r.sync_B = sent_B;
  r.sync_delay_s = p.start_s >= 0 ? C.transfer_delay_s - p.dataset_delay_s : 0;
  r.energy_J = C.energy_J;
  r.outcome = outcome;
  st_.rec.part(r);
  st_.data->release(p.h);  // its pin in its center's cache
  ActiveJob& J = st_.jobs[s.job];
  J.energy_J += C.energy_J;
  J.cost_CNY += C.cost_CNY;
  J.carbon_kg += C.carbon_kg;
  J.bytes_moved += C.bytes_moved;
  s.sync_B += sent_B;
  st_.jobs.release(p.h);
  p.h = kNoHandle;
}

void Spanning::lose_work(Span& s, double t) {
  // Completed rounds are the work done; the checkpoint before it is kept.
  ActiveJob& J = st_.jobs[s.job];
  const double done = J.job.duration_s - J.remaining_s;
  const double ckpt = J.job.checkpoint_interval_s;
  const double saved = std::min(ckpt > 0 ? std::floor(done / ckpt + 1e-9) * ckpt : 0.0, J.job.duration_s);
  const double lost_rounds_s = s.run_work_s > 0 ? (done - saved) / s.run_work_s * s.run_wall_s : 0.0;
  J.lost_chip_s += J.job.gpus * (std::max(0.0, lost_rounds_s) + (t - s.round_start_s));
  J.remaining_s = J.job.duration_s - saved;
  ++J.restarts;
}

void Spanning::part_refused(Handle c, const std::string& reason) {
  ActiveJob& C = st_.jobs[c];
  Span& s = spans_[static_cast<std::size_t>(C.span)];
  C.phase = Phase::dispatching;  // its queue already let it go
  std::vector<int> pools;  // the refusing pool is being served by its caller
  for (const Part& p : s.parts)
    if (p.pool != C.pool) pools.push_back(p.pool);
  const Handle h = s.job;
  release_parts(s, st_.now(), PartOutcome::released);
  s.parts_now = 0;
  ActiveJob& J = st_.jobs[h];
  J.end_s = st_.now();
  st_.finish_job(h, JobStatus::failed, reason);
  for (int pool : pools) st_.start_ready(pool);
}

void Spanning::center_down(int center, std::vector<std::pair<std::uint64_t, Handle>>* evicted) {
  const double t = st_.now();
  std::vector<int> pools;  // freed elsewhere: filled once every affected job is out
  for (Span& s : spans_) {
    if (!s.in_use || s.parts.empty()) continue;
    bool here = false;
    for (const Part& p : s.parts) here = here || p.center == center;
    if (!here) continue;
    const bool was_running = s.stage != Stage::gathering;
    for (const Part& p : s.parts)
      if (p.center != center) pools.push_back(p.pool);
    release_parts(s, t, PartOutcome::killed);
    if (was_running) lose_work(s, t);
    s.parts_now = 0;
    ActiveJob& J = st_.jobs[s.job];
    ++J.gen;  // its round events are void
    J.phase = Phase::dispatching;
    evicted->emplace_back(J.job.id, s.job);
  }
  std::sort(pools.begin(), pools.end());
  pools.erase(std::unique(pools.begin(), pools.end()), pools.end());
  for (int pool : pools) st_.start_ready(pool);
}

void Spanning::settle(double t) {
  for (Span& s : spans_) {
    if (!s.in_use || s.parts.empty()) continue;
    const int center0 = s.parts.front().center, pool0 = s.parts.front().pool;
    release_parts(s, t, PartOutcome::unfinished);
    ActiveJob& J = st_.jobs[s.job];
    J.center = center0;  // the row names part 1's center, as for a completed job
    J.pool = pool0;
  }
}

void Spanning::fill_record(Handle h, JobRecord& r) {
  ActiveJob& J = st_.jobs[h];
  Span& s = spans_[static_cast<std::size_t>(J.span)];
  if (s.parts_now >= 2) r.parts = s.parts_now;
  r.sync_B = s.sync_B;
  r.span_slowdown = s.single_s > 0 ? s.wall_s / s.single_s : -1;
  s.in_use = false;
  free_.push_back(J.span);
  J.span = -1;
}

}  // namespace suanwang::engine

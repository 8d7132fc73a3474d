// CenterAgent: the actor that runs one computing center (see simulation.hpp).
#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

#include <simgrid/Exception.hpp>

#include "sim/engine/engine_state.hpp"

namespace sg4 = simgrid::s4u;

namespace suanwang::engine {

namespace {
int doorbell_token = 0;  // non-null payload for control messages; never read
}

CenterAgent::CenterAgent(EngineState& st, int center) : st_(st), center_(center) {
  name_ = "center/" + st.topo.cities[st.net.centers[center].city].name;
  new_waiter();  // waiter 0: its actor is created by the Simulation (operator())
}

int CenterAgent::new_waiter() {
  const int w = static_cast<int>(waiters_.size());
  auto wt = std::make_unique<Waiter>();
  wt->mailbox = sg4::Mailbox::by_name(w == 0 ? name_ : name_ + "/w" + std::to_string(w));
  wt->acts.reserve(kGroup + 1);
  wt->jobs.reserve(kGroup + 1);
  wt->snap.reserve(kGroup + 1);
  wt->snap_jobs.reserve(kGroup + 1);
  wt->acts.emplace_back();  // doorbell, set when its actor starts
  wt->jobs.push_back(kNoHandle);
  waiters_.push_back(std::move(wt));
  ++awake_;  // drains the inbox before its first wait
  return w;
}

int CenterAgent::current_waiter() const {
  const long pid = sg4::this_actor::get_pid();
  return pid >= 0 && pid < static_cast<long>(pid_waiter_.size()) ? pid_waiter_[pid] : -1;
}

void CenterAgent::ring_waiter(int w) {
  Waiter& W = *waiters_[w];
  if (W.rung || !W.blocked) return;
  W.rung = true;
  W.mailbox->put_init(&doorbell_token, 0)->detach();
}

void CenterAgent::ring() {
  // An awake waiter drains the inbox before it waits again.
  if (awake_ > 0) return;
  ring_waiter(0);
}

void CenterAgent::deliver(Handle h) {
  inbox_.push_back(h);
  ring();
}

void CenterAgent::notify_link_change() {
  link_change_ = true;
  ring();
}

void CenterAgent::notify_outage(bool down) {
  outage_change_ = down ? 1 : -1;
  ring();
  // The outage must take effect now, not when this actor next runs: if one
  // of its waiters is the caller it handles it before waiting again (awake_),
  // otherwise the doorbell wakes waiter 0 at this same simulated time.
}

void CenterAgent::operator()() {
  run_waiter(0);
}

void CenterAgent::run_waiter(int w) {
  {
    const long pid = sg4::this_actor::get_pid();
    if (pid >= static_cast<long>(pid_waiter_.size())) pid_waiter_.resize(pid + 1, -1);
    pid_waiter_[pid] = w;
    waiters_[w]->pid = pid;
  }
  Waiter& W = *waiters_[w];  // stable: waiters_ holds unique_ptrs
  W.doorbell = W.mailbox->get_async<void>(&W.payload);
  W.acts[0] = W.doorbell;
  for (;;) {
    drain_inbox();
    if (st_.stopped()) return;
    W.snap.assign(W.acts.begin(), W.acts.end());
    W.snap_jobs.assign(W.jobs.begin(), W.jobs.end());
    W.blocked = true;
    --awake_;
    ssize_t i;
    try {
      i = sg4::Activity::wait_any(W.snap);
    } catch (const simgrid::Exception&) {
      // Another waiter of this center cancelled one of ours (outage, link
      // failure) and already took it off our list: just wait again.
      i = -1;
    } catch (const std::out_of_range&) {
      // SimGrid 3.32 answers a wait_any with the rank of an activity cancelled
      // by another actor while it was in an earlier list of this waiter (a
      // stale registration): that activity is gone from our list; wait again
      // (anything that really finished is found at once by the next wait_any).
      i = -1;
    }
    ++awake_;
    W.blocked = false;
    if (i == 0) {
      W.rung = false;
      W.doorbell = W.mailbox->get_async<void>(&W.payload);
      W.acts[0] = W.doorbell;
    } else if (i > 0) {
      const Handle h = W.snap_jobs[i];
      ActiveJob& j = st_.job(h);
      // Still ours (not cancelled and replaced meanwhile)?
      if (j.waiter == w && j.activity.get() == W.snap[i].get()) on_activity_done(h);
    }
    W.snap.clear();  // drop references: finished activities are freed now
    W.snap_jobs.clear();
    if (st_.stopped()) return;
  }
}

void CenterAgent::drain_inbox() {
  // Loop: handling one message may deliver more (a freed pool re-dispatches).
  for (;;) {
    if (outage_change_ != 0) {
      const int c = outage_change_;
      outage_change_ = 0;
      if (c > 0) handle_outage();
      else handle_repair();
      continue;
    }
    if (link_change_) {
      link_change_ = false;
      reroute_transfers();
      retry_parked();
      continue;
    }
    if (inbox_.empty()) return;
    const Handle h = inbox_.front();
    inbox_.pop_front();
    start_inbound(h);
    if (st_.stopped()) return;
  }
}

void CenterAgent::add_slot(Handle h) {
  // Prefer the calling waiter (it re-reads its list before waiting), then a
  // waiter already woken, then any waiter with room (rung), else a new one.
  int w = current_waiter();
  if (w < 0 || waiters_[w]->acts.size() > kGroup) {
    w = -1;
    int blocked = -1;
    for (int k = 0; k < static_cast<int>(waiters_.size()); ++k) {
      const Waiter& W = *waiters_[k];
      if (W.acts.size() > kGroup) continue;
      if (!W.blocked || W.rung) { w = k; break; }
      if (blocked < 0) blocked = k;
    }
    if (w < 0) w = blocked;
  }
  bool created = false;
  if (w < 0) {
    w = new_waiter();
    created = true;
  }
  Waiter& W = *waiters_[w];
  ActiveJob& j = st_.job(h);
  j.waiter = w;
  j.slot = static_cast<int>(W.acts.size());
  W.acts.push_back(j.activity);
  W.jobs.push_back(h);
  if (created) {
    sg4::Actor::create(name_ + "/w" + std::to_string(w), st_.platform->control(),
                       [this, w] { run_waiter(w); });
  } else {
    ring_waiter(w);
  }
}

void CenterAgent::remove_slot(Handle h) {
  ActiveJob& j = st_.job(h);
  Waiter& W = *waiters_[j.waiter];
  const std::size_t slot = static_cast<std::size_t>(j.slot);
  const std::size_t last = W.acts.size() - 1;
  if (slot != last) {
    W.acts[slot] = std::move(W.acts[last]);
    W.jobs[slot] = W.jobs[last];
    st_.job(W.jobs[slot]).slot = static_cast<int>(slot);
  }
  W.acts.pop_back();
  W.jobs.pop_back();
  j.waiter = -1;
  j.slot = -1;
}

void CenterAgent::in_flight_jobs(std::vector<Handle>& out) const {
  out.clear();
  for (const auto& W : waiters_)
    for (std::size_t s = 1; s < W->jobs.size(); ++s) out.push_back(W->jobs[s]);
  std::sort(out.begin(), out.end(),
            [&](Handle a, Handle b) { return st_.job(a).job.id < st_.job(b).job.id; });
}

void CenterAgent::start_transfer(Handle h, int src, int dst, double bytes) {
  ActiveJob& j = st_.job(h);
  const int v = st_.usable_variant(src, dst);
  j.route_src = src;
  j.route_dst = dst;
  j.transfer_size_B = bytes;
  j.transfer_counted_B = 0;
  j.phase_start_s = sg4::Engine::get_clock();
  if (v < 0) {  // every route variant crosses a down link: wait for a repair
    j.route_variant = -1;
    parked_.push_back(h);
    return;
  }
  j.route_variant = v;
  j.activity = sg4::Comm::sendto_async(st_.platform->sender(src), st_.platform->receiver(dst, v),
                                       static_cast<std::uint64_t>(bytes));
  add_slot(h);
}

void CenterAgent::start_inbound(Handle h) {
  ActiveJob& j = st_.job(h);
  const int city = st_.net.centers[center_].city;
  j.phase = Phase::inbound;
  if (j.job.dataset_B > 0 && j.job.origin != city) {
    start_transfer(h, j.job.origin, city, j.job.dataset_B);
  } else {
    --st_.net.centers[center_].inbound_transfers;
    enqueue(h);
  }
}

void CenterAgent::on_activity_done(Handle h) {
  remove_slot(h);
  ActiveJob& j = st_.job(h);
  switch (j.phase) {
    case Phase::inbound: on_inbound_done(h); break;
    case Phase::running: on_exec_done(h); break;
    case Phase::outbound: on_outbound_done(h); break;
    default: break;
  }
}

void CenterAgent::on_inbound_done(Handle h) {
  ActiveJob& j = st_.job(h);
  const double now = sg4::Engine::get_clock();
  st_.credit_link_bytes(j, j.transfer_size_B);
  j.bytes_moved += j.transfer_size_B;
  j.transfer_s += now - j.phase_start_s;
  j.activity = nullptr;
  j.route_variant = -1;
  --st_.net.centers[center_].inbound_transfers;
  enqueue(h);
}

void CenterAgent::enqueue(Handle h) {
  ActiveJob& j = st_.job(h);
  j.phase = Phase::queued;
  const PoolState& ps = st_.net.pools[j.pool];
  const double speed = st_.topo.accelerators[ps.accel].fp16_flops / st_.ref_flops;
  const double scale = j.job.duration_s > 0 ? j.remaining_s / j.job.duration_s : 1.0;
  QueuedJob q;
  q.id = h;
  q.units = j.units;
  q.walltime_s = std::max(j.job.walltime_s, j.job.duration_s) * scale / speed;
  q.enqueue_s = sg4::Engine::get_clock();
  st_.queues[j.pool]->push(q);
  ++st_.net.pools[j.pool].queued_jobs;
  st_.net.pools[j.pool].queued_chips += static_cast<double>(j.units) / st_.slices;
  ++st_.net.centers[center_].queued_jobs;
  start_ready(j.pool);
}

void CenterAgent::start_ready(int pool) {
  const auto started = st_.queues[pool]->select(sg4::Engine::get_clock());
  for (const QueuedJob& q : started) {
    ActiveJob& j = st_.job(static_cast<Handle>(q.id));
    --st_.net.pools[pool].queued_jobs;
    st_.net.pools[pool].queued_chips -= static_cast<double>(j.units) / st_.slices;
    --st_.net.centers[center_].queued_jobs;
    start_exec(static_cast<Handle>(q.id));
  }
  const double free = static_cast<double>(st_.queues[pool]->free_units()) / st_.slices;
  CenterState& c = st_.net.centers[center_];
  c.free_chips += free - st_.net.pools[pool].free_chips;
  st_.net.pools[pool].free_chips = free;
}

void CenterAgent::start_exec(Handle h) {
  ActiveJob& j = st_.job(h);
  const PoolHost& ph = st_.platform->pools()[j.pool];
  const double now = sg4::Engine::get_clock();
  // Per-thread work: runtime on this chip x per-slice speed, which is the
  // reference-chip work divided by the slices (the chip speed cancels out).
  const double flops = j.remaining_s * st_.ref_flops / st_.slices;
  j.activity = sg4::this_actor::exec_init(flops)
                   ->set_host(ph.host)
                   ->set_thread_count(static_cast<int>(j.units))
                   ->start();
  j.phase = Phase::running;
  j.start_s = now;
  if (j.first_start_s < 0) j.first_start_s = now;
  ++st_.net.pools[j.pool].running_jobs;
  add_slot(h);
}

void CenterAgent::on_exec_done(Handle h) {
  ActiveJob& j = st_.job(h);
  const double now = sg4::Engine::get_clock();
  st_.charge_job_energy(j, j.start_s, now);
  j.remaining_s = 0;
  j.end_s = now;
  j.activity = nullptr;
  const int pool = j.pool;
  st_.queues[pool]->finish(h);
  --st_.net.pools[pool].running_jobs;
  const int city = st_.net.centers[center_].city;
  if (j.job.result_B > 0 && j.job.origin != city) {
    j.phase = Phase::outbound;
    start_transfer(h, city, j.job.origin, j.job.result_B);
  } else {
    st_.finish_job(h, JobStatus::completed, "");
  }
  start_ready(pool);
  st_.capacity_changed();
}

void CenterAgent::on_outbound_done(Handle h) {
  ActiveJob& j = st_.job(h);
  const double now = sg4::Engine::get_clock();
  st_.credit_link_bytes(j, j.transfer_size_B);
  j.bytes_moved += j.transfer_size_B;
  j.transfer_s += now - j.phase_start_s;
  j.activity = nullptr;
  st_.finish_job(h, JobStatus::completed, "");
}

void CenterAgent::reroute_transfers() {
  const double now = sg4::Engine::get_clock();
  std::vector<Handle> flying;
  in_flight_jobs(flying);
  for (const Handle h : flying) {
    ActiveJob& j = st_.job(h);
    if (j.phase != Phase::inbound && j.phase != Phase::outbound) continue;
    bool ok = true;
    for (int s : st_.hops(j.route_src, j.route_dst, j.route_variant))
      ok = ok && st_.net.link_up[std::abs(s) - 1];
    if (ok) continue;
    // The transfer failed with its link: what was sent is lost, and it is
    // retried from scratch on a surviving route.
    const double sent = j.transfer_size_B - j.activity->get_remaining();
    st_.credit_link_bytes(j, sent);
    j.bytes_moved += sent;
    j.transfer_s += now - j.phase_start_s;
    j.transfer_delay_s += now - j.phase_start_s;
    remove_slot(h);
    j.activity->cancel();
    j.activity = nullptr;
    start_transfer(h, j.route_src, j.route_dst, j.transfer_size_B);
  }
}

void CenterAgent::retry_parked() {
  if (parked_.empty()) return;
  const double now = sg4::Engine::get_clock();
  std::vector<Handle> parked;
  parked.swap(parked_);
  for (Handle h : parked) {
    ActiveJob& j = st_.job(h);
    if (st_.usable_variant(j.route_src, j.route_dst) < 0) {
      parked_.push_back(h);
      continue;
    }
    j.transfer_delay_s += now - j.phase_start_s;
    j.transfer_s += now - j.phase_start_s;
    start_transfer(h, j.route_src, j.route_dst, j.transfer_size_B);
  }
}

void CenterAgent::handle_outage() {
  const double now = sg4::Engine::get_clock();
  CenterState& c = st_.net.centers[center_];
  if (!c.up) return;
  c.up = false;
  std::vector<Handle> evicted;
  // Running jobs are killed (work since the last checkpoint is lost);
  // datasets on their way are dropped; results already computed keep going.
  std::vector<Handle> flying;
  in_flight_jobs(flying);
  for (const Handle h : flying) {
    ActiveJob& j = st_.job(h);
    if (j.phase == Phase::running) {
      st_.charge_job_energy(j, j.start_s, now);
      const PoolState& ps = st_.net.pools[j.pool];
      const double speed = st_.topo.accelerators[ps.accel].fp16_flops / st_.ref_flops;
      const double done = (j.job.duration_s - j.remaining_s) + (now - j.start_s) * speed;
      const double ckpt = j.job.checkpoint_interval_s;
      const double saved = ckpt > 0 ? std::floor(done / ckpt + 1e-9) * ckpt : 0.0;
      j.remaining_s = std::max(0.0, j.job.duration_s - std::min(saved, j.job.duration_s));
      st_.queues[j.pool]->finish(h);
      --st_.net.pools[j.pool].running_jobs;
      ++j.restarts;
    } else if (j.phase == Phase::inbound) {
      const double sent = j.transfer_size_B - j.activity->get_remaining();
      st_.credit_link_bytes(j, sent);
      j.bytes_moved += sent;
      j.transfer_s += now - j.phase_start_s;
      j.transfer_delay_s += now - j.phase_start_s;
    } else {
      continue;
    }
    remove_slot(h);
    j.activity->cancel();
    j.activity = nullptr;
    evicted.push_back(h);
  }
  for (int p : c.pools) {
    for (const QueuedJob& q : std::vector<QueuedJob>(st_.queues[p]->queue())) {
      st_.queues[p]->remove(q.id);
      evicted.push_back(static_cast<Handle>(q.id));
    }
    st_.net.pools[p].queued_jobs = 0;
    st_.net.pools[p].queued_chips = 0;
    st_.queues[p]->set_capacity(0);
    st_.net.pools[p].free_chips = 0;
    st_.platform->pools()[p].host->turn_off();
  }
  // Parked datasets are evicted; parked results (work already done) stay.
  std::vector<Handle> keep;
  for (Handle h : parked_) (st_.job(h).phase == Phase::inbound ? evicted : keep).push_back(h);
  parked_.swap(keep);
  for (Handle h : inbox_) evicted.push_back(h);
  inbox_.clear();
  c.queued_jobs = 0;
  c.free_chips = 0;
  // Deterministic order for the policy: by job id.
  std::sort(evicted.begin(), evicted.end(),
            [&](Handle a, Handle b) { return st_.job(a).job.id < st_.job(b).job.id; });
  for (Handle h : evicted) {
    ActiveJob& j = st_.job(h);
    if (j.restarts > st_.sc.failures.max_restarts) {
      j.end_s = now;
      st_.finish_job(h, JobStatus::failed,
                     "killed by center outages " + std::to_string(j.restarts) + " times");
      continue;
    }
    st_.redispatch(h);
    if (st_.stopped()) return;
  }
}

void CenterAgent::handle_repair() {
  CenterState& c = st_.net.centers[center_];
  if (c.up) return;
  c.up = true;
  for (int p : c.pools) {
    const PoolHost& ph = st_.platform->pools()[p];
    ph.host->turn_on();
    st_.queues[p]->set_capacity(static_cast<std::int64_t>(ph.chips) * st_.slices);
    st_.net.pools[p].free_chips = ph.chips;
  }
  c.free_chips = c.total_chips;
  st_.capacity_changed();
}

}  // namespace suanwang::engine

namespace suanwang::engine {

void CenterAgent::cancel_all() {
  for (auto& W : waiters_) {
    for (auto& a : W->acts)
      if (a) a->cancel();
    W->acts.clear();
    W->jobs.clear();
    W->snap.clear();
    W->snap_jobs.clear();
    W->doorbell = nullptr;
  }
}

void CenterAgent::credit_in_flight() {
  in_flight_jobs(scratch_);
  for (const Handle h : scratch_) {
    ActiveJob& j = st_.job(h);
    if (j.phase != Phase::inbound && j.phase != Phase::outbound) continue;
    st_.credit_link_bytes(j, j.transfer_size_B - j.activity->get_remaining());
  }
}

}  // namespace suanwang::engine

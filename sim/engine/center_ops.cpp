// A job's life at its center: delivery, dataset in, local queue, execution,
// result out; and what an outage does to all of it.
#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

#include "sim/engine/engine_state.hpp"

namespace suanwang::engine {

void EngineState::deliver(Handle h) {
  // Placed jobs reach their center after the dispatcher has answered the
  // whole batch: every decision of one batch is taken against the same
  // state of the queues (only `inbound` counts them at once).
  const int c = jobs[h].center;
  if (inbox_[c].empty()) inbox_order_.push_back(c);
  inbox_[c].push_back(h);
}

void EngineState::flush_deliveries() {
  if (flushing_) return;
  flushing_ = true;
  // Centers in the order of their first delivery, each drained in order;
  // handling one may deliver more (never to a center already drained here,
  // since nothing below asks the policy to place).
  for (std::size_t i = 0; i < inbox_order_.size(); ++i) {
    const int c = inbox_order_[i];
    while (!inbox_[c].empty()) {
      const Handle h = inbox_[c].front();
      inbox_[c].pop_front();
      start_inbound(h);
    }
  }
  inbox_order_.clear();
  flushing_ = false;
}

void EngineState::undeliver(Handle h) {
  auto& box = inbox_[jobs[h].center];
  box.erase(std::remove(box.begin(), box.end(), h), box.end());
}

void EngineState::start_inbound(Handle h) {
  ActiveJob& j = jobs[h];
  const int city = net.centers[j.center].city;
  j.phase = Phase::inbound;
  j.arrived_s = now();
  if (j.job.dataset >= 0) {
    data->arrive(h);  // the catalog's data: storage sites and caches
  } else if (j.job.dataset_B > 0 && j.job.origin != city) {
    transfers->start(h, j.job.origin, city, j.job.dataset_B, TrafficPurpose::dataset);
  } else {
    data_ready(h);
  }
}

void EngineState::data_ready(Handle h) {
  ActiveJob& j = jobs[h];
  j.data_wait_s += now() - j.arrived_s;
  --net.centers[j.center].inbound_transfers;
  enqueue(h);
}

void EngineState::on_transfer_done(Handle h) {
  ActiveJob& j = jobs[h];
  switch (j.purpose) {
    case TrafficPurpose::dataset:
    case TrafficPurpose::cache_fill:
      if (j.job.dataset >= 0) data->staged(h);
      else data_ready(h);
      return;
    case TrafficPurpose::stream: data->stream_done(h); return;
    case TrafficPurpose::result: finish_job(h, JobStatus::completed, ""); return;
    case TrafficPurpose::sync: spanning->sync_done(h); return;  // a part's gradient exchange
  }
  throw std::logic_error("transfer of an unexpected purpose ended");
}

QueuedJob EngineState::queued_job(Handle h) const {
  const ActiveJob& j = jobs[h];
  // A job that never ends (duration +inf) keeps scale 1: inf / inf is NaN.
  const double scale = j.job.duration_s > 0 && std::isfinite(j.job.duration_s) ? j.remaining_s / j.job.duration_s : 1.0;
  QueuedJob q;
  q.id = h;
  q.units = j.units;
  q.walltime_s = std::max(j.job.walltime_s, j.job.duration_s) * scale / pool_speed[j.pool];
  q.enqueue_s = now();
  q.request = request_of(j.job, j.pool);
  return q;
}

void EngineState::enqueue(Handle h) {
  ActiveJob& j = jobs[h];
  // A preemptible job rides on chips a service of its pool lends, if any.
  if (j.job.preemptible) {
    if (const int lender = colocation->lender_for(j.pool); lender >= 0) {
      colocation->enqueue(h, lender);
      return;
    }
  }
  j.phase = Phase::queued;
  const QueuedJob q = queued_job(h);
  if (ServerCapacity* s = server_pools[j.pool]) s->mix().add(q.request);
  queues[j.pool]->push(q);
  PoolState& ps = net.pools[j.pool];
  ++ps.queued_jobs;
  ps.queued_chips += static_cast<double>(j.units) / slices;
  ++net.centers[j.center].queued_jobs;
  start_ready(j.pool);
}

void EngineState::start_ready(int pool) {
  std::vector<QueuedJob> refused;  // local queue "none": could not start at once
  const auto started = queues[pool]->select(now(), &refused);
  PoolState& ps = net.pools[pool];
  const auto leave_queue = [&](const QueuedJob& q) {
    --ps.queued_jobs;
    ps.queued_chips -= static_cast<double>(q.units) / slices;
    --net.centers[ps.center].queued_jobs;
  };
  for (const QueuedJob& q : started) {
    leave_queue(q);
    start_exec(static_cast<Handle>(q.id));
  }
  sync_pool(pool);
  for (const QueuedJob& q : refused) {
    leave_queue(q);
    ActiveJob& j = jobs[static_cast<Handle>(q.id)];
    const char* why = "no room for it when it arrived (local_queue \"none\": nothing waits)";
    if (j.part >= 0) {  // a part of a multi-center job: the whole job fails
      spanning->part_refused(static_cast<Handle>(q.id), why);
      continue;
    }
    j.end_s = now();
    finish_job(static_cast<Handle>(q.id), JobStatus::failed, why);
  }
}

void EngineState::start_exec(Handle h) {
  ActiveJob& j = jobs[h];
  const double t = now();
  j.phase = Phase::running;
  j.start_s = t;
  if (j.first_start_s < 0) j.first_start_s = t;
  ++net.pools[j.pool].running_jobs;
  j.slowdown = 1;
  if (sc.gpu_pooling && net.pools[j.pool].servers > 0) j.slowdown += sc.pooling_slowdown;
  // A job borrowing a service's lent chips (colocation) holds no server of
  // its own: they are a bag of the deployment's chips, outside node placement.
  const ServerCapacity* s = server_pools[j.pool];
  if (const NodeAllocation* where = s != nullptr ? s->allocation(h) : nullptr) {
    j.server = where->servers.front();
    j.servers = static_cast<int>(where->servers.size());
    if (j.servers > 1) j.slowdown += sc.spread_slowdown[static_cast<int>(j.job.kind)];
  }
  if (j.part >= 0) {  // a part holds its chips; its job decides when it runs and ends
    spanning->part_started(h);
    return;
  }
  if (j.service >= 0) {
    // A service's deployment lasts from start to stop in wall time, whatever
    // the chip's speed; one that serves to the horizon has no end.
    const ServiceSpec& spec = sc.workload.services[static_cast<std::size_t>(j.service)];
    if (spec.stop_s >= 0 && spec.stop_s < sc.duration_s)
      calendar.schedule(std::max(t, spec.stop_s), EventKind::job_end, h, j.gen);
    colocation->service_started(j.service, h);
    return;
  }
  // A GPU job holds its chips for its work divided by their speed: nothing
  // is shared, so its end is known now (a kill cancels it: see gen). A job
  // that streams its data may have to wait for its reads (data_plane.hpp).
  calendar.schedule(t + j.remaining_s / pool_speed[j.pool] * j.slowdown, EventKind::job_end, h, j.gen);
  if (j.job.dataset >= 0 && j.job.stream) data->start_stream(h);
}

void EngineState::on_job_end(Handle h) {
  ActiveJob& j = jobs[h];
  const double t = now();
  if (j.streaming) {  // computed everything it has read: its chips wait for the rest
    j.compute_done = true;
    j.compute_end_s = t;
    return;
  }
  if (j.compute_end_s >= 0) {
    j.stall_s += t - j.compute_end_s;
    j.compute_end_s = -1;
  }
  data->release(h);
  if (j.service >= 0) colocation->service_stopped(j.service);  // takes back what it lent
  charge_job_energy(j, j.start_s, t);
  j.remaining_s = 0;
  j.end_s = t;
  const int pool = j.pool;
  if (j.borrow >= 0) colocation->finish(h);
  else queues[pool]->finish(h);
  --net.pools[pool].running_jobs;
  sync_pool(pool);  // the policy's on_finish sees the freed chips
  const int city = net.centers[j.center].city;
  if (j.job.result_B > 0 && j.job.origin != city) {
    j.phase = Phase::outbound;
    transfers->start(h, city, j.job.origin, j.job.result_B, TrafficPurpose::result);
  } else {
    finish_job(h, JobStatus::completed, "");
  }
  start_ready(pool);
  capacity_changed();
}

void EngineState::lose_work(Handle h, double t) {
  // Work since the last checkpoint is lost. A streaming job got no further
  // than its reads allowed.
  ActiveJob& j = jobs[h];
  const double read = data->stop_stream(h);
  if (j.compute_end_s >= 0) {
    j.stall_s += t - j.compute_end_s;
    j.compute_end_s = -1;
  }
  charge_job_energy(j, j.start_s, t);
  const double computed = std::min(j.remaining_s, (t - j.start_s) * pool_speed[j.pool] / j.slowdown);
  const double done = (j.job.duration_s - j.remaining_s) + std::min(computed, read * j.remaining_s);
  const double ckpt = j.job.checkpoint_interval_s;
  const double saved = ckpt > 0 ? std::floor(done / ckpt + 1e-9) * ckpt : 0.0;
  const double remaining = std::max(0.0, j.job.duration_s - std::min(saved, j.job.duration_s));
  // The reference-chip work redone, in chip-seconds on this pool.
  j.lost_chip_s += (remaining - std::max(0.0, j.job.duration_s - done)) / pool_speed[j.pool] * j.slowdown *
                   static_cast<double>(j.units) / slices;
  j.remaining_s = remaining;
  ++j.gen;  // its job_end event is void
}

void EngineState::kill_running(Handle h, double t) {
  ActiveJob& j = jobs[h];
  lose_work(h, t);
  queues[j.pool]->finish(h);
  --net.pools[j.pool].running_jobs;
  ++j.restarts;
}

void EngineState::center_outage(int center) {
  const double t = now();
  CenterState& c = net.centers[center];
  if (!c.up) return;
  c.up = false;
  // Services here stop lending first: their borrowers go back to waiting.
  for (std::size_t s = 0; s < service_handles.size(); ++s)
    if (const Handle d = service_handles[s]; d != kNoHandle && jobs[d].center == center && jobs[d].phase == Phase::running)
      colocation->service_stopped(static_cast<int>(s));
  // Running jobs are killed; datasets on their way are dropped; results
  // already computed keep going. Everything else at the center (queued,
  // parked datasets, deliveries) goes back to the policy, by job id; so do
  // the multi-center jobs with a part here, every part killed first.
  std::vector<std::pair<std::uint64_t, Handle>> evicted;
  spanning->center_down(center, &evicted);
  for (Handle h = 0; h < jobs.size(); ++h) {
    ActiveJob& j = jobs[h];
    if (!j.in_use || j.center != center) continue;
    if (j.phase == Phase::running) kill_running(h, t);
    else if (j.phase == Phase::inbound) transfers->abandon(h);  // no-op unless in transfer
    else if (j.phase == Phase::queued && j.borrow >= 0) colocation->remove(h);
    else if (j.phase == Phase::queued) queues[j.pool]->remove(h);
    else continue;
    evicted.emplace_back(j.job.id, h);
  }
  for (int p : c.pools) {
    net.pools[p].queued_jobs = 0;
    net.pools[p].queued_chips = 0;
    queues[p]->set_up(false);
    sync_pool(p);
    power[p].set_up(t, false);
  }
  inbox_[center].clear();
  data->center_down(center);
  c.queued_jobs = 0;
  c.inbound_transfers = 0;
  std::sort(evicted.begin(), evicted.end());
  for (const auto& [id, h] : evicted) {
    ActiveJob& j = jobs[h];
    data->release(h);
    j.center = -1;  // redispatch must not count it as inbound any more
    j.borrow = -1;
    if (j.restarts > sc.failures.max_restarts) {
      j.end_s = t;
      finish_job(h, JobStatus::failed, "killed by center outages " + std::to_string(j.restarts) + " times");
      continue;
    }
    redispatch(h);
  }
}

void EngineState::center_repair(int center) {
  CenterState& c = net.centers[center];
  if (c.up) return;
  c.up = true;
  for (int p : c.pools) {
    power[p].set_up(now(), true);
    queues[p]->set_up(true);
    sync_pool(p);
  }
  capacity_changed();
}

}  // namespace suanwang::engine

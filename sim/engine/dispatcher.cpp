// The dispatcher: where the policy is asked, and its answers are checked.
#include <cstdio>
#include <algorithm>
#include <string>

#include "sim/topology/chip_rules.hpp"
#include "sim/core/user_error.hpp"
#include "sim/engine/engine_state.hpp"

namespace suanwang::engine {

namespace {


// 8 -> "8", 0.25 -> "0.25": how a person writes a chip count.
std::string chips_text(double gpus) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", gpus);
  return buf;
}

}  // namespace

bool EngineState::fits_pool(const ActiveJob& j, int pool) const {
  const PoolState& ps = net.pools[pool];
  // Installed capacity, not current: a pool down for an outage still "fits"
  // (the job waits for the repair instead of failing).
  if (!topo::can_run(j.job, topo.accelerators[ps.accel])) return false;
  if (const ServerCapacity* s = server_pools[pool]) return s->could_ever_fit(request_of(j.job, pool));
  return j.job.gpus > 0 && static_cast<std::int64_t>(ps.total_chips) * slices >= j.units;
}

int EngineState::pick_pool(const ActiveJob& j, int center) const {
  // Most free units first, then the shortest queue, then the lowest index:
  // a deterministic choice a researcher can predict.
  int best = -1;
  for (int p : net.centers[center].pools) {
    if (!fits_pool(j, p)) continue;
    if (best < 0) { best = p; continue; }
    const auto fp = queues[p]->free_units() - queues[p]->queued_units();
    const auto fb = queues[best]->free_units() - queues[best]->queued_units();
    if (fp > fb) best = p;
  }
  return best;
}

std::string EngineState::check_placement(const ActiveJob& j, const Placement& p, int* pool) const {
  // Messages are built only on failure: this runs for every placement.
  const auto who = [&] {
    return policy.hook_origin("place") + ": place(job " + std::to_string(j.job.id) + ")";
  };
  if (p.center < 0 || p.center >= static_cast<int>(net.centers.size()))
    return who() + ": returned an unknown center";
  const CenterState& c = net.centers[p.center];
  const std::string& cname = topo.cities[c.city].name;
  if (!c.up) return who() + ": returned center " + cname + ", which is down (expected a center with up = true)";
  if (p.pool >= 0) {
    if (p.pool >= static_cast<int>(net.pools.size()) || net.pools[p.pool].center != p.center)
      return who() + ": returned a pool that is not in center " + cname;
    if (!fits_pool(j, p.pool))
      return who() + ": returned pool " + cname + "/" + topo.accelerators[net.pools[p.pool].accel].id +
             ", which cannot run it (chip constraint or fewer than " +
             chips_text(j.job.gpus) + " chips)";
    *pool = p.pool;
    return {};
  }
  *pool = pick_pool(j, p.center);
  if (*pool < 0)
    return who() + ": returned center " + cname + ", which has no pool that can run it (needs " +
           chips_text(j.job.gpus) + " chips, constraint " + to_string(j.job.chip_requirement) + ")";
  return {};
}

void EngineState::place(Handle h, const Placement& p) {
  ActiveJob& j = jobs[h];
  switch (p.action) {
    case Placement::Action::wait:
      waiting.push_back(h);
      net.waiting_jobs = static_cast<int>(waiting.size());
      return;
    case Placement::Action::reject:
      j.end_s = now();
      finish_job(h, JobStatus::rejected, p.reason.empty() ? "rejected by the policy" : p.reason);
      return;
    case Placement::Action::place: break;
  }
  if (!p.parts.empty()) {  // a training job split over several centers
    spanning->place(h, p);
    return;
  }
  int pool = -1;
  if (const std::string err = check_placement(j, p, &pool); !err.empty()) {
    policy_failed(h, err);
    return;
  }
  j.center = p.center;
  j.pool = pool;
  j.units = units_of(request_of(j.job, pool), pool);
  j.phase = Phase::inbound;
  ++net.centers[j.center].inbound_transfers;
  deliver(h);
}

void EngineState::submit_batch(const std::vector<Handle>& batch) {
  const double t = now();
  std::vector<Handle> ask;
  std::vector<const Job*> asked;
  for (Handle h : batch) {
    ActiveJob& j = jobs[h];
    j.phase = Phase::dispatching;
    // A job no pool anywhere can hold would wait forever: fail it now, with a reason.
    bool any = false;
    for (int p = 0; p < static_cast<int>(net.pools.size()) && !any; ++p) any = fits_pool(j, p);
    any = any || spanning->could_run_split(j);
    if (!any) {
      j.end_s = t;
      finish_job(h, JobStatus::failed,
                 "no pool in the network can run it (" + chips_text(j.job.gpus) +
                     " chips, constraint " + to_string(j.job.chip_requirement) + ")");
      continue;
    }
    if (j.job.pinned_center >= 0) {
      Placement p;
      p.action = Placement::Action::place;
      p.center = net.center_of_city[j.job.pinned_center];
      if (p.center < 0 || pick_pool(j, p.center) < 0) {
        j.end_s = t;
        finish_job(h, JobStatus::failed, "its pinned center " +
                                             topo.cities[j.job.pinned_center].name +
                                             " cannot run it");
        continue;
      }
      if (!net.centers[p.center].up) {  // pinned to a center in outage: wait for the repair
        waiting.push_back(h);
        continue;
      }
      place(h, p);
      continue;
    }
    ask.push_back(h);
    asked.push_back(&j.job);
  }
  if (ask.empty()) return;
  std::vector<Placement> decisions;
  try {
    decisions = hooks.place_batch(asked);
  } catch (const UserError& e) {
    if (ask.size() == 1) {
      policy_failed(ask[0], e.what());
      return;
    }
    // Find the culprit: ask one job at a time.
    for (Handle h : ask) {
      try {
        place(h, hooks.place(jobs[h].job));
      } catch (const UserError& e1) {
        policy_failed(h, e1.what());
      }
    }
    return;
  }
  for (std::size_t i = 0; i < ask.size(); ++i) {
    place(ask[i], decisions[i]);
  }
}

void EngineState::redispatch(Handle h) {
  ActiveJob& j = jobs[h];
  if (j.center >= 0 && j.phase == Phase::inbound) --net.centers[j.center].inbound_transfers;
  data->release(h);
  j.center = -1;
  j.pool = -1;
  j.route_variant = -1;
  submit_batch({h});
}

void EngineState::capacity_changed() {
  if (waiting.empty() || retrying_) return;
  retrying_ = true;
  // Retry in arrival order, at most kRetryBatch jobs per change: jobs that
  // wait again go to the back, so a long waiting line costs O(kRetryBatch)
  // policy calls per event instead of O(line length).
  constexpr std::size_t kRetryBatch = 256;
  const std::size_t k = std::min(kRetryBatch, waiting.size());
  std::vector<Handle> batch(waiting.begin(), waiting.begin() + static_cast<std::ptrdiff_t>(k));
  waiting.erase(waiting.begin(), waiting.begin() + static_cast<std::ptrdiff_t>(k));
  net.waiting_jobs = static_cast<int>(waiting.size());
  submit_batch(batch);
  retrying_ = false;
}


}  // namespace suanwang::engine

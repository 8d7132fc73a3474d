// Engine internals shared by the parts of one Simulation (not a public API).
//
// EngineState is the single owner of everything a run mutates: jobs in
// flight (a slab, so memory follows the jobs in flight), the NetState the
// policy reads, per-pool local queues and power, transfers, and the
// accounting that becomes the job rows and the summary. Everything runs in
// SimGrid's maestro, one event at a time: no actors, no locks.
//
// A job's life: arrival (dispatcher.cpp asks the policy) -> delivered to
// its center -> dataset in (transfers.cpp) -> local queue -> running (a
// timed interval on the calendar, energy from the chips' power model) ->
// result out -> recorded (finish_job). Outages kill running jobs back to
// their last checkpoint and hand everything at the center back to the
// policy (center_ops.cpp).
#pragma once

#include <cstdint>
#include <deque>
#include <memory>
#include <string>
#include <vector>

#include "sim/core/user_error.hpp"
#include "sim/engine/active_job.hpp"
#include "sim/engine/calendar.hpp"
#include "sim/engine/colocation.hpp"
#include "sim/engine/data_plane.hpp"
#include "sim/engine/local_queue.hpp"
#include "sim/engine/policy_hooks.hpp"
#include "sim/engine/pool_power.hpp"
#include "sim/engine/server_capacity.hpp"
#include "sim/engine/simulation.hpp"
#include "sim/engine/spanning.hpp"
#include "sim/engine/transfers.hpp"
#include "sim/platform/platform.hpp"
#include "sim/policy/policy.hpp"
#include "sim/record/recorder.hpp"
#include "sim/scenario/scenario.hpp"
#include "sim/topology/routes.hpp"

namespace suanwang::engine {

// Thrown to unwind out of an event handler once the run is stopped (a policy
// error the scenario does not tolerate, a bad trace line, ...). Caught where
// the handler was called; the run then ends with no result.
struct RunStopped {};

class EngineState {
 public:
  EngineState(const Scenario& sc, Policy& policy, Recorder& rec, const SimulationOptions& opt,
              EventSink& sink);
  ~EngineState();

  const Scenario& sc;
  const topo::Topology& topo;
  Policy& policy;
  Recorder& rec;
  SimulationOptions opt;
  Calendar calendar;
  std::unique_ptr<topo::RouteTable> routes;
  std::unique_ptr<Platform> platform;
  NetState net;
  JobSlab jobs;
  PolicyHooks hooks;
  std::unique_ptr<Transfers> transfers;
  std::vector<std::unique_ptr<LocalQueue>> queues;  // per pool
  std::vector<ServerCapacity*> server_pools;        // per pool: its servers (owned by its
                                                    // queue), nullptr for a flat pool
  std::unique_ptr<Colocation> colocation;
  std::unique_ptr<DataPlane> data;
  std::unique_ptr<Spanning> spanning;               // training split over several centers
  std::vector<PoolPower> power;                     // per pool, IT power
  std::vector<int> pool_center;                     // pool -> center
  std::vector<double> pool_speed;                   // pool chip FLOP/s / reference chip FLOP/s
  std::vector<double> link_bytes_up, link_bytes_down;  // since the last sample
  // Bytes sent, whole run: [(src * cities + dst) * kTrafficPurposes + purpose].
  std::vector<double> traffic_B;
  double ref_flops = 0;
  int slices = 1;
  RunTotals totals;
  double busy_chip_seconds = 0;
  std::vector<double> center_busy_chip_s;
  std::vector<std::uint64_t> center_jobs_completed;
  std::vector<double> center_down_since;            // -1 when up
  std::vector<double> center_down_total_s;
  std::deque<Handle> waiting;                       // the policy said wait
  std::vector<Handle> service_handles;              // per service: its deployment job, or kNoHandle

  double now() const;

  // --- jobs (engine_state.cpp)
  Handle admit(const Job& job);
  void finish_job(Handle h, JobStatus status, const std::string& reason);

  // --- dispatch (dispatcher.cpp)
  void submit_batch(const std::vector<Handle>& batch);
  void redispatch(Handle h);       // killed or evicted: back to the policy
  void capacity_changed();         // something freed: retry waiting jobs

  // --- centers (center_ops.cpp)
  void deliver(Handle h);           // placed: to its center, processed by flush_deliveries()
  void flush_deliveries();
  // Takes back a delivery not yet processed (a multi-center job's part given
  // up in the step that placed it); no-op when h is not waiting there.
  void undeliver(Handle h);
  void on_transfer_done(Handle h);
  // h's input is at its center (or it streams): it may queue for chips.
  void data_ready(Handle h);
  void on_job_end(Handle h);
  void center_outage(int center);
  void center_repair(int center);

  // --- routes
  // First route variant of (src, dst) whose links are all up, or -1.
  int usable_variant(int src, int dst) const;
  const std::vector<int>& hops(int src, int dst, int variant) const;  // signed link ids
  const topo::Route& route(int src, int dst, int variant) const;
  // Credits what j's transfer sent since the last call to its route's links
  // and to the traffic matrix.
  void credit_link_bytes(ActiveJob& j, double sent_total_B);
  // The traffic matrix's non-zero cells, by (src, dst, purpose).
  std::vector<TrafficCell> traffic() const;
  void refresh_paths();            // after a link changes state

  // --- money and energy
  double price_factor(double t_s) const;   // time-of-use multiplier
  double price_integral(double t0, double t1) const;  // integral of the factor, s
  void charge_job_energy(ActiveJob& j, double t0, double t1);
  // The same for `chips` of its chips (negative: takes back what was charged).
  void charge_chips(ActiveJob& j, double t0, double t1, double chips);

  // --- stopping
  // Applies the scenario's on_policy_error to a failed hook call on job h:
  // rejects the job (and returns), or stops the run (throws RunStopped).
  void policy_failed(Handle h, const std::string& message);
  // Stops the run with a one-line error: no result file. Throws RunStopped.
  [[noreturn]] void stop(const std::string& message);
  // Same, without throwing (for the top level, once an error was caught).
  void halt(const std::string& message, bool internal = false);
  bool stopped() const { return !fatal_error_.empty(); }
  const std::string& fatal_error() const { return fatal_error_; }
  bool internal_error() const { return internal_error_; }

  // Runs one top-level step of the run (a calendar event, a flow's end) and
  // then delivers what it placed. Every error ends here: a UserError (a
  // policy error, a bad trace line, a draw out of range...) or any other
  // exception stops the run with its message, as a policy error does.
  template <class F>
  void top_level(F&& step) {
    if (stopped()) return;
    try {
      step();
      flush_deliveries();
    } catch (const RunStopped&) {
    } catch (const UserError& e) {
      halt(e.what());
    } catch (const std::exception& e) {
      halt(e.what(), true);
    }
  }

  // Pool capacity accounting shared by starts, ends and kills: mirrors the
  // queue's free units (and what could start now) into NetState and the
  // pool's power meter.
  void sync_pool(int pool);

  // A running job stops at t (an outage, an eviction): energy charged, work
  // back to its last checkpoint, the loss counted; it no longer runs.
  void lose_work(Handle h, double t);
  // Job h as its pool's local queue sees it (remaining work, estimate).
  QueuedJob queued_job(Handle h) const;
  void start_exec(Handle h);

  // What a job asks of a pool (its servers), and the units that holds.
  NodeRequest request_of(const Job& job, int pool) const;
  std::int64_t units_of(const NodeRequest& req, int pool) const;

 private:
  friend class Spanning;  // checks its parts with the dispatcher's pool rules
  void make_queue(int pool);
  void place(Handle h, const Placement& p);
  bool fits_pool(const ActiveJob& j, int pool) const;
  int pick_pool(const ActiveJob& j, int center) const;
  // "" when the placement is valid (then *pool is the pool the job goes to),
  // else the policy error to report.
  std::string check_placement(const ActiveJob& j, const Placement& p, int* pool) const;
  void start_inbound(Handle h);
  void enqueue(Handle h);
  void start_ready(int pool);
  void kill_running(Handle h, double now);

  std::vector<std::vector<int>> hops_;    // [(s*n+d)*V + v]
  std::vector<std::uint8_t> variant_ok_;  // same index: all links up
  std::vector<std::deque<Handle>> inbox_; // per center: delivered, not yet processed
  std::vector<int> inbox_order_;          // centers with deliveries, in order of the first
  std::string fatal_error_;
  bool internal_error_ = false;
  bool retrying_ = false;
  bool flushing_ = false;
};

// Units a job needs in a pool: whole chips x slices, or a vGPU share rounded up.
std::int64_t units_for(double gpus, int slices);

}  // namespace suanwang::engine

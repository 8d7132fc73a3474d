// Engine internals shared by the actors of one Simulation (not a public API).
//
// EngineState is the single owner of everything a run mutates: jobs in
// flight (a slab indexed by handle, so memory follows the jobs in flight),
// the NetState the policy reads, per-pool local queues, and the accounting
// that becomes the job rows and the summary. Actors are cooperative and run
// one at a time, so no member needs a lock.
#pragma once

#include <cstdint>
#include <deque>
#include <memory>
#include <string>
#include <vector>

#include <simgrid/s4u.hpp>

#include "sim/engine/local_queue.hpp"
#include "sim/engine/simulation.hpp"
#include "sim/platform/platform.hpp"
#include "sim/policy/policy.hpp"
#include "sim/record/recorder.hpp"
#include "sim/scenario/scenario.hpp"
#include "sim/workload/job_source.hpp"
#include "sim/topology/routes.hpp"

namespace suanwang::engine {

using Handle = std::uint32_t;
inline constexpr Handle kNoHandle = 0xffffffffu;

enum class Phase : std::uint8_t {
  dispatching,  // at the dispatcher (waiting for the policy or a route)
  inbound,      // dataset moving origin -> center
  queued,       // in a pool's local queue
  running,      // executing on the pool
  outbound,     // result moving center -> origin
  parked,       // transfer waiting for a route (every variant has a down link)
};

// A job from arrival to its end; lives in the slab until recorded.
struct ActiveJob {
  Job job;
  Phase phase = Phase::dispatching;
  int center = -1;          // center index (NetState::centers) while placed
  int pool = -1;            // pool index (NetState::pools / Platform::pools)
  std::int64_t units = 0;   // capacity units in its pool
  double remaining_s = 0;   // reference-chip work left (shrinks at checkpoints)
  double start_s = -1;      // last execution start
  double first_start_s = -1;
  double end_s = -1;
  double phase_start_s = 0; // when the current transfer attempt / exec began
  double transfer_s = 0, transfer_delay_s = 0, bytes_moved = 0;
  double energy_J = 0, cost_cny = 0, carbon_kg = 0;
  int restarts = 0;
  // Current activity (transfer or exec) and, for transfers, its route.
  simgrid::s4u::ActivityPtr activity;
  int route_src = -1, route_dst = -1, route_variant = -1;
  double transfer_size_B = 0, transfer_counted_B = 0;  // bytes credited to links so far
  int waiter = -1;          // its CenterAgent waiter (wait group), or -1
  int slot = -1;            // index in that waiter's wait list
  bool in_use = false;
  int service = -1;         // index of the inference service it deploys, or -1
};

class EngineState;

// Thrown by EngineState::policy_failed in the actor that met the error, after
// every other actor was killed; caught at the top of each actor body (see
// guarded() in simulation.cpp), which then simply returns. An exception of our
// own rather than this_actor::exit(): unwinding through SimGrid's forceful-kill
// path from inside a wait loop aborts the engine in 3.32.
struct PolicyAbort {};

// One computing center; see simulation.hpp. Its activities (transfers and
// execs) are spread over a few long-lived waiter actors, each waiting on at
// most kGroup activities plus its own doorbell: Activity::wait_any costs the
// length of its list per wake-up, so short lists keep every event O(kGroup)
// however many jobs are in flight. Waiters are created on demand and never
// destroyed; they all share this object's state (cooperative actors, no
// locks). Waiter 0 is the center's main actor: control messages ring it, but
// any awake waiter drains the inbox before it waits again.
class CenterAgent {
 public:
  static constexpr std::size_t kGroup = 12;

  CenterAgent(EngineState& st, int center);
  void operator()();

  // Called by other actors (dispatcher, failures): queue a message for this
  // center and wake its actor. Cheap when one of its waiters is awake.
  void deliver(Handle h);
  void notify_link_change();
  void notify_outage(bool down);
  // Credits bytes sent so far by this center's transfers to the links (meter).
  void credit_in_flight();

  // At the horizon: cancels every activity still in flight, so that none is
  // destroyed while started (SimGrid reports that as a leak with a backtrace).
  void cancel_all();

  int center() const { return center_; }

 private:
  struct Waiter {
    simgrid::s4u::Mailbox* mailbox = nullptr;
    simgrid::s4u::CommPtr doorbell;
    void* payload = nullptr;
    bool rung = false;      // a doorbell message is on its way
    bool blocked = false;   // inside wait_any on `snap`
    long pid = -1;
    std::vector<simgrid::s4u::ActivityPtr> acts;  // live list, [0] = doorbell
    std::vector<Handle> jobs;                     // parallel to acts, [0] unused
    std::vector<simgrid::s4u::ActivityPtr> snap;  // what it waits on now
    std::vector<Handle> snap_jobs;
  };

  void run_waiter(int w);
  int new_waiter();
  int current_waiter() const;
  void ring_waiter(int w);
  void ring();
  void drain_inbox();
  void start_inbound(Handle h);
  void start_transfer(Handle h, int src, int dst, double bytes);
  void on_activity_done(Handle h);
  void on_inbound_done(Handle h);
  void on_exec_done(Handle h);
  void on_outbound_done(Handle h);
  void enqueue(Handle h);
  void start_ready(int pool);
  void start_exec(Handle h);
  void add_slot(Handle h);
  void remove_slot(Handle h);
  // Every job with an activity in flight here, in a deterministic order.
  void in_flight_jobs(std::vector<Handle>& out) const;
  void handle_outage();
  void handle_repair();
  void reroute_transfers();
  void retry_parked();

  EngineState& st_;
  int center_;
  std::string name_;
  std::vector<std::unique_ptr<Waiter>> waiters_;
  std::vector<int> pid_waiter_;  // actor pid -> waiter index (-1: not ours)
  int awake_ = 0;                // waiters not blocked (each drains before waiting)
  std::deque<Handle> inbox_;
  bool link_change_ = false;
  int outage_change_ = 0;  // +1 down, -1 up
  std::vector<Handle> parked_;   // transfers without a route
  std::vector<Handle> scratch_;
};

class EngineState {
 public:
  EngineState(const Scenario& sc, Policy& policy, Recorder& rec, const SimulationOptions& opt);

  // --- jobs
  Handle admit(const Job& job);
  ActiveJob& job(Handle h) { return jobs_[h]; }
  void finish_job(Handle h, JobStatus status, const std::string& reason);
  std::size_t in_flight() const { return jobs_.size() - free_.size(); }
  Handle slab_size() const { return static_cast<Handle>(jobs_.size()); }

  // --- dispatch (dispatcher.cpp)
  void submit_batch(const std::vector<Handle>& batch);
  void redispatch(Handle h);       // killed or evicted: back to the policy
  void capacity_changed();         // something freed: retry waiting jobs
  void run_tick();

  // --- routes
  // First route variant of (src, dst) whose links are all up, or -1.
  int usable_variant(int src, int dst) const;
  const std::vector<int>& hops(int src, int dst, int variant) const;  // signed link ids
  void credit_link_bytes(ActiveJob& j, double sent_total_B);
  void refresh_paths();            // after a link changes state

  // --- money and energy
  double price_factor(double t_s) const;   // time-of-use multiplier
  double price_integral(double t0, double t1) const;  // integral of the factor, s
  void charge_job_energy(ActiveJob& j, double t0, double t1);

  // --- policy errors
  // Applies the scenario's on_policy_error to a failed hook call on job h:
  // rejects the job, or records the error and stops the simulation.
  void policy_failed(Handle h, const std::string& message);
  bool stopped() const { return !fatal_error_.empty(); }
  const std::string& fatal_error() const { return fatal_error_; }

  const Scenario& sc;
  const topo::Topology& topo;
  Policy& policy;
  Recorder& rec;
  SimulationOptions opt;
  std::unique_ptr<topo::RouteTable> routes;
  std::unique_ptr<Platform> platform;
  NetState net;
  std::vector<std::unique_ptr<LocalQueue>> queues;       // per pool
  std::vector<std::unique_ptr<CenterAgent>> agents;      // per center
  std::vector<int> pool_center;                          // pool -> center
  std::vector<double> link_bytes_up, link_bytes_down;    // since last sample
  std::vector<std::uint64_t> link_bytes_total;
  double ref_flops = 0;
  int slices = 1;
  RunTotals totals;
  double busy_chip_seconds = 0;
  std::vector<double> center_busy_chip_s;
  std::vector<std::uint64_t> center_jobs_completed;
  std::vector<double> center_down_since;                 // -1 when up
  std::vector<double> center_down_total_s;
  std::deque<Handle> waiting;                            // policy said wait
  std::uint64_t next_id = 1;
  std::vector<Handle> service_handles;  // per service: its deployment job, or kNoHandle

 private:
  void place(Handle h, const Placement& p);
  bool fits_pool(const ActiveJob& j, int pool) const;
  int pick_pool(const ActiveJob& j, int center) const;
  // "" when the placement is valid (then *pool is the pool the job goes to),
  // else the policy error to report.
  std::string check_placement(const ActiveJob& j, const Placement& p, int* pool) const;

  std::vector<ActiveJob> jobs_;
  std::vector<Handle> free_;
  std::vector<std::vector<int>> hops_;   // [(s*n+d)*V + v]
  std::vector<std::uint8_t> variant_ok_; // same index: all links up
  std::vector<double> max_units_any_;    // per ChipRequirement, largest pool (for "never fits")
  std::string fatal_error_;
  bool retrying_ = false;
};

// Units a job needs in a pool: whole chips x slices, or a vGPU share rounded up.
std::int64_t units_for(double gpus, int slices);

}  // namespace suanwang::engine

// Colocation: inference services lend their idle chips to preemptible batch
// jobs (internal to the engine).
//
// A service with `lend = true`, once deployed, is resized every
// lend_interval: it keeps the fewest chips whose share of requests within
// its SLO is at least slo_target at the highest request rate of the coming
// interval (plus headroom), and lends the rest. Lent chips form a borrow
// queue of their own (FCFS) that only preemptible jobs placed in the
// service's pool join. When the service's load rises and it takes chips
// back, the preemptible jobs started last are evicted first: they lose the
// work done since their last checkpoint and go back to the head of... the
// borrow queue's end, in eviction order. A borrowed chip draws busy power
// for the job on it; a lent chip no job uses draws idle power.
// Records: per job preemptions and lost chip-seconds; per service sample the
// chips lent and borrowed; the service's latency is computed with the chips
// it kept.
#pragma once

#include <memory>
#include <vector>

#include "sim/engine/active_job.hpp"
#include "sim/engine/local_queue.hpp"

namespace suanwang::engine {

class EngineState;

class Colocation {
 public:
  explicit Colocation(EngineState& st);
  ~Colocation();

  // The deployment job of service `service` started running (it may lend) or
  // stopped (every borrower is evicted; lending ends).
  void service_started(int service, Handle deployment);
  void service_stopped(int service);
  // The lend event of a service: resize it for the coming interval.
  void on_lend_event(int service);
  std::uint32_t gen(int service) const { return lenders_[static_cast<std::size_t>(service)].gen; }

  // The lending service a preemptible job joining `pool` borrows from, or -1.
  int lender_for(int pool) const;
  // Queues job h (its pool's lender `service`) in that service's borrow queue.
  void enqueue(Handle h, int service);
  // A borrowing job ended (completed) or is killed (outage): frees its chips.
  void finish(Handle h);
  // A queued borrowing job is taken away (outage): leaves the borrow queue.
  void remove(Handle h);

  // The horizon: the lending of every service so far is settled (energy).
  void settle(double t);

  std::int64_t lent_units(int service) const;
  std::int64_t borrowed_units(int service) const;
  // Lent units no job uses, over the services deployed in `pool` (idle power).
  std::int64_t idle_lent_units(int pool) const;

 private:
  struct Lender {
    Handle deployment = kNoHandle;
    int pool = -1;
    std::int64_t held_units = 0, lent_units = 0;
    double segment_start_s = 0;         // since when lent_units holds (energy refunds)
    std::unique_ptr<LocalQueue> queue;  // over the lent units
    FlatCapacity* capacity = nullptr;   // the queue's, resized as lending changes
    std::vector<Handle> running;        // borrowers running now
    std::uint32_t gen = 0;              // bumped to void a pending lend event
    bool active = false;
  };
  void set_lent(int service, std::int64_t units);
  void start_ready(int service);
  void evict_until_fits(int service);

  EngineState& st_;
  std::vector<Lender> lenders_;  // per service
};

}  // namespace suanwang::engine

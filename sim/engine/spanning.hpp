// Spanning: training jobs split over several centers (internal to the engine).
//
// A placement with parts (Placement::parts, in ring order) turns job J into
// m child jobs, its parts: each a copy of J with the part's GPUs, delivered
// to its center like any job (its dataset staged in: from the origin, or a
// catalog dataset through the center's cache, never streamed; local queue,
// node placement, power) but never ending by itself. A part that starts holds its
// chips idle (idle power, not busy chip-seconds) until the last part has
// started; J starts then. Parts that wait longer than span_hold for the
// others give their chips back and J returns to the policy (co-allocation
// can deadlock when two split jobs each hold a part the other waits behind).
//
// J then runs in rounds of K iterations, K x t_comp ~ span_round, where
// t_comp is one iteration at the slowest part (equal work per GPU: the
// slowest chip, and any gang or pooling slowdown of a part, sets the pace):
// the exposed compute (1 - overlap) x K x t_comp, then every part i sends
// K x bytes_per_hop to part i+1 (sim/core/span.hpp) as a Transfers flow of
// purpose sync, after waiting K x latency_steps - 1 of its route's latencies
// (Transfers pays the last one), while the overlapped compute
// overlap x K x t_comp runs; the round ends when all have ended. On a quiet
// backbone a round therefore lasts exactly K iterations of the per-iteration
// model (quiet_iteration_s). The flows share links with every other flow, are
// rerouted or parked on link failures (J then stalls), and their bytes count
// in the traffic matrix. Aggregating K iterations changes only how the
// exchange interleaves with competing flows that start or stop inside a
// round; a last, partial round is charged pro rata.
//
// An outage at any part's center kills every part: J loses its work back to
// its last checkpoint (completed rounds only count) and goes back to the
// policy, as a killed single-center job does. Energy, cost and carbon are
// charged per part on its own pool while J runs, and summed into J's row.
//
// Records: one PartRecord per part and placement; J's row gets parts, sync_B
// and span_slowdown (time in multi-center rounds / the same iterations at
// t_comp in one center).
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "sim/core/span.hpp"
#include "sim/engine/active_job.hpp"
#include "sim/policy/policy.hpp"
#include "sim/record/recorder.hpp"

namespace suanwang::engine {

class EngineState;

class Spanning {
 public:
  explicit Spanning(EngineState& st);
  ~Spanning();

  // The dispatcher: places job h on the parts of p, or reports a policy
  // error (one line, naming the hook and the part) when p is not valid.
  void place(Handle h, const Placement& p);
  // Whether a job no single pool can hold could still run split.
  bool could_run_split(const ActiveJob& j) const;

  // Engine hooks. A part's execution started (start_exec): its chips are
  // held. A part's exchange of the round arrived (on_transfer_done). A
  // part's local queue refused it (local_queue "none"): the job fails.
  void part_started(Handle part);
  void sync_done(Handle part);
  void part_refused(Handle part, const std::string& reason);
  // A span_step event: a job's round moves on, or a part starts its send.
  void on_step(Handle target);
  // An outage at `center`: every multi-center job with a part there loses
  // its parts; the jobs to hand back to the policy are appended to `evicted`
  // as (job id, handle), after their restart count is updated.
  void center_down(int center, std::vector<std::pair<std::uint64_t, Handle>>* evicted);
  // The horizon: parts are charged to `t` and recorded unfinished.
  void settle(double t);

  // Units of `pool` held idle by parts waiting for their siblings.
  std::int64_t held_units(int pool) const { return held_units_[static_cast<std::size_t>(pool)]; }
  // finish_job: the multi-center columns of job h's row; frees its record.
  void fill_record(Handle h, JobRecord& r);

 private:
  struct Part {
    Handle h = kNoHandle;
    int center = -1, pool = -1;
    double gpus = 0;
    double start_s = -1;          // its chips allocated
    double held_idle_s = 0;
    double dataset_B = 0, dataset_s = 0, dataset_delay_s = 0;  // its transfer totals when it
                                                               // started (the dataset)
  };
  enum class Stage : std::uint8_t { gathering, exposed, overlapped };
  struct Span {
    Handle job = kNoHandle;
    std::vector<Part> parts;      // the current placement; empty between placements
    int attempt = 0, parts_now = 0, started = 0;
    Stage stage = Stage::gathering;
    SyncPerIteration sync;
    double t_comp_s = 0, round_iters = 0, k = 0;  // per iteration; per round; this round
    double run_start_s = 0, round_start_s = 0;
    int pending = 0;              // sends + the overlapped compute still running this round
    double run_wall_s = 0, run_work_s = 0;        // this placement's completed rounds
    double sync_B = 0, wall_s = 0, single_s = 0;  // whole job
    bool in_use = false;
  };

  std::string check(const ActiveJob& j, const Placement& p, std::vector<int>* pools) const;
  int new_span();
  void begin_run(Span& s);
  void start_round(Span& s);
  void send(Span& s, int part);
  void start_send(Span& s, int part);
  void end_round_if_done(Span& s);
  void finish_run(Span& s);
  void release_parts(Span& s, double t, PartOutcome outcome);
  void release_part(Span& s, int i, double t, PartOutcome outcome);
  void lose_work(Span& s, double t);
  void give_back(Span& s);
  int city(int center) const;

  EngineState& st_;
  std::vector<Span> spans_;
  std::vector<int> free_;
  std::vector<std::int64_t> held_units_;  // per pool
};

}  // namespace suanwang::engine

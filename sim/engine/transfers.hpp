// Transfers: bytes a job moves across the backbone (its dataset, its result,
// its share of a multi-center job's gradient exchange...), with failures
// (internal to the engine). A job has at most one transfer at a time.
//
// An attempt picks the first route variant whose links are all up, waits
// the route's latency on the calendar, then moves its bytes as a flow of the
// FlowModel. When a link of its route fails, the attempt is lost (bytes
// already sent stay counted in bytes_moved) and a new one starts on a
// surviving variant; with none left, the transfer is parked until a repair.
// The time lost to failures is the job's transfer_delay_s. Bytes are
// credited to the links of the route as they move (link samples). With the
// scenario's record_flows, every attempt that started moving bytes is a row
// of the flows table when it ends (completed, lost, or at the horizon).
// Order: link changes are handled center by center, in center order, and
// within a center by job id (reroutes) then parking order: deterministic.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "sim/engine/active_job.hpp"
#include "sim/engine/flow_model.hpp"
#include "sim/record/recorder.hpp"

namespace suanwang::engine {

class EngineState;

class Transfers final : public FlowSink {
 public:
  Transfers(EngineState& st, FlowModelKind kind);
  ~Transfers() override;

  // Starts moving `bytes` (> 0) from city src to city dst for job h, whose
  // center (j.center) owns the transfer. Calls st.on_transfer_done(h) at the end.
  // The bytes count in the run's traffic matrix under `purpose`. With
  // store >= 0 they are read from that storage site (in city src, which may
  // be dst: then only the site's read bandwidth limits them).
  void start(Handle h, int src, int dst, double bytes, TrafficPurpose purpose, int store = -1);
  // Bytes h's transfer in progress has moved in its current attempt.
  double moved(Handle h) const;
  // The latency of h's current attempt is paid (a flow_start event).
  void on_latency_paid(Handle h);
  // Abandons h's transfer now (center outage): bytes sent so far count as
  // moved, the time as delay. The job is then free for the caller.
  void abandon(Handle h);
  // After a link went down or up: reroute broken attempts, retry parked ones.
  void on_links_changed();
  // Credits the bytes moved so far by every transfer in flight to its links.
  void credit_in_flight();
  // The horizon, before anything else is settled: every flow still moving
  // is a row of the flows table (record_flows) as unfinished, and no flow
  // ended from now on (parts released, streams stopped) is recorded again.
  void record_horizon();
  // Ends every flow (the horizon, or a run that stops on an error).
  void cancel_all();

  std::size_t flows() const { return flows_->flows(); }
  std::size_t comms() const { return flows_->comms(); }

  void on_flow_done(std::uint32_t token) override;

 private:
  void begin_attempt(Handle h);
  void finish(Handle h);
  // Ends h's attempt now, counting what it sent; false when it was parked
  // or still paying its latency (nothing sent).
  void end_attempt(Handle h, bool lost);
  bool route_is_up(const ActiveJob& j) const;
  // When j's current attempt starts moving bytes: its route's latency after
  // the attempt began (none for a read from the city's own store).
  double flow_start_s(const ActiveJob& j) const;
  // The flows table's row for j's flow, ending now (scenarios with record_flows).
  void record_flow(const ActiveJob& j, double moved_B, FlowOutcome outcome) const;

  EngineState& st_;
  std::unique_ptr<FlowModel> flows_;
  std::vector<Handle> in_flight_;          // handles with a transfer (any state), unordered
  std::vector<std::int32_t> slot_;         // handle -> index in in_flight_, -1 if none
  std::vector<std::vector<Handle>> parked_;  // per center, in parking order
  std::vector<Handle> scratch_;
  bool at_horizon_ = false;  // record_horizon() ran: flows are recorded no more
};

}  // namespace suanwang::engine

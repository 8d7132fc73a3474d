// FlowModel: bytes moving between cities over a fixed route, with
// bandwidth shared by SimGrid's network model (max-min fairness).
//
// A flow is started once its route's latency has been paid (the engine waits
// that out on its calendar, so the platform's links carry no latency: a flow
// takes no bandwidth before it is started, exactly as in SimGrid's CM02
// latency phase, and every flow then has the same weight: plain max-min
// fairness, with no bias against long routes). The sink hears about every
// flow that completes, in completion order; cancel() ends one early.
//
// Two implementations give the same completion times (up to floating-point
// rounding, tested on contended links):
//  - per_transfer: one SimGrid comm per flow (the reference; every start and
//    end re-solves the sharing over all flows in flight);
//  - bundled: one SimGrid comm per route carrying all of that route's flows.
//    Flows on an identical route get identical max-min rates, so the route's
//    comm weighs as many flows as it carries and each member advances by
//    1/k of what it moves; the comm is sized to end at the next member's
//    completion. SimGrid's problem then has one variable per busy route, not
//    one per flow: its cost per event stays flat as flows in flight grow.
//    A busy route that shares no link with another one needs no comm at all
//    (its rate is its bottleneck bandwidth): it is a kernel timer until
//    another route becomes busy on one of its links (comms() counts only
//    SimGrid comms).
#pragma once

#include <cstdint>
#include <memory>
#include <string>

namespace suanwang {
class Platform;
}

namespace suanwang::engine {

using FlowId = std::uint32_t;

class FlowSink {
 public:
  virtual ~FlowSink() = default;
  // A flow moved all its bytes. `token` is what start() was given.
  virtual void on_flow_done(std::uint32_t token) = 0;
};

enum class FlowModelKind : std::uint8_t { bundled, per_transfer };
const char* to_string(FlowModelKind kind);
// "bundled" | "per_transfer"; false when unknown.
bool parse_flow_model(const std::string& text, FlowModelKind* out);

class FlowModel {
 public:
  virtual ~FlowModel() = default;
  // Starts moving `bytes` (> 0) from sender node `src` (a city, or a
  // storage site's store: Platform::nodes()) to city `dst` over route
  // variant `variant` of the platform.
  virtual FlowId start(int src, int dst, int variant, double bytes, std::uint32_t token) = 0;
  // Stops a flow that has not completed; returns the bytes it had moved.
  virtual double cancel(FlowId id) = 0;
  // Bytes a flow in progress has moved so far.
  virtual double moved(FlowId id) const = 0;
  // Cancels everything (end of the run).
  virtual void cancel_all() = 0;
  // Flows in progress, and SimGrid comms carrying them.
  virtual std::size_t flows() const = 0;
  virtual std::size_t comms() const = 0;
};

std::unique_ptr<FlowModel> make_flow_model(FlowModelKind kind, const Platform& platform,
                                           FlowSink& sink);

}  // namespace suanwang::engine

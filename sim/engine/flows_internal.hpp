// Internal to the flow models (flow_model.hpp): the two implementations and
// how a finished SimGrid comm finds its way back to the model that owns it.
#pragma once

#include <cstdint>
#include <memory>

#include <simgrid/s4u/Activity.hpp>
#include <simgrid/s4u/Comm.hpp>

#include "sim/engine/flow_model.hpp"

namespace suanwang::engine {

std::unique_ptr<FlowModel> make_per_transfer_flows(const Platform& platform, FlowSink& sink);
std::unique_ptr<FlowModel> make_bundled_flows(const Platform& platform, FlowSink& sink);

// A flow model tags each comm it starts (Activity::set_data) with a non-zero
// number of its own and hears it back here when the comm finishes (not when
// it is cancelled).
class CompletionTarget {
 public:
  virtual ~CompletionTarget() = default;
  virtual void on_comm_done(std::uintptr_t tag) = 0;
};

// While alive, routes SimGrid's completions to `target` (one run per process),
// and keeps cancelled comms alive until SimGrid has retired them.
class CompletionRoute {
 public:
  explicit CompletionRoute(CompletionTarget* target);
  ~CompletionRoute();
  CompletionRoute(const CompletionRoute&) = delete;
  CompletionRoute& operator=(const CompletionRoute&) = delete;

  // SimGrid 3.32 still uses a comm after telling us it is done (it reports
  // the end, then "posts" the activity), and retires a cancelled comm's
  // kernel action later in the scheduling round. Dropping the last
  // reference before that makes it read freed memory. So finished and
  // cancelled comms are handed over here and dropped at a later callback,
  // once SimGrid is done with them.
  // Hands over a comm that on_comm_done just reported (call from there).
  void retire(simgrid::s4u::CommPtr comm);
  // Cancels a started comm and keeps it until SimGrid reports it failed.
  void cancel(simgrid::s4u::CommPtr comm);
};

}  // namespace suanwang::engine

#include "sim/engine/flow_model.hpp"

#include "sim/engine/flows_internal.hpp"

#include <unordered_map>
#include <vector>

namespace suanwang::engine {

const char* to_string(FlowModelKind kind) {
  return kind == FlowModelKind::bundled ? "bundled" : "per_transfer";
}

bool parse_flow_model(const std::string& text, FlowModelKind* out) {
  if (text == "bundled") *out = FlowModelKind::bundled;
  else if (text == "per_transfer") *out = FlowModelKind::per_transfer;
  else return false;
  return true;
}

std::unique_ptr<FlowModel> make_flow_model(FlowModelKind kind, const Platform& platform,
                                           FlowSink& sink) {
  if (kind == FlowModelKind::bundled) return make_bundled_flows(platform, sink);
  return make_per_transfer_flows(platform, sink);
}

namespace {

using simgrid::s4u::Activity;

// The tag of a cancelled comm, waiting to be retired.
const std::uintptr_t kCancelledTag = ~std::uintptr_t{0};

// Process-wide, and never freed: a cancelled comm may outlive the run that
// cancelled it (the horizon cancels what is in flight, and SimGrid runs no
// further round to retire it), and must not be freed behind SimGrid's back.
struct RouteState {
  CompletionTarget* target = nullptr;  // the flow model of this process's run
  std::unordered_map<const Activity*, simgrid::s4u::CommPtr> cancelled;
  std::vector<simgrid::s4u::CommPtr> retired;  // dropped at the next callback
};
RouteState* const g_route = new RouteState;

void on_completion(const Activity& a) {
  // Retired in an earlier callback: SimGrid has finished with them (its
  // callbacks come one activity at a time, each after the previous one's post).
  g_route->retired.clear();
  const auto tag = reinterpret_cast<std::uintptr_t>(a.get_data<void>());
  if (tag == kCancelledTag) {
    if (a.get_state() != Activity::State::FAILED) return;  // cancel()'s own, synchronous report
    const auto it = g_route->cancelled.find(&a);
    if (it == g_route->cancelled.end()) return;
    g_route->retired.push_back(std::move(it->second));
    g_route->cancelled.erase(it);
    return;
  }
  if (tag != 0 && g_route->target != nullptr && a.get_state() == Activity::State::FINISHED)
    g_route->target->on_comm_done(tag);
}

}  // namespace

CompletionRoute::CompletionRoute(CompletionTarget* target) {
  // SimGrid's signal is process-wide and cannot be disconnected one handler
  // at a time: connect once, and route to whichever model is current.
  static const bool connected = [] {
    Activity::on_completion_cb(on_completion);
    return true;
  }();
  (void)connected;
  g_route->target = target;
}

CompletionRoute::~CompletionRoute() { g_route->target = nullptr; }

void CompletionRoute::retire(simgrid::s4u::CommPtr comm) {
  g_route->retired.push_back(std::move(comm));
}

void CompletionRoute::cancel(simgrid::s4u::CommPtr comm) {
  comm->set_data(reinterpret_cast<void*>(kCancelledTag));
  comm->cancel();
  const Activity* key = comm.get();
  g_route->cancelled.emplace(key, std::move(comm));
}

}  // namespace suanwang::engine

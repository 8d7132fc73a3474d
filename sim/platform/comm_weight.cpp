#include "sim/platform/comm_weight.hpp"

#include <atomic>
#include <list>
#include <string>
#include <vector>

#include <simgrid/kernel/resource/Action.hpp>
#include <simgrid/version.h>

namespace suanwang {

namespace {

// The leading members of simgrid::kernel::activity::ActivityImpl in SimGrid
// 3.32 (src/kernel/activity/ActivityImpl.hpp), in declaration order, up to
// the public `surf_action_`. Only read, and only after the check below.
struct ActivityImplLayout332 {
  virtual ~ActivityImplLayout332() = default;
  std::atomic_int_fast32_t refcount_;
  std::string name_;
  void* actor_;
  int state_;
  double start_time_;
  double finish_time_;
  std::vector<void*> hosts_;
  std::list<void*> simcalls_;
  const void* piface_;
  simgrid::kernel::resource::Action* surf_action_;
};

const ActivityImplLayout332* layout_of(const simgrid::s4u::Comm& comm) {
  return reinterpret_cast<const ActivityImplLayout332*>(comm.get_impl());
}

simgrid::kernel::resource::Action* action_of(const simgrid::s4u::Comm& comm) {
  return layout_of(comm)->surf_action_;
}

}  // namespace

bool comm_weight_supported(const simgrid::s4u::Comm& started) {
  // Decided once per process: SimGrid does not change under us.
  static const bool ok = [&] {
    if (SIMGRID_VERSION_MAJOR != 3 || SIMGRID_VERSION_MINOR != 32) return false;
    const ActivityImplLayout332* impl = layout_of(started);
    const simgrid::s4u::Activity* iface = &started;  // the base the kernel points back to
    if (impl == nullptr || impl->piface_ != static_cast<const void*>(iface)) return false;
    const simgrid::kernel::resource::Action* action = impl->surf_action_;
    return action != nullptr &&
           static_cast<const void*>(action->get_activity()) == static_cast<const void*>(impl);
  }();
  return ok;
}

void set_comm_weight(const simgrid::s4u::Comm& started, double weight) {
  action_of(started)->set_sharing_penalty(1.0 / weight);
}

void set_comm_remaining(const simgrid::s4u::Comm& started, double bytes) {
  action_of(started)->set_remains(bytes);
}

}  // namespace suanwang

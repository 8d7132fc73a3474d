// One SimGrid comm per flow: the reference flow model (see flow_model.hpp).
#include <simgrid/s4u/Comm.hpp>

#include <vector>

#include "sim/engine/flows_internal.hpp"
#include "sim/platform/platform.hpp"

namespace sg4 = simgrid::s4u;

namespace suanwang::engine {

namespace {

class PerTransferFlows final : public FlowModel, public CompletionTarget {
 public:
  PerTransferFlows(const Platform& platform, FlowSink& sink)
      : platform_(platform), sink_(sink), route_(this) {}

  FlowId start(int src, int dst, int variant, double bytes, std::uint32_t token) override {
    const FlowId id = allocate();
    Flow& f = flows_[id];
    // SimGrid sizes comms in whole bytes.
    f.bytes = static_cast<double>(static_cast<std::uint64_t>(bytes));
    f.token = token;
    f.comm = sg4::Comm::sendto_init(platform_.sender(src), platform_.receiver(dst, variant));
    f.comm->set_payload_size(static_cast<std::uint64_t>(bytes));
    f.comm->set_data(reinterpret_cast<void*>(static_cast<std::uintptr_t>(id) + 1));
    f.comm->start();
    ++active_;
    return id;
  }

  double cancel(FlowId id) override {
    Flow& f = flows_[id];
    const double moved = f.bytes - f.comm->get_remaining();
    route_.cancel(std::move(f.comm));
    release(id);
    return moved;
  }

  double moved(FlowId id) const override {
    const Flow& f = flows_[id];
    return f.bytes - f.comm->get_remaining();
  }

  void cancel_all() override {
    for (FlowId id = 0; id < flows_.size(); ++id)
      if (flows_[id].comm) {
        route_.cancel(std::move(flows_[id].comm));
        release(id);
      }
  }

  std::size_t flows() const override { return active_; }
  std::size_t comms() const override { return active_; }

  void on_comm_done(std::uintptr_t tag) override {
    const FlowId id = static_cast<FlowId>(tag - 1);
    const std::uint32_t token = flows_[id].token;
    route_.retire(std::move(flows_[id].comm));
    release(id);
    sink_.on_flow_done(token);
  }

 private:
  struct Flow {
    sg4::CommPtr comm;   // null when the slot is free
    double bytes = 0;
    std::uint32_t token = 0;
  };

  FlowId allocate() {
    if (!free_.empty()) {
      const FlowId id = free_.back();
      free_.pop_back();
      return id;
    }
    flows_.emplace_back();
    return static_cast<FlowId>(flows_.size() - 1);
  }
  void release(FlowId id) {
    flows_[id].comm = nullptr;
    free_.push_back(id);
    --active_;
  }

  const Platform& platform_;
  FlowSink& sink_;
  CompletionRoute route_;
  std::vector<Flow> flows_;
  std::vector<FlowId> free_;
  std::size_t active_ = 0;
};

}  // namespace

std::unique_ptr<FlowModel> make_per_transfer_flows(const Platform& platform, FlowSink& sink) {
  return std::make_unique<PerTransferFlows>(platform, sink);
}

}  // namespace suanwang::engine

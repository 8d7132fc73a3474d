// One SimGrid comm per busy route, carrying all of that route's flows (see
// flow_model.hpp for why this is exact).
//
// Each route keeps a "virtual byte clock" v: the bytes each of its members
// has moved since the route was last idle. A member joining at v0 with b
// bytes is done when v reaches v0 + b, so members are ordered by that finish
// value and every event costs O(log k). The route's comm (a "segment") is
// sized to end exactly when the first member is done: k x (its finish - v)
// bytes at weight k. When members join or leave mid-segment, the segment is
// settled (v advanced by what it moved / k) and a new one started: with no
// latency on the platform's links a segment starts moving at once.
//
// A route whose links no other busy route crosses needs no SimGrid comm: its
// rate is its bottleneck bandwidth whatever its weight (max-min with a single
// variable), so its segment is a timer at v's finish (a "lone" segment, no
// LMM variable, no re-solve). When another route becomes busy on one of its
// links, the lone segment is settled at that instant and restarted as a comm,
// so the sharing is SimGrid's from then on; a route that finds itself alone
// again at its next restart goes back to a timer. The times are SimGrid's up
// to the rounding of one division against SimGrid's step-by-step remains.
#include <simgrid/kernel/Timer.hpp>
#include <simgrid/s4u/Comm.hpp>
#include <simgrid/s4u/Engine.hpp>
#include <simgrid/s4u/Host.hpp>
#include <simgrid/s4u/Link.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <set>
#include <unordered_map>
#include <utility>
#include <vector>

#include "sim/engine/flows_internal.hpp"
#include "sim/platform/comm_weight.hpp"
#include "sim/platform/platform.hpp"

namespace sg4 = simgrid::s4u;

namespace suanwang::engine {

namespace {

class BundledFlows final : public FlowModel, public CompletionTarget {
 public:
  BundledFlows(const Platform& platform, FlowSink& sink)
      : platform_(platform), sink_(sink), route_(this) {
    const std::size_t n = static_cast<std::size_t>(platform.cities());
    bundle_of_.assign(static_cast<std::size_t>(platform.nodes()) * n * static_cast<std::size_t>(platform.variants()), -1);
  }

  // Whether this SimGrid lets a comm weigh as several flows: probed once
  // with a one-byte comm, cancelled at once (it never moves a byte of the
  // run).
  bool weights_work() {
    if (platform_.cities() < 2) return true;  // no route, no comm: nothing to weigh
    sg4::CommPtr probe = sg4::Comm::sendto_init(platform_.sender(0), platform_.receiver(1, 0));
    probe->set_payload_size(1);
    probe->start();
    const bool ok = comm_weight_supported(*probe);
    route_.cancel(std::move(probe));
    return ok;
  }

  FlowId start(int src, int dst, int variant, double bytes, std::uint32_t token) override {
    const int b = bundle(src, dst, variant);
    settle(b);
    const FlowId id = allocate();
    Flow& f = flows_[id];
    f.bundle = b;
    f.start_v = bundles_[b].v;
    f.finish_v = f.start_v + bytes;
    f.bytes = bytes;
    f.token = token;
    f.join = next_join_++;
    bundles_[b].members.insert({f.finish_v, f.join, id});
    ++active_;
    restart(b);
    return id;
  }

  double cancel(FlowId id) override {
    Flow& f = flows_[id];
    const int b = f.bundle;
    settle(b);
    const double moved = std::clamp(bundles_[b].v - f.start_v, 0.0, f.bytes);
    bundles_[b].members.erase({f.finish_v, f.join, id});
    release(id);
    restart(b);
    return moved;
  }

  double moved(FlowId id) const override {
    const Flow& f = flows_[id];
    return std::clamp(current_v(bundles_[f.bundle]) - f.start_v, 0.0, f.bytes);
  }

  // A lone segment's timer calls back into this object: none may outlive it.
  ~BundledFlows() override {
    for (Bundle& b : bundles_)
      if (b.timer) b.timer->remove();
  }

  void cancel_all() override {
    for (Bundle& b : bundles_) {
      if (b.comm) route_.cancel(std::move(b.comm));
      b.comm = nullptr;
      if (b.timer) b.timer->remove();
      b.timer = nullptr;
      for (const Member& m : b.members) release(m.id);
      b.members.clear();
      b.busy = false;
      b.v = 0;
    }
    std::fill(link_busy_.begin(), link_busy_.end(), 0);
    std::fill(link_lone_.begin(), link_lone_.end(), -1);
  }

  std::size_t flows() const override { return active_; }
  std::size_t comms() const override { return comms_; }

  void on_comm_done(std::uintptr_t tag) override {
    const int b = static_cast<int>(tag - 1);
    Bundle& B = bundles_[b];
    route_.retire(std::move(B.comm));
    B.comm = nullptr;
    --comms_;
    segment_done(b);
  }

 private:
  struct Member {
    double finish_v;
    std::uint64_t join;  // ties: the earlier joiner finishes first
    FlowId id;
    bool operator<(const Member& o) const {
      return finish_v != o.finish_v ? finish_v < o.finish_v : join < o.join;
    }
  };
  struct Bundle {
    int src = -1, dst = -1, variant = -1;
    std::set<Member> members;
    double v = 0;          // per-member bytes moved since the route was idle
    sg4::CommPtr comm;     // the current segment when it is a comm, else null
    simgrid::kernel::timer::Timer* timer = nullptr;  // ... when it is lone, else null
    double seg_bytes = 0;  // its size
    double seg_v0 = 0;     // v when it started
    double seg_t0 = 0;     // when it started (a lone segment)
    bool busy = false;     // counted in link_busy_ (has members)
    std::vector<int> links;  // the route's links, as indexes of link_busy_
    double rate_Bps = 0;     // its bottleneck bandwidth: a lone segment's rate
  };
  struct Flow {
    int bundle = -1;
    double start_v = 0, finish_v = 0, bytes = 0;
    std::uint64_t join = 0;
    std::uint32_t token = 0;
  };

  int bundle(int src, int dst, int variant) {
    const std::size_t n = static_cast<std::size_t>(platform_.cities());
    int& b = bundle_of_[(static_cast<std::size_t>(src) * n + dst) * platform_.variants() + variant];
    if (b < 0) {
      b = static_cast<int>(bundles_.size());
      bundles_.emplace_back();
      Bundle& B = bundles_.back();
      B.src = src;
      B.dst = dst;
      B.variant = variant;
      std::vector<sg4::Link*> route;
      double latency = 0;
      platform_.sender(src)->route_to(platform_.receiver(dst, variant), route, &latency);
      B.rate_Bps = std::numeric_limits<double>::infinity();
      for (const sg4::Link* l : route) {
        auto [it, added] = link_index_.try_emplace(l, static_cast<int>(link_busy_.size()));
        if (added) {
          link_busy_.push_back(0);
          link_lone_.push_back(-1);
        }
        B.links.push_back(it->second);
        B.rate_Bps = std::min(B.rate_Bps, l->get_bandwidth());
      }
    }
    return b;
  }

  double current_v(const Bundle& B) const {
    const double k = static_cast<double>(B.members.size());
    if (B.comm) return B.seg_v0 + (B.seg_bytes - B.comm->get_remaining()) / k;
    if (B.timer) {
      const double sent = (sg4::Engine::get_clock() - B.seg_t0) * B.rate_Bps;
      return B.seg_v0 + std::min(sent, B.seg_bytes) / k;
    }
    return B.v;
  }

  // Ends the current segment now, advancing v by what it moved.
  void settle(int b) {
    Bundle& B = bundles_[b];
    if (B.comm) {
      B.v = current_v(B);
      route_.cancel(std::move(B.comm));
      B.comm = nullptr;
      --comms_;
    } else if (B.timer) {
      B.v = current_v(B);
      B.timer->remove();
      B.timer = nullptr;
      unmark_lone(b);
    }
  }

  // Starts a segment that ends when the first member is done: a timer when
  // no other busy route shares a link with this one, else a comm.
  void restart(int b) {
    Bundle& B = bundles_[b];
    if (B.members.empty()) {
      if (B.busy) vacate(b);
      B.v = 0;  // keeps v small: its precision is what times member ends
      return;
    }
    if (!B.busy) occupy(b);
    const double k = static_cast<double>(B.members.size());
    // Exactly the bytes that bring the first member to its finish (s4u takes
    // whole bytes; the kernel action is then given the exact amount).
    const double need = std::max(0.0, B.members.begin()->finish_v - B.v) * k;
    B.seg_bytes = need;
    B.seg_v0 = B.v;
    if (alone(B)) {
      B.seg_t0 = sg4::Engine::get_clock();
      for (const int l : B.links) link_lone_[l] = b;
      B.timer = simgrid::kernel::timer::Timer::set(B.seg_t0 + need / B.rate_Bps, [this, b] {
        bundles_[b].timer = nullptr;  // SimGrid deletes the timer after this callback
        unmark_lone(b);
        segment_done(b);
      });
      return;
    }
    B.comm = sg4::Comm::sendto_init(platform_.sender(B.src), platform_.receiver(B.dst, B.variant));
    B.comm->set_payload_size(static_cast<std::uint64_t>(std::max(1.0, std::ceil(need))));
    B.comm->set_data(reinterpret_cast<void*>(static_cast<std::uintptr_t>(b) + 1));
    B.comm->start();
    set_comm_remaining(*B.comm, need);
    if (B.members.size() > 1) set_comm_weight(*B.comm, k);
    ++comms_;
  }

  // The current segment moved all its bytes: its first members are done.
  void segment_done(int b) {
    Bundle& B = bundles_[b];
    B.v = B.seg_v0 + B.seg_bytes / static_cast<double>(B.members.size());
    // Every member whose finish the segment reached is done: the first one,
    // and any with the same finish (up to the rounding of v's arithmetic).
    done_.clear();
    while (!B.members.empty() && B.members.begin()->finish_v <= B.v + 1e-12 * std::abs(B.v) + 1e-9) {
      done_.push_back(flows_[B.members.begin()->id].token);
      release(B.members.begin()->id);
      B.members.erase(B.members.begin());
    }
    restart(b);
    // The sink may start or cancel flows: hand it a list it cannot disturb.
    std::vector<std::uint32_t> done;
    done.swap(done_);
    for (const std::uint32_t token : done) sink_.on_flow_done(token);
    done.clear();
    if (done_.empty()) done_.swap(done);  // keep the capacity
  }

  // Whether no other busy route crosses any of B's links.
  bool alone(const Bundle& B) const {
    for (const int l : B.links)
      if (link_busy_[l] > 1) return false;
    return true;
  }

  // B becomes busy: its links count it, and a lone route on one of them
  // now shares that link, so its segment becomes a comm.
  void occupy(int b) {
    Bundle& B = bundles_[b];
    B.busy = true;
    for (const int l : B.links) ++link_busy_[l];
    for (const int l : B.links) {
      const int other = link_lone_[l];
      if (other < 0 || other == b) continue;
      settle(other);
      restart(other);
    }
  }

  void vacate(int b) {
    Bundle& B = bundles_[b];
    B.busy = false;
    for (const int l : B.links) --link_busy_[l];
  }

  void unmark_lone(int b) {
    for (const int l : bundles_[b].links)
      if (link_lone_[l] == b) link_lone_[l] = -1;
  }

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
    flows_[id].bundle = -1;
    free_.push_back(id);
    --active_;
  }

  const Platform& platform_;
  FlowSink& sink_;
  CompletionRoute route_;
  std::vector<int> bundle_of_;   // (src, dst, variant) -> bundle, -1 until used
  std::vector<Bundle> bundles_;
  std::vector<Flow> flows_;
  std::vector<FlowId> free_;
  std::vector<std::uint32_t> done_;
  std::unordered_map<const sg4::Link*, int> link_index_;  // the links routes cross so far
  std::vector<int> link_busy_;  // per link: busy routes crossing it
  std::vector<int> link_lone_;  // per link: the route with a lone segment on it, -1 if none
  std::uint64_t next_join_ = 0;
  std::size_t active_ = 0, comms_ = 0;
};

}  // namespace

std::unique_ptr<FlowModel> make_bundled_flows(const Platform& platform, FlowSink& sink) {
  auto model = std::make_unique<BundledFlows>(platform, sink);
  if (!model->weights_work()) {
    model.reset();
    std::fprintf(stderr,
                 "suanwang: this SimGrid cannot weigh a comm as several flows; using one comm per "
                 "transfer (flow_model = \"per_transfer\")\n");
    return make_per_transfer_flows(platform, sink);
  }
  return model;
}

}  // namespace suanwang::engine

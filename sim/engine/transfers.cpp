#include "sim/engine/transfers.hpp"

#include <algorithm>
#include <cstdlib>

#include "sim/engine/engine_state.hpp"

namespace suanwang::engine {

Transfers::Transfers(EngineState& st, FlowModelKind kind)
    : st_(st), flows_(make_flow_model(kind, *st.platform, *this)), parked_(st.net.centers.size()) {}

Transfers::~Transfers() = default;

void Transfers::start(Handle h, int src, int dst, double bytes, TrafficPurpose purpose, int store) {
  ActiveJob& j = st_.jobs[h];
  j.purpose = purpose;
  j.store = store;
  j.route_src = src;
  j.route_dst = dst;
  j.transfer_size_B = bytes;
  if (slot_.size() <= h) slot_.resize(static_cast<std::size_t>(h) + 1, -1);
  slot_[h] = static_cast<std::int32_t>(in_flight_.size());
  in_flight_.push_back(h);
  begin_attempt(h);
}

void Transfers::begin_attempt(Handle h) {
  ActiveJob& j = st_.jobs[h];
  j.transfer_counted_B = 0;
  j.attempt_start_s = st_.now();
  j.flow = kNoFlow;
  if (j.route_src == j.route_dst) {  // a read from the city's own store: no backbone
    j.parked = false;
    j.route_variant = 0;
    st_.calendar.schedule(flow_start_s(j), EventKind::flow_start, h, j.gen);
    return;
  }
  const int v = st_.usable_variant(j.route_src, j.route_dst);
  if (v < 0) {  // every route variant crosses a down link: wait for a repair
    j.route_variant = -1;
    j.parked = true;
    parked_[j.center].push_back(h);
    return;
  }
  j.parked = false;
  j.route_variant = v;
  // The flow takes no bandwidth until the route's latency is paid.
  st_.calendar.schedule(flow_start_s(j), EventKind::flow_start, h, j.gen);
}

void Transfers::on_latency_paid(Handle h) {
  ActiveJob& j = st_.jobs[h];
  const int src = j.store >= 0 ? st_.platform->store_node(j.store) : j.route_src;
  j.flow = flows_->start(src, j.route_dst, j.route_variant, j.transfer_size_B, h);
  if (j.store >= 0) st_.data->reading(j.store, +1);
}

double Transfers::moved(Handle h) const {
  const ActiveJob& j = st_.jobs[h];
  return j.flow != kNoFlow ? flows_->moved(j.flow) : 0.0;
}

void Transfers::end_attempt(Handle h, bool lost) {
  ActiveJob& j = st_.jobs[h];
  const double now = st_.now();
  double sent = 0;
  if (j.flow != kNoFlow) {
    sent = lost ? flows_->cancel(j.flow) : j.transfer_size_B;
    if (st_.sc.record_flows && !at_horizon_) record_flow(j, sent, lost ? FlowOutcome::lost : FlowOutcome::completed);
    j.flow = kNoFlow;
    if (j.store >= 0) st_.data->reading(j.store, -1);
  }
  st_.credit_link_bytes(j, sent);
  j.bytes_moved += sent;
  j.transfer_s += now - j.attempt_start_s;
  if (lost) j.transfer_delay_s += now - j.attempt_start_s;
  ++j.gen;  // a pending flow_start is void
}

void Transfers::on_flow_done(std::uint32_t token) {
  // Called from SimGrid's completion signal: a top-level step of the run.
  st_.top_level([&] { finish(static_cast<Handle>(token)); });
}

void Transfers::finish(Handle h) {
  end_attempt(h, false);
  // Drop it from the in-flight list (swap with the last).
  const std::int32_t s = slot_[h];
  const Handle last = in_flight_.back();
  in_flight_[static_cast<std::size_t>(s)] = last;
  slot_[last] = s;
  in_flight_.pop_back();
  slot_[h] = -1;
  ActiveJob& j = st_.jobs[h];
  j.route_variant = -1;
  st_.on_transfer_done(h);
}

void Transfers::abandon(Handle h) {
  if (h >= slot_.size() || slot_[h] < 0) return;
  ActiveJob& j = st_.jobs[h];
  if (j.parked) {
    auto& list = parked_[j.center];
    list.erase(std::find(list.begin(), list.end(), h));
    j.parked = false;
    const double now = st_.now();
    j.transfer_s += now - j.attempt_start_s;
    j.transfer_delay_s += now - j.attempt_start_s;
    ++j.gen;
  } else {
    end_attempt(h, true);
  }
  const std::int32_t s = slot_[h];
  const Handle last = in_flight_.back();
  in_flight_[static_cast<std::size_t>(s)] = last;
  slot_[last] = s;
  in_flight_.pop_back();
  slot_[h] = -1;
  j.route_variant = -1;
}

bool Transfers::route_is_up(const ActiveJob& j) const {
  if (j.route_src == j.route_dst) return true;
  for (int s : st_.hops(j.route_src, j.route_dst, j.route_variant))
    if (!st_.net.link_up[std::abs(s) - 1]) return false;
  return true;
}

void Transfers::on_links_changed() {
  // Center by center: broken attempts (by job id) restart on a surviving
  // variant, then parked ones retry in parking order.
  const int nc = static_cast<int>(st_.net.centers.size());
  std::vector<std::vector<Handle>> by_center(nc);
  for (const Handle h : in_flight_) {
    const ActiveJob& j = st_.jobs[h];
    if (!j.parked && !route_is_up(j)) by_center[j.center].push_back(h);
  }
  for (int c = 0; c < nc; ++c) {
    auto& broken = by_center[c];
    std::sort(broken.begin(), broken.end(),
              [&](Handle a, Handle b) { return st_.jobs[a].job.id < st_.jobs[b].job.id; });
    for (const Handle h : broken) {
      // What was sent is lost with the link: the transfer starts over.
      end_attempt(h, true);
      begin_attempt(h);
    }
    if (parked_[c].empty()) continue;
    scratch_.clear();
    scratch_.swap(parked_[c]);
    const double now = st_.now();
    for (const Handle h : scratch_) {
      ActiveJob& j = st_.jobs[h];
      if (st_.usable_variant(j.route_src, j.route_dst) < 0) {
        parked_[c].push_back(h);
        continue;
      }
      j.transfer_delay_s += now - j.attempt_start_s;
      j.transfer_s += now - j.attempt_start_s;
      begin_attempt(h);
    }
  }
}

void Transfers::credit_in_flight() {
  for (const Handle h : in_flight_) {
    ActiveJob& j = st_.jobs[h];
    if (j.flow != kNoFlow) st_.credit_link_bytes(j, flows_->moved(j.flow));
  }
}

double Transfers::flow_start_s(const ActiveJob& j) const {
  if (j.route_src == j.route_dst) return j.attempt_start_s;
  return j.attempt_start_s + st_.route(j.route_src, j.route_dst, j.route_variant).latency_s;
}

void Transfers::record_flow(const ActiveJob& j, double moved_B, FlowOutcome outcome) const {
  FlowRecord r;
  r.job = j.job.id;
  r.purpose = j.purpose;
  r.src = j.route_src;
  r.dst = j.route_dst;
  r.from_storage = j.store >= 0;
  r.variant = j.route_variant;
  r.start_s = flow_start_s(j);
  r.end_s = st_.now();
  r.bytes = j.transfer_size_B;
  r.moved_B = moved_B;
  r.outcome = outcome;
  st_.rec.flow(r);
}

void Transfers::record_horizon() {
  if (st_.sc.record_flows)
    for (const Handle h : in_flight_) {
      const ActiveJob& j = st_.jobs[h];
      if (j.flow != kNoFlow) record_flow(j, flows_->moved(j.flow), FlowOutcome::unfinished);
    }
  at_horizon_ = true;
}

void Transfers::cancel_all() { flows_->cancel_all(); }

}  // namespace suanwang::engine

#include "sim/engine/arrivals.hpp"

#include <algorithm>
#include <limits>

namespace suanwang::engine {

namespace {

int most_demanding_city(const topo::Topology& topo) {
  int best = 0;
  for (int i = 1; i < static_cast<int>(topo.cities.size()); ++i)
    if (topo.cities[i].demand_weight > topo.cities[best].demand_weight) best = i;
  return best;
}

// An inference service is deployed as one long job holding its chips.
Job deployment_job(const ServiceSpec& s, const EngineState& st) {
  Job j;
  j.kind = JobKind::inference;
  j.origin = s.center >= 0 ? s.center : most_demanding_city(st.topo);
  j.pinned_center = s.center;
  j.submit_s = s.start_s;
  j.gpus = s.chips;
  const double stop = s.stop_s >= 0 ? std::min(s.stop_s, st.sc.duration_s) : st.sc.duration_s;
  j.duration_s = std::max(1.0, stop - s.start_s);
  j.walltime_s = j.duration_s;
  j.chip_requirement = s.chip_requirement;
  j.chip = s.chip;
  return j;
}

}  // namespace

Arrivals::Arrivals(EngineState& st, std::unique_ptr<JobSource> source)
    : st_(st), source_(std::move(source)) {
  const auto& specs = st.sc.workload.services;
  for (std::size_t i = 0; i < specs.size(); ++i)
    services_.push_back({deployment_job(specs[i], st), static_cast<int>(i)});
  std::stable_sort(services_.begin(), services_.end(),
                   [](const auto& a, const auto& b) { return a.first.submit_s < b.first.submit_s; });
}

double Arrivals::next_time() const {
  double t = std::numeric_limits<double>::infinity();
  if (next_) t = next_->submit_s;
  if (next_service_ < services_.size()) t = std::min(t, services_[next_service_].first.submit_s);
  return t;
}

void Arrivals::start() {
  next_ = source_->next();
  const double t = next_time();
  if (t < st_.sc.duration_s) st_.calendar.schedule(t, EventKind::arrivals);
}

void Arrivals::on_event() {
  const double t = st_.now();
  batch_.clear();
  while (next_service_ < services_.size() && services_[next_service_].first.submit_s <= t) {
    const auto& [job, index] = services_[next_service_++];
    const Handle h = st_.admit(job);
    st_.jobs[h].service = index;
    st_.service_handles[index] = h;
    batch_.push_back(h);
  }
  while (next_ && next_->submit_s <= t) {
    batch_.push_back(st_.admit(*next_));
    next_ = source_->next();
  }
  const double tn = next_time();
  if (tn < st_.sc.duration_s) st_.calendar.schedule(tn, EventKind::arrivals);
  st_.submit_batch(batch_);
}

}  // namespace suanwang::engine

#include "sim/workload/streams.hpp"

#include <algorithm>
#include <cmath>

#include "sim/core/user_error.hpp"

namespace suanwang::workload_detail {

void check_city(const topo::Topology& topo, int city, const std::string& who, const char* field) {
  if (city < -1 || city >= static_cast<int>(topo.cities.size()))
    throw UserError("workload", who,
                    std::string(field) + " = " + std::to_string(city) +
                        " is not a city index (expected -1 or 0.." +
                        std::to_string(static_cast<long long>(topo.cities.size()) - 1) + ")");
}

OriginSampler::OriginSampler(const topo::Topology& topo, int pinned, const std::string& who) {
  check_city(topo, pinned, who, "origin");
  pinned_ = pinned;
  if (pinned_ >= 0) return;
  double total = 0;
  for (std::size_t i = 0; i < topo.cities.size(); ++i) {
    double w = topo.cities[i].demand_weight;
    if (!(w > 0) || !std::isfinite(w)) continue;
    total += w;
    cumulative_.push_back(total);
    city_.push_back(static_cast<int>(i));
  }
  if (cumulative_.empty())
    throw UserError(topo.source_file.empty() ? "topology" : topo.source_file, who,
                    "no city has demand_weight > 0, so job origins cannot be drawn "
                    "(expected a positive demand_weight somewhere, or a pinned origin)");
}

int OriginSampler::draw(Rng& rng) const {
  if (pinned_ >= 0) return pinned_;
  double target = uniform01(rng) * cumulative_.back();
  auto it = std::upper_bound(cumulative_.begin(), cumulative_.end(), target);
  auto i = static_cast<std::size_t>(it - cumulative_.begin());
  return city_[std::min(i, city_.size() - 1)];
}

}  // namespace suanwang::workload_detail

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

WeightedIndex::WeightedIndex(const std::vector<double>& weights) {
  double total = 0;
  for (std::size_t i = 0; i < weights.size(); ++i) {
    const double w = weights[i];
    if (!(w > 0) || !std::isfinite(w)) continue;
    total += w;
    cumulative_.push_back(total);
    index_.push_back(static_cast<int>(i));
  }
}

int WeightedIndex::draw(Rng& rng) const {
  const double target = uniform01(rng) * cumulative_.back();
  const auto it = std::upper_bound(cumulative_.begin(), cumulative_.end(), target);
  const auto i = static_cast<std::size_t>(it - cumulative_.begin());
  return index_[std::min(i, index_.size() - 1)];
}

OriginSampler::OriginSampler(const topo::Topology& topo, int pinned, const std::string& who) {
  check_city(topo, pinned, who, "origin");
  pinned_ = pinned;
  if (pinned_ >= 0) return;
  std::vector<double> weights;
  weights.reserve(topo.cities.size());
  for (const auto& city : topo.cities) weights.push_back(city.demand_weight);
  cities_ = WeightedIndex(weights);
  if (cities_.empty())
    throw UserError(topo.source_file.empty() ? "topology" : topo.source_file, who,
                    "no city has demand_weight > 0, so job origins cannot be drawn "
                    "(expected a positive demand_weight somewhere, or a pinned origin)");
}

int OriginSampler::draw(Rng& rng) const { return pinned_ >= 0 ? pinned_ : cities_.draw(rng); }

}  // namespace suanwang::workload_detail

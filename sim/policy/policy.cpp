#include "sim/policy/policy.hpp"

#include <numeric>

namespace suanwang {

std::vector<Placement> Policy::place_batch(const std::vector<const Job*>& jobs,
                                           const NetState& net) {
  std::vector<Placement> out;
  out.reserve(jobs.size());
  for (const Job* j : jobs) out.push_back(place(*j, net));
  return out;
}

std::vector<int> Policy::order(const std::vector<const Job*>& queue, int /*pool*/,
                               const NetState& /*net*/) {
  std::vector<int> idx(queue.size());
  std::iota(idx.begin(), idx.end(), 0);
  return idx;
}

}  // namespace suanwang

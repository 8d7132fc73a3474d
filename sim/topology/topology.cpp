#include "sim/topology/topology.hpp"

#include <algorithm>
#include <cctype>
#include <vector>

namespace suanwang::topo {

namespace {

std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> prev(b.size() + 1), cur(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) prev[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const bool same = std::tolower(static_cast<unsigned char>(a[i - 1])) ==
                        std::tolower(static_cast<unsigned char>(b[j - 1]));
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (same ? 0 : 1)});
    }
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

}  // namespace

int Topology::city_index(std::string_view name) const {
  for (std::size_t i = 0; i < cities.size(); ++i)
    if (cities[i].name == name) return static_cast<int>(i);
  return -1;
}

int Topology::accelerator_index(std::string_view id) const {
  for (std::size_t i = 0; i < accelerators.size(); ++i)
    if (accelerators[i].id == id) return static_cast<int>(i);
  return -1;
}

int Topology::carrier_index(std::string_view id) const {
  for (std::size_t i = 0; i < carriers.size(); ++i)
    if (carriers[i] == id) return static_cast<int>(i);
  return -1;
}

std::string Topology::suggest_city(std::string_view name) const {
  std::string best;
  std::size_t best_d = static_cast<std::size_t>(-1);
  for (const City& c : cities) {
    const std::size_t d = edit_distance(name, c.name);
    if (d < best_d) {
      best_d = d;
      best = c.name;
    }
  }
  return best;
}

}  // namespace suanwang::topo

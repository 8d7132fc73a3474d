#include "sim/topology/topology.hpp"

#include "sim/core/text.hpp"
#include "sim/topology/link_name.hpp"

namespace suanwang::topo {

std::string Link::name() const { return link_name(a_name, b_name, carrier); }

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

std::vector<std::string> Topology::city_names() const {
  std::vector<std::string> names;
  names.reserve(cities.size());
  for (const City& c : cities) names.push_back(c.name);
  return names;
}

std::string Topology::suggest_city(std::string_view name) const { return text::suggest(name, city_names()); }

}  // namespace suanwang::topo

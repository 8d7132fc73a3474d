#include "sim/scenario/backbone_overrides.hpp"

#include <cmath>

namespace suanwang {

void apply_bandwidth_factor(lua::TableReader& r, topo::Topology& topology) {
  const double f = r.number("bandwidth_factor", 1.0);
  if (!(f > 0) || !std::isfinite(f))
    r.fail("bandwidth_factor", "must be a number > 0 (it multiplies every link's capacity)");
  if (f == 1.0) return;
  for (topo::Link& l : topology.links) l.bandwidth_Bps *= f;
}

}  // namespace suanwang

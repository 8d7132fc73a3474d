#include "sim/scenario/backbone_overrides.hpp"

#include <cmath>

#include "sim/core/units.hpp"
#include "sim/scenario/value_readers.hpp"

namespace suanwang {

void apply_backbone_overrides(lua::TableReader& r, topo::Topology& topology) {
  if (r.has("backbone_bandwidth")) {
    const double bw = positive_quantity(r, "backbone_bandwidth", units::Dimension::bandwidth, 0);
    if (!std::isfinite(bw)) r.fail("backbone_bandwidth", "must be finite");
    if (!topo::link_capacity_in_range(bw * units::kBitsPerByte / 1e9))
      r.fail("backbone_bandwidth", "must be 1 Mbps to 1 Pbps, a link's capacity (see README \"Limits\")");
    for (topo::Link& l : topology.links) l.bandwidth_Bps = bw;
  }
  const double f = r.number("bandwidth_factor", 1.0);
  if (!(f > 0) || !std::isfinite(f))
    r.fail("bandwidth_factor", "must be a number > 0 (it multiplies every link's capacity)");
  if (f == 1.0) return;
  for (topo::Link& l : topology.links) {
    l.bandwidth_Bps *= f;
    if (!topo::link_capacity_in_range(l.bandwidth_Bps * units::kBitsPerByte / 1e9))
      r.fail("bandwidth_factor", "makes link " + l.name() + " " +
                                     units::format_bandwidth(l.bandwidth_Bps) +
                                     " (expected 1 Mbps to 1 Pbps, a link's capacity; see README \"Limits\")");
  }
}

}  // namespace suanwang

#include "sim/platform/platform.hpp"

#include <string>

#include <simgrid/plugins/energy.h>

namespace sg4 = simgrid::s4u;

namespace suanwang {

void configure_wan_model() {
  // LV08 is calibrated for LANs: latency x 13.01 and a 4 MiB TCP window per
  // 2 x latency would make a 20 ms backbone hop cost 260 ms and cap a flow at
  // ~100 MB/s. A national backbone carries aggregated, well-tuned bulk flows:
  // model each transfer as a fluid flow at its max-min fair share.
  sg4::Engine::set_config("network/model:CM02");
  sg4::Engine::set_config("network/latency-factor:1.0");
  sg4::Engine::set_config("network/bandwidth-factor:1.0");
  sg4::Engine::set_config("network/weight-S:0.0");      // no RTT unfairness
  sg4::Engine::set_config("network/TCP-gamma:0");       // no window cap
  sg4::Engine::set_config("network/crosstraffic:0");    // no ACK reverse flow
  sg4::Engine::set_config("network/loopback-lat:0.0");  // control messages are free
}

Platform::Platform(const topo::Topology& topo, const topo::RouteTable& routes, int vgpu_slices) {
  const int n = static_cast<int>(topo.cities.size());
  variants_ = routes.max_variants();
  auto* zone = sg4::create_full_zone("china");

  control_ = zone->create_host("control", 1e9);
  control_->set_property("wattage_per_state", "0:0:0");
  control_->set_property("wattage_off", "0");
  control_->seal();

  gateways_.resize(n);
  pools_of_city_.resize(n);
  for (int c = 0; c < n; ++c) {
    const topo::City& city = topo.cities[c];
    for (int v = 0; v < variants_; ++v) {
      auto* h = zone->create_host(city.name + "#" + std::to_string(v), 1.0);
      h->set_property("wattage_per_state", "0:0:0");
      h->set_property("wattage_off", "0");
      h->seal();
      gateways_[c].push_back(h);
    }
    for (int p = 0; p < static_cast<int>(city.pools.size()); ++p) {
      const topo::Pool& pool = city.pools[p];
      const topo::Accelerator& acc = topo.accelerators[pool.accel];
      PoolHost ph;
      ph.city = c;
      ph.pool_in_city = p;
      ph.chips = pool.count;
      ph.slices_per_chip = vgpu_slices;
      ph.chip_flops = acc.fp16_flops;
      ph.idle_W = acc.idle_W;
      ph.busy_W = acc.busy_W;
      auto* h = zone->create_host(city.name + "/" + pool.chip, acc.fp16_flops / vgpu_slices);
      h->set_core_count(pool.count * vgpu_slices);
      const double idle = acc.idle_W * pool.count;
      const double busy = acc.busy_W * pool.count;
      h->set_property("wattage_per_state", std::to_string(idle) + ":" + std::to_string(idle) + ":" +
                                               std::to_string(busy));
      h->set_property("wattage_off", "0");
      h->seal();
      ph.host = h;
      pools_of_city_[c].push_back(static_cast<int>(pools_.size()));
      pools_.push_back(ph);
    }
  }

  for (const topo::Link& l : topo.links) {
    auto* link = zone->create_split_duplex_link(l.name(), l.bandwidth_Bps);
    link->set_latency(l.latency_s);
    link->seal();
    links_.push_back(link);
  }

  // Route "src#0" -> "dst#v" = variant v of (src, dst). Directions follow
  // each link's a -> b orientation.
  for (int s = 0; s < n; ++s) {
    for (int d = 0; d < n; ++d) {
      if (s == d) continue;
      const auto& vars = routes.variants(s, d);
      for (int v = 0; v < variants_; ++v) {
        const topo::Route& r = vars[std::min<std::size_t>(v, vars.size() - 1)];
        std::vector<sg4::LinkInRoute> hops;
        hops.reserve(r.links.size());
        int at = s;
        for (int li : r.links) {
          const topo::Link& l = topo.links[li];
          const bool forward = (l.a == at);
          hops.emplace_back(links_[li], forward ? sg4::LinkInRoute::Direction::UP
                                                : sg4::LinkInRoute::Direction::DOWN);
          at = forward ? l.b : l.a;
        }
        zone->add_route(gateways_[s][0]->get_netpoint(), gateways_[d][v]->get_netpoint(), nullptr,
                        nullptr, hops, false);
      }
    }
  }
  zone->seal();
}

}  // namespace suanwang

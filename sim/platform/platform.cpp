#include "sim/platform/platform.hpp"

#include <string>

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
  sg4::Engine::set_config("network/weight-S:0.0");      // no bandwidth term in the weights
  sg4::Engine::set_config("network/TCP-gamma:0");       // no window cap
  sg4::Engine::set_config("network/crosstraffic:0");    // no ACK reverse flow
  // Recompute every flow's rate at each step. SimGrid 3.32's default lazy
  // update can leave a link over its capacity when two flows start in the
  // same step on a shared first link (System::update_modified_cnst_set_from_variable
  // marks only the first link); the full update is exact, and faster with
  // the few comms of bundled flows.
  sg4::Engine::set_config("network/optim:Full");
}

namespace {

std::vector<sg4::LinkInRoute> hops_of(const topo::Topology& topo, const topo::Route& r, int src,
                                      const std::vector<sg4::SplitDuplexLink*>& links) {
  std::vector<sg4::LinkInRoute> hops;
  hops.reserve(r.links.size());
  int at = src;
  for (int li : r.links) {
    const topo::Link& l = topo.links[li];
    const bool forward = (l.a == at);
    hops.emplace_back(links[li], forward ? sg4::LinkInRoute::Direction::UP
                                         : sg4::LinkInRoute::Direction::DOWN);
    at = forward ? l.b : l.a;
  }
  return hops;
}

}  // namespace

Platform::Platform(const topo::Topology& topo, const topo::RouteTable& routes, const std::vector<Store>& stores) {
  const int n = static_cast<int>(topo.cities.size());
  variants_ = routes.max_variants();
  auto* zone = sg4::create_full_zone("china");

  gateways_.resize(n);
  for (int c = 0; c < n; ++c)
    for (int v = 0; v < variants_; ++v) {
      auto* h = zone->create_host(topo.cities[c].name + "#" + std::to_string(v), 1.0);
      h->seal();
      gateways_[c].push_back(h);
    }

  std::vector<sg4::SplitDuplexLink*> links;
  links.reserve(topo.links.size());
  for (const topo::Link& l : topo.links) {
    auto* link = zone->create_split_duplex_link(l.name(), l.bandwidth_Bps);
    link->set_latency(0);
    link->seal();
    links.push_back(link);
  }

  // Route "src#0" -> "dst#v" = variant v of (src, dst). Directions follow
  // each link's a -> b orientation. A pair with fewer variants repeats its last.
  for (int s = 0; s < n; ++s)
    for (int d = 0; d < n; ++d) {
      if (s == d) continue;
      const auto& vars = routes.variants(s, d);
      for (int v = 0; v < variants_; ++v) {
        const topo::Route& r = vars[std::min<std::size_t>(v, vars.size() - 1)];
        zone->add_route(gateways_[s][0]->get_netpoint(), gateways_[d][v]->get_netpoint(), nullptr,
                        nullptr, hops_of(topo, r, s, links), false);
      }
    }
  // A store reaches every city over its own link then the backbone route
  // from its city (its own city: the store link alone, for every variant).
  for (const Store& st : stores) {
    const std::string name = "store:" + topo.cities[st.city].name;
    auto* host = zone->create_host(name, 1.0);
    host->seal();
    stores_.push_back(host);
    auto* link = zone->create_link(name, st.read_Bps);
    link->set_latency(0);
    link->seal();
    const sg4::LinkInRoute store_hop(link);
    for (int d = 0; d < n; ++d)
      for (int v = 0; v < variants_; ++v) {
        std::vector<sg4::LinkInRoute> hops{store_hop};
        if (d != st.city) {
          const auto& vars = routes.variants(st.city, d);
          const auto backbone = hops_of(topo, vars[std::min<std::size_t>(v, vars.size() - 1)], st.city, links);
          hops.insert(hops.end(), backbone.begin(), backbone.end());
        }
        zone->add_route(host->get_netpoint(), gateways_[d][v]->get_netpoint(), nullptr, nullptr, hops, false);
      }
  }
  zone->seal();
}

}  // namespace suanwang

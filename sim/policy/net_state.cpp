#include "sim/policy/net_state.hpp"

#include <algorithm>

namespace suanwang {

NetState make_idle_net_state(const topo::Topology& topo) {
  NetState net;
  const int n = static_cast<int>(topo.cities.size());
  net.topology = &topo;
  net.center_of_city.assign(n, -1);
  net.link_up.assign(topo.links.size(), true);
  net.link_utilization.assign(topo.links.size(), 0.0);
  for (int c = 0; c < n; ++c) {
    const topo::City& city = topo.cities[c];
    if (!city.has_center()) continue;
    CenterState cs;
    cs.city = c;
    cs.price_cny_per_J = city.price_cny_per_J;
    cs.carbon_kg_per_J = topo::carbon_kg_per_J(topo, city, 0.0);
    const int ci = static_cast<int>(net.centers.size());
    net.center_of_city[c] = ci;
    for (const topo::Pool& p : city.pools) {
      PoolState ps;
      ps.center = ci;
      ps.accel = p.accel;
      ps.total_chips = p.count;
      ps.free_chips = p.count;
      ps.servers = p.servers;
      ps.per_server = p.per_server;
      ps.start_chips = p.has_servers() ? (p.per_server > 0 ? p.count : 0) : p.count;
      ps.start_share = p.has_servers() ? 1.0 : p.count;
      if (p.has_servers() && p.per_server == 0)
        for (const topo::ServerShape& s : p.server_list) ps.start_chips = std::max<double>(ps.start_chips, s.gpus);
      cs.pools.push_back(static_cast<int>(net.pools.size()));
      cs.total_chips += p.count;
      cs.free_chips += p.count;
      net.pools.push_back(ps);
    }
    net.centers.push_back(cs);
  }
  return net;
}

}  // namespace suanwang

#include "sim/record/run_info.hpp"

#include "sim/policy/policy_loader.hpp"

namespace suanwang {

std::vector<int> NetworkInfo::center_cities() const {
  std::vector<int> out;
  for (const PoolInfo& p : pools)
    if (out.empty() || out.back() != p.city) out.push_back(p.city);
  return out;
}

std::string NetworkInfo::pool_name(std::size_t pool) const {
  const PoolInfo& p = pools.at(pool);
  return cities.at(static_cast<std::size_t>(p.city)).name + "/" + p.chip;
}

NetworkInfo make_network_info(const topo::Topology& t) {
  NetworkInfo n;
  n.topology_file = t.source_file;
  for (std::size_t i = 0; i < t.cities.size(); ++i) {
    const topo::City& c = t.cities[i];
    CityInfo ci;
    ci.name = c.name;
    ci.name_zh = c.name_zh;
    ci.province = c.province;
    ci.lat_deg = c.lat_deg;
    ci.lon_deg = c.lon_deg;
    ci.grid = c.grid;
    ci.carbon_kg_per_J = c.grid_carbon_kg_per_J;
    ci.carbon_series = t.carbon_choice.series;
    ci.carbon_year = t.carbon_choice.year;
    ci.carbon_area = c.carbon_area;
    ci.green_share = c.green_share;
    ci.green_power = t.carbon_choice.green_power;
    if (t.carbon_choice.hourly && c.carbon_profile >= 0)
      ci.carbon_profile = t.carbon.profiles.at(static_cast<std::size_t>(c.carbon_profile)).id;
    ci.price_CNY_per_J = c.price_cny_per_J;
    ci.pue = c.pue;
    ci.demand_weight = c.demand_weight;
    ci.hub = c.hub;
    ci.interconnect = c.interconnect;
    n.cities.push_back(std::move(ci));
    // Pools in the engine's order: centers in city order, each city's pools in its order.
    for (const topo::Pool& p : c.pools) {
      const topo::Accelerator& a = t.accelerators.at(static_cast<std::size_t>(p.accel));
      PoolInfo pi;
      pi.city = static_cast<int>(i);
      pi.chip = a.id;
      pi.vendor = a.vendor;
      pi.family = a.family;
      pi.count = p.count;
      pi.fp16_flops = a.fp16_flops;
      pi.memory_B = a.memory_B;
      pi.busy_W = a.busy_W;
      pi.idle_W = a.idle_W;
      pi.cuda = a.cuda;
      pi.servers = p.servers;
      pi.per_server = p.per_server;
      n.pools.push_back(std::move(pi));
    }
  }
  for (const topo::Link& l : t.links) {
    LinkInfo li;
    li.name = l.name();
    li.a = l.a;
    li.b = l.b;
    li.carrier = l.carrier;
    li.bandwidth_Bps = l.bandwidth_Bps;
    li.latency_s = l.latency_s;
    li.length_m = l.length_m;
    n.links.push_back(std::move(li));
  }
  return n;
}

RunInfo make_run_info(const Scenario& sc, const std::string& run_id,
                      const std::map<std::string, std::string>& sweep_point) {
  RunInfo info;
  info.run_id = run_id;
  info.scenario_name = sc.name;
  info.scenario_file = sc.file;
  info.scenario_text = sc.text;
  info.policy_name = sc.policy_name;
  info.policy_text = read_policy_text(sc);
  info.seed = sc.seed;
  info.duration_s = sc.duration_s;
  info.sample_interval_s = sc.sample_interval_s;
  info.record_flows = sc.record_flows;
  info.parameters = sc.resolved;
  info.sweep_point = sweep_point;
  info.network = make_network_info(sc.topology);
  for (const StorageSite& site : sc.storage.sites) info.storage.push_back({site.city, site.read_Bps, site.capacity_B});
  for (const DatasetSpec& d : sc.workload.datasets) {
    DatasetInfo di;
    di.name = d.name;
    di.size_B = d.size_B;
    di.weight = d.weight;
    for (const int site : d.homes) di.homes.push_back(sc.storage.sites[static_cast<std::size_t>(site)].city);
    info.datasets.push_back(std::move(di));
  }
  return info;
}

}  // namespace suanwang

#include "engine_fixture.hpp"

#include <sstream>

namespace suanwang::testing {

topo::Topology make_topology(const std::vector<CityDef>& cities, const std::vector<LinkDef>& links) {
  topo::Topology t;
  t.source_file = "test.graphml";
  topo::Accelerator a100{"a100", "NVIDIA", "imported", 312e12, 80e9, 400, 100, true};
  topo::Accelerator ascend{"ascend-910b", "Huawei", "domestic", 320e12, 64e9, 400, 100, false};
  t.accelerators = {a100, ascend};
  t.grids = {{"north", 0.8843 / 3.6e6}};
  for (const auto& c : cities) {
    topo::City city;
    city.name = c.name;
    city.grid = "north";
    city.grid_index = 0;
    city.pue = c.pue;
    city.price_cny_per_J = c.price_cny_per_kwh / 3.6e6;
    city.demand_weight = c.demand;
    std::stringstream ss(c.pools);
    std::string item;
    while (std::getline(ss, item, ',')) {
      if (item.empty()) continue;
      const auto colon = item.find(':');
      topo::Pool p;
      p.chip = item.substr(0, colon);
      p.count = std::stoi(item.substr(colon + 1));
      p.accel = p.chip == "a100" ? 0 : 1;
      city.pools.push_back(p);
    }
    t.cities.push_back(city);
  }
  for (const auto& l : links) {
    topo::Link link;
    link.a = t.city_index(l.a);
    link.b = t.city_index(l.b);
    link.carrier = l.carrier;
    link.a_name = l.a;
    link.b_name = l.b;
    link.bandwidth_Bps = l.bandwidth_Bps;
    link.latency_s = l.latency_s;
    bool known = false;
    for (const auto& c : t.carriers) known = known || c == l.carrier;
    if (!known) t.carriers.push_back(l.carrier);
    t.links.push_back(link);
  }
  for (auto& link : t.links) link.carrier_index = t.carrier_index(link.carrier);
  for (auto& c : t.cities) c.interconnect = true;
  return t;
}

Scenario make_scenario(topo::Topology topo, double duration_s) {
  Scenario sc;
  sc.name = "test";
  sc.file = "test.lua";
  sc.topology = std::move(topo);
  sc.duration_s = duration_s;
  sc.seed = 1;
  sc.reference_chip = "a100";
  sc.vgpu_slices = 4;
  sc.sample_interval_s = 3600;
  return sc;
}

Placement FixedPolicy::place(const Job&, const NetState& net) {
  Placement p;
  const int city = net.topology->city_index(city_);
  const int c = net.center_of_city[city];
  if (!net.centers[c].up) return p;  // wait
  p.action = Placement::Action::place;
  p.center = c;
  return p;
}

Job make_job(double submit_s, int origin, double gpus, double duration_s, double dataset_B,
             double result_B) {
  Job j;
  j.submit_s = submit_s;
  j.origin = origin;
  j.gpus = gpus;
  j.duration_s = duration_s;
  j.walltime_s = duration_s;
  j.dataset_B = dataset_B;
  j.result_B = result_B;
  return j;
}

RunTotals run(const Scenario& sc, Policy& policy, MemoryRecorderForTest& rec, std::vector<Job> jobs) {
  RunInfo info;
  info.run_id = "test";
  return run_simulation(sc, policy, rec, info, {true},
                        std::make_unique<VectorSource>(std::move(jobs)));
}

}  // namespace suanwang::testing

#include "engine_fixture.hpp"

#include <sys/wait.h>
#include <unistd.h>

#include <cstring>
#include <stdexcept>

#include "sim/topology/pools_text.hpp"

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
    city.grid_carbon_kg_per_J = t.grids[0].carbon_kg_per_J;
    city.pue = c.pue;
    city.price_cny_per_J = c.price_cny_per_kwh / 3.6e6;
    city.demand_weight = c.demand;
    // The one parser of the pools text ("a100:8", "a100:2x4", ...).
    const topo::PoolsParse parsed = topo::parse_pools(c.pools, t.accelerators);
    if (!parsed.ok()) throw std::invalid_argument("test topology: " + parsed.error);
    city.pools = parsed.pools;
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

std::vector<double> in_child(const std::function<std::vector<double>()>& body) {
  int fd[2];
  if (pipe(fd) != 0) return {};
  const pid_t pid = fork();
  if (pid == 0) {
    close(fd[0]);
    const std::vector<double> out = body();
    const double n = static_cast<double>(out.size());
    bool ok = write(fd[1], &n, sizeof n) == static_cast<ssize_t>(sizeof n);
    const auto bytes = static_cast<ssize_t>(out.size() * sizeof(double));
    ok = ok && write(fd[1], out.data(), static_cast<size_t>(bytes)) == bytes;
    _exit(ok ? 0 : 1);
  }
  close(fd[1]);
  std::vector<char> got;
  char buf[4096];
  for (ssize_t k; (k = read(fd[0], buf, sizeof buf)) > 0;) got.insert(got.end(), buf, buf + k);
  close(fd[0]);
  int status = 0;
  waitpid(pid, &status, 0);
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0 || got.size() < sizeof(double)) return {};
  double n = 0;
  std::memcpy(&n, got.data(), sizeof n);
  if (got.size() != sizeof(double) * (1 + static_cast<std::size_t>(n))) return {};
  std::vector<double> out(static_cast<std::size_t>(n));
  std::memcpy(out.data(), got.data() + sizeof(double), out.size() * sizeof(double));
  return out;
}

RunTotals run(const Scenario& sc, Policy& policy, MemoryRecorderForTest& rec, std::vector<Job> jobs) {
  RunInfo info;
  info.run_id = "test";
  return run_simulation(sc, policy, rec, info, {true},
                        std::make_unique<VectorSource>(std::move(jobs)));
}

}  // namespace suanwang::testing

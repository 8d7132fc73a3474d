// Policy bridge tests: the built-in policies' defining behaviour, the Lua API
// contract (views, returns, errors, budget), and the parallel score path.
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include <unistd.h>

#include "sim/core/units.hpp"
#include "sim/core/user_error.hpp"
#include "sim/policy/lua_policy.hpp"
#include "sim/policy/policy_loader.hpp"

namespace fs = std::filesystem;
using namespace suanwang;

namespace {

const std::string kPolicies = std::string(SUANWANG_SOURCE_DIR) + "/policies";
using units::kJoulePerKWh;

struct CityDef {
  const char* name;
  const char* hub;
  const char* grid;
  double price_kwh, pue;
  std::vector<std::pair<int, int>> pools;  // accel, count
};

// 0 Beijing, 1 Shanghai, 2 Guiyang (west), 3 Zhongwei (west), 4 Wuhan (no center)
struct World {
  topo::Topology topo;
  NetState net;

  World() {
    topo.accelerators = {
        {"a800", "NVIDIA", "imported", 312e12, 80e9, 400, 100, true},
        {"h800", "NVIDIA", "imported", 989e12, 80e9, 700, 175, true},
        {"ascend-910b", "Huawei", "domestic", 320e12, 64e9, 400, 100, false},
    };
    topo.grids = {{"north", 0.8843 / kJoulePerKWh}, {"east", 0.7035 / kJoulePerKWh},
                  {"southwest", 0.3 / kJoulePerKWh}, {"northwest", 0.6 / kJoulePerKWh}};
    const std::vector<CityDef> defs = {
        {"Beijing", "Jing-Jin-Ji", "north", 0.65, 1.2, {{0, 100}, {2, 100}}},
        {"Shanghai", "Yangtze River Delta", "east", 0.70, 1.2, {{1, 50}}},
        {"Guiyang", "Guizhou", "southwest", 0.35, 1.2, {{2, 200}}},
        {"Zhongwei", "Ningxia", "northwest", 0.30, 1.2, {{2, 300}, {0, 100}}},
        {"Wuhan", "", "central", 0.60, 1.3, {}},
    };
    for (const auto& d : defs) {
      topo::City c;
      c.name = d.name;
      c.hub = d.hub;
      c.grid = d.grid;
      c.grid_index = 0;
      for (std::size_t g = 0; g < topo.grids.size(); ++g)
        if (topo.grids[g].id == d.grid) c.grid_index = static_cast<int>(g);
      c.grid_carbon_kg_per_J = topo.grids[static_cast<std::size_t>(c.grid_index)].carbon_kg_per_J;
      c.price_cny_per_J = d.price_kwh / kJoulePerKWh;
      c.pue = d.pue;
      for (auto [a, n] : d.pools) {
        topo::Pool pool;
        pool.chip = topo.accelerators[a].id;
        pool.accel = a;
        pool.count = n;
        c.pools.push_back(pool);
      }
      topo.cities.push_back(c);
    }
    topo::Link l;
    l.a = 0; l.b = 1; l.a_name = "Beijing"; l.b_name = "Shanghai"; l.carrier = "ct";
    l.bandwidth_Bps = 1e11; l.latency_s = 0.012;
    topo.links.push_back(l);
    topo.carriers = {"ct"};
    build_net();
    // one-way latencies, ms (symmetric)
    const double ms[5][5] = {{0.5, 12, 20, 18, 10},
                             {12, 0.5, 16, 22, 5},
                             {20, 16, 0.5, 14, 8},
                             {18, 22, 14, 0.5, 15},
                             {10, 5, 8, 15, 0.5}};
    for (int a = 0; a < 5; ++a)
      for (int b = 0; b < 5; ++b) {
        net.latency_s[a * 5 + b] = ms[a][b] / 1000;
        net.path_bandwidth_Bps[a * 5 + b] = 1e10;
      }
  }

  void build_net() {
    net = make_idle_net_state(topo);
    const int n = static_cast<int>(topo.cities.size());
    net.latency_s.assign(n * n, 0.01);
    net.path_bandwidth_Bps.assign(n * n, 1e10);
    net.link_utilization.assign(topo.links.size(), 0.25);
  }

  // Sets a (flat) pool's free chips and keeps the center total consistent;
  // on a flat pool, what could start now is what is free.
  void set_free(int pool, double free) {
    PoolState& p = net.pools[pool];
    net.centers[p.center].free_chips += free - p.free_chips;
    p.free_chips = free;
    p.start_chips = p.start_share = free;
  }
  void fill_center(int center) {
    for (int p : net.centers[center].pools) set_free(p, 0);
  }
  std::string center_name(const Placement& p) const {
    if (p.action == Placement::Action::wait) return "(wait)";
    if (p.action == Placement::Action::reject) return "(reject)";
    return topo.cities[net.centers[p.center].city].name;
  }
};

Job make_job(std::uint64_t id, int origin, JobKind kind = JobKind::training, double gpus = 8) {
  Job j;
  j.id = id;
  j.kind = kind;
  j.origin = origin;
  j.gpus = gpus;
  j.duration_s = 3600;
  j.walltime_s = 7200;
  j.dataset_B = 1e9;
  return j;
}

lua::SandboxOptions opts(std::uint64_t budget = 1000000, std::uint64_t seed = 1) {
  lua::SandboxOptions o;
  o.require_dirs = {kPolicies};
  o.instruction_budget = budget;
  o.seed = seed;
  return o;
}

std::unique_ptr<LuaPolicy> builtin(const World& w, const std::string& name, std::uint64_t seed = 1,
                                   std::map<std::string, ParamValue> params = {}) {
  return std::make_unique<LuaPolicy>(kPolicies + "/" + name + ".lua", name, std::move(params),
                                     opts(1000000, seed), w.topo);
}

// A policy file written for one test.
class TempPolicy {
 public:
  explicit TempPolicy(const std::string& code) {
    static int counter = 0;
    const fs::path dir = fs::temp_directory_path() / ("suanwang_policy_tests_" + std::to_string(::getpid()));
    fs::create_directories(dir);
    path_ = (dir / ("pol" + std::to_string(++counter) + ".lua")).string();
    std::ofstream(path_) << code;
  }
  ~TempPolicy() { std::error_code ec; fs::remove(path_, ec); }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

std::unique_ptr<LuaPolicy> inline_policy(const World& w, const TempPolicy& t, std::uint64_t budget = 1000000,
                                         std::map<std::string, ParamValue> params = {}) {
  return std::make_unique<LuaPolicy>(t.path(), "test", std::move(params), opts(budget), w.topo);
}

// Expects `f` to throw UserError and returns its message.
template <class F>
std::string error_of(F&& f) {
  try {
    f();
  } catch (const UserError& e) {
    return e.what();
  }
  ADD_FAILURE() << "expected a UserError";
  return {};
}

constexpr int kBeijing = 0, kShanghai = 1, kWuhan = 4;

}  // namespace

// ------------------------------------------------------------ built-ins

TEST(BuiltinPolicies, AllLoad) {
  World w;
  for (const char* n : {"random", "round_robin", "nearest", "least_loaded", "cheapest_energy",
                        "lowest_carbon", "east_data_west_compute", "latency_aware_inference", "carbon_aware",
                        "data_local", "split_training"}) {
    auto p = builtin(w, n);
    const Placement pl = p->place(make_job(1, kWuhan), w.net);
    EXPECT_EQ(pl.action, Placement::Action::place) << n;
  }
}

TEST(BuiltinPolicies, NearestPicksNearestWithRoomAndChip) {
  World w;
  auto p = builtin(w, "nearest");
  EXPECT_EQ(w.center_name(p->place(make_job(1, kWuhan), w.net)), "Shanghai");     // 5 ms
  EXPECT_EQ(w.center_name(p->place(make_job(2, kBeijing), w.net)), "Beijing");    // local
  Job dom = make_job(3, kWuhan);
  dom.chip_requirement = ChipRequirement::domestic;  // Shanghai has only h800
  EXPECT_EQ(w.center_name(p->place(dom, w.net)), "Guiyang");                      // 8 ms
  w.fill_center(1);  // Shanghai full
  EXPECT_EQ(w.center_name(p->place(make_job(4, kWuhan), w.net)), "Guiyang");
  Job spec = make_job(5, kWuhan);
  spec.chip_requirement = ChipRequirement::specific;
  spec.chip = "a800";
  EXPECT_EQ(w.center_name(p->place(spec, w.net)), "Beijing");                     // 10 ms
  // Nothing has room: wait.
  for (int c = 0; c < 4; ++c) w.fill_center(c);
  EXPECT_EQ(p->place(make_job(6, kWuhan), w.net).action, Placement::Action::wait);
}

TEST(BuiltinPolicies, LeastLoadedPicksMostFree) {
  World w;
  auto p = builtin(w, "least_loaded");
  EXPECT_EQ(w.center_name(p->place(make_job(1, kWuhan), w.net)), "Zhongwei");  // 400 free
  w.set_free(4, 10);   // Zhongwei ascend pool
  w.set_free(5, 10);   // Zhongwei a800 pool
  EXPECT_EQ(w.center_name(p->place(make_job(2, kWuhan), w.net)), "Beijing");  // 200 vs Guiyang 200: tie -> index
  w.set_free(0, 50);
  EXPECT_EQ(w.center_name(p->place(make_job(3, kWuhan), w.net)), "Guiyang");
  Job cuda = make_job(4, kWuhan);
  cuda.chip_requirement = ChipRequirement::cuda;  // cuda free: Beijing 50, Shanghai 50, Zhongwei 10
  w.set_free(2, 60);
  EXPECT_EQ(w.center_name(p->place(cuda, w.net)), "Shanghai");
  // A tie on free chips goes to the shorter queue, then to the lower index.
  w.set_free(2, 200);                    // Shanghai 200 = Guiyang 200 > Beijing 150
  w.net.centers[1].queued_jobs = 3;
  w.net.centers[2].queued_jobs = 1;
  EXPECT_EQ(w.center_name(p->place(make_job(5, kWuhan), w.net)), "Guiyang");
  w.net.centers[2].queued_jobs = 3;
  EXPECT_EQ(w.center_name(p->place(make_job(6, kWuhan), w.net)), "Shanghai");
}

TEST(BuiltinPolicies, CheapestEnergyFollowsPriceNow) {
  World w;
  auto p = builtin(w, "cheapest_energy");
  EXPECT_EQ(w.center_name(p->place(make_job(1, kWuhan), w.net)), "Zhongwei");  // 0.30
  w.net.centers[3].price_cny_per_J = 0.50 / kJoulePerKWh;  // time-of-use peak at Zhongwei
  EXPECT_EQ(w.center_name(p->place(make_job(2, kWuhan), w.net)), "Guiyang");   // 0.35
  w.fill_center(2);
  EXPECT_EQ(w.center_name(p->place(make_job(3, kWuhan), w.net)), "Zhongwei");
}

TEST(BuiltinPolicies, LowestCarbonPicksLowestFactor) {
  World w;
  auto p = builtin(w, "lowest_carbon");
  EXPECT_EQ(w.center_name(p->place(make_job(1, kBeijing), w.net)), "Guiyang");  // 0.3 kg/kWh
  w.net.centers[2].up = false;
  EXPECT_EQ(w.center_name(p->place(make_job(2, kBeijing), w.net)), "Zhongwei");  // 0.6
}

TEST(BuiltinPolicies, CarbonAwarePicksTheCleanestCenterAndWaitsForACleanerHour) {
  World w;
  w.topo.cities[3].green_share = 0.75;  // Zhongwei: 0.6 x 0.25 = 0.15 kg/kWh, below Guiyang's 0.3
  w.net.centers[3].carbon_kg_per_J *= 0.25;
  auto p = builtin(w, "carbon_aware");
  w.net.now_s = 3600;  // 01:00: the policy sees (and remembers) every center's carbon of hour 1
  EXPECT_EQ(w.center_name(p->place(make_job(1, kBeijing), w.net)), "Zhongwei");
  // The next day at 00:00 Zhongwei emits 2.5x: 0.375 > Guiyang's 0.3, but hour 1 (0.15) is
  // more than 20% cleaner and within the job's 6 h: it waits for it ...
  w.net.now_s = 86400;
  w.net.centers[3].carbon_kg_per_J *= 2.5;
  Job j = make_job(2, kBeijing);
  j.submit_s = 86400;
  j.walltime_s = 3600;  // a one-hour run: its start hour is the hour it runs in
  EXPECT_EQ(p->place(j, w.net).action, Placement::Action::wait);
  // ... but not beyond max_delay after its submission: then the cleanest now.
  w.net.now_s = 86400 + 6 * 3600 + 1;
  EXPECT_EQ(w.center_name(p->place(j, w.net)), "Guiyang");
  // Inference is not deferred: nearest with room.
  EXPECT_EQ(w.center_name(p->place(make_job(4, kWuhan, JobKind::inference, 0.5), w.net)), "Shanghai");
}

TEST(BuiltinPolicies, CarbonAwareWaitsForAnHourNotForRoomAndSpreadsABatch) {
  World w;  // carbon_it: Guiyang 0.3 x 1.2 the cleanest, then Zhongwei 0.6 x 1.2; flat hours
  auto p = builtin(w, "carbon_aware");
  w.net.now_s = 3600;
  // One instant, one view: Guiyang's 200 free chips take two 100-chip jobs, the third
  // goes to the next cleanest center instead of queueing behind them.
  EXPECT_EQ(w.center_name(p->place(make_job(1, kBeijing, JobKind::training, 100), w.net)), "Guiyang");
  EXPECT_EQ(w.center_name(p->place(make_job(2, kBeijing, JobKind::training, 100), w.net)), "Guiyang");
  EXPECT_EQ(w.center_name(p->place(make_job(3, kBeijing, JobKind::training, 100), w.net)), "Zhongwei");
  w.net.now_s = 3601;  // a later instant: the view is new
  EXPECT_EQ(w.center_name(p->place(make_job(4, kBeijing, JobKind::training, 100), w.net)), "Guiyang");
  // A center already queueing work is skipped.
  w.net.centers[2].queued_jobs = 1;
  EXPECT_EQ(w.center_name(p->place(make_job(5, kBeijing), w.net)), "Zhongwei");
  w.net.centers[2].queued_jobs = 0;
  // Guiyang full: it is no cleaner at any hour than now, so the job does not wait for it.
  w.fill_center(2);
  EXPECT_EQ(w.center_name(p->place(make_job(6, kBeijing), w.net)), "Zhongwei");
}

TEST(BuiltinPolicies, EastDataWestComputeSendsTrainingWestInferenceNear) {
  World w;
  auto p = builtin(w, "east_data_west_compute");
  EXPECT_EQ(w.center_name(p->place(make_job(1, kShanghai, JobKind::training), w.net)), "Zhongwei");
  w.set_free(4, 20);  // Zhongwei now 120 free < Guiyang 200
  EXPECT_EQ(w.center_name(p->place(make_job(2, kShanghai, JobKind::finetune), w.net)), "Guiyang");
  Job inf = make_job(3, kWuhan, JobKind::inference, 1);
  inf.latency_bound_s = 0.006;
  EXPECT_EQ(w.center_name(p->place(inf, w.net)), "Shanghai");
  inf.latency_bound_s = 0.001;  // nothing that close: wait
  EXPECT_EQ(p->place(inf, w.net).action, Placement::Action::wait);
  // West full: training waits for the west rather than going east.
  w.fill_center(2);
  w.fill_center(3);
  EXPECT_EQ(p->place(make_job(4, kShanghai), w.net).action, Placement::Action::wait);
  // A job the west can never run (h800 only in Shanghai) falls back.
  Job h = make_job(5, kBeijing);
  h.chip_requirement = ChipRequirement::specific;
  h.chip = "h800";
  EXPECT_EQ(w.center_name(p->place(h, w.net)), "Shanghai");
}

TEST(BuiltinPolicies, LatencyAwareInference) {
  World w;
  auto p = builtin(w, "latency_aware_inference");
  EXPECT_EQ(w.center_name(p->place(make_job(1, kWuhan, JobKind::inference, 1), w.net)), "Shanghai");
  EXPECT_EQ(w.center_name(p->place(make_job(2, kWuhan, JobKind::training), w.net)), "Zhongwei");
}

TEST(BuiltinPolicies, RoundRobinCycles) {
  World w;
  auto p = builtin(w, "round_robin");
  std::vector<std::string> got;
  for (int i = 1; i <= 6; ++i) got.push_back(w.center_name(p->place(make_job(i, kWuhan), w.net)));
  EXPECT_EQ(got, (std::vector<std::string>{"Beijing", "Shanghai", "Guiyang", "Zhongwei", "Beijing",
                                           "Shanghai"}));
  w.fill_center(2);  // skipped while full
  EXPECT_EQ(w.center_name(p->place(make_job(7, kWuhan), w.net)), "Zhongwei");
}

TEST(BuiltinPolicies, RandomIsDeterministicForASeed) {
  World w;
  auto run = [&](std::uint64_t seed) {
    auto p = builtin(w, "random", seed);
    std::vector<int> out;
    for (int i = 1; i <= 200; ++i) out.push_back(p->place(make_job(i, kWuhan), w.net).center);
    return out;
  };
  const auto a = run(7), b = run(7), c = run(8);
  EXPECT_EQ(a, b);
  EXPECT_NE(a, c);
  EXPECT_EQ(std::set<int>(a.begin(), a.end()).size(), 4u);  // every center gets some
}

// split_training: least_loaded when a center can start the job; else a
// training job with span parameters is split over the fewest centers with
// the most free chips, in whole replicas of 8.
TEST(BuiltinPolicies, SplitTrainingSplitsOnlyWhatNoCenterCanStart) {
  World w;
  auto split = [](std::uint64_t id, double gpus) {
    Job j = make_job(id, kWuhan, JobKind::training, gpus);
    j.chip_requirement = ChipRequirement::domestic;
    j.span.gradient_B = 1.4e11;
    j.span.iteration_s = 12.6;
    return j;
  };
  auto p = builtin(w, "split_training");
  EXPECT_EQ(w.center_name(p->place(split(1, 160), w.net)), "Zhongwei");  // 300 free: whole
  w.set_free(1, 100);  // Beijing ascend
  w.set_free(3, 40);   // Guiyang
  w.set_free(4, 80);   // Zhongwei ascend
  Placement a = p->place(split(2, 160), w.net);
  ASSERT_EQ(a.parts.size(), 2u);
  EXPECT_EQ(a.parts[0].center, kBeijing);
  EXPECT_EQ(a.parts[0].pool, 1);
  EXPECT_DOUBLE_EQ(a.parts[0].gpus, 96);  // 12 replicas of the 100 free
  EXPECT_EQ(a.parts[1].center, 3);
  EXPECT_EQ(a.parts[1].pool, 4);
  EXPECT_DOUBLE_EQ(a.parts[1].gpus, 64);
  // Without span parameters, or beyond what three centers hold: wait.
  Job plain = split(3, 160);
  plain.span = SpanSpec{};
  EXPECT_EQ(p->place(plain, w.net).action, Placement::Action::wait);
  EXPECT_EQ(p->place(split(4, 240), w.net).action, Placement::Action::wait);
  // max_wait: the job waits for one center that long before it splits.
  auto patient = builtin(w, "split_training", 1, {{"max_wait", 3600.0}});
  EXPECT_EQ(patient->place(split(5, 160), w.net).action, Placement::Action::wait);
  w.net.now_s = 3600;
  EXPECT_EQ(patient->place(split(6, 160), w.net).parts.size(), 2u);
}

TEST(BuiltinPolicies, SplitTrainingForcedParts) {
  World w;
  w.set_free(1, 100);
  w.set_free(4, 80);
  Job j = make_job(1, kWuhan, JobKind::training, 160);
  j.chip_requirement = ChipRequirement::domestic;
  j.span.gradient_B = 1.4e11;
  j.span.iteration_s = 12.6;
  const auto forced = [&](double parts, const char* centers) {
    return builtin(w, "split_training", 1, {{"parts", parts}, {"centers", std::string(centers)}});
  };
  Placement two = forced(2, "Zhongwei, Beijing")->place(j, w.net);
  ASSERT_EQ(two.parts.size(), 2u);
  EXPECT_EQ(two.parts[0].center, 3);
  EXPECT_DOUBLE_EQ(two.parts[0].gpus, 80);
  EXPECT_EQ(two.parts[1].center, kBeijing);
  EXPECT_DOUBLE_EQ(two.parts[1].gpus, 80);
  EXPECT_EQ(forced(3, "Zhongwei,Beijing")->place(j, w.net).action, Placement::Action::wait);
  EXPECT_EQ(forced(1, "Beijing")->place(j, w.net).action, Placement::Action::wait);  // 100 < 160
  j.gpus = 96;
  Placement one = forced(1, "Beijing")->place(j, w.net);
  EXPECT_EQ(w.center_name(one), "Beijing");
  EXPECT_EQ(one.pool, 1);
  EXPECT_NE(error_of([&] { forced(2, "Beijing,Wuhan")->place(j, w.net); })
                .find("params.centers: no center at 'Wuhan' (in place, job 1)"),
            std::string::npos);
  // Fewer replicas than parts: as many parts as replicas (a part of no chip
  // was an error), one replica placed whole.
  j.gpus = 2;
  Placement few = forced(3, "Zhongwei,Beijing,Shanghai")->place(j, w.net);
  ASSERT_EQ(few.parts.size(), 2u);
  EXPECT_DOUBLE_EQ(few.parts[0].gpus, 1);
  EXPECT_DOUBLE_EQ(few.parts[1].gpus, 1);
  j.gpus = 1;
  EXPECT_EQ(w.center_name(forced(2, "Zhongwei,Beijing")->place(j, w.net)), "Zhongwei");
}

TEST(PolicyLoader, LoadsFromScenario) {
  World w;
  Scenario sc;
  sc.policy_path = kPolicies + "/nearest.lua";
  sc.policy_name = "nearest";
  sc.topology = w.topo;
  w.net.topology = &sc.topology;
  auto p = load_policy(sc);
  EXPECT_EQ(p->name(), "nearest");
  EXPECT_EQ(w.center_name(p->place(make_job(1, kWuhan), w.net)), "Shanghai");
  EXPECT_NE(read_policy_text(sc).find("latency_from"), std::string::npos);
  sc.policy_path = "/nonexistent/x.lua";
  EXPECT_NE(error_of([&] { read_policy_text(sc); }).find("/nonexistent/x.lua"), std::string::npos);
}

// ------------------------------------------------------------ the API

TEST(LuaApi, ViewsExposeFieldsInDocumentedUnits) {
  World w;
  w.net.now_s = 1234;
  w.net.waiting_jobs = 3;
  TempPolicy t(R"LUA(
return { place = function(job, net)
  local c = net.centers[4]
  assert(#net.centers == 4, "centers")
  assert(net.now == 1234 and net.waiting == 3, "now/waiting")
  assert(c.name == "Zhongwei" and c.hub == "Ningxia" and c.index == 4 and c.city == 4, "ids")
  assert(math.abs(c.price - 0.30) < 1e-12 and c.pue == 1.2, "price")
  assert(math.abs(c.carbon - 0.6) < 1e-12 and math.abs(c.carbon_it - 0.72) < 1e-12, "carbon")
  assert(math.abs(c.grid_carbon - 0.6) < 1e-12 and c.green_share == 0, "grid carbon")
  assert(math.abs(c.carbon_mean - 0.6) < 1e-12, "carbon mean")
  assert(c.total_chips == 400 and c.free_chips == 400 and c.up == true, "chips")
  assert(#c.pools == 2 and c.pools[1].chip == "ascend-910b" and c.pools[1].domestic, "pool")
  assert(c.pools[2].cuda and c.pools[2].vendor == "NVIDIA" and c.pools[2].total == 100, "pool2")
  assert(c.pools[2].center == "Zhongwei", "pool center")
  assert(math.abs(net.latency("Wuhan", "Shanghai") - 0.005) < 1e-12, "latency names")
  assert(math.abs(net.latency(5, net.centers[2]) - 0.005) < 1e-12, "latency index/center")
  assert(net.bandwidth("Beijing", "Shanghai") == 1e10, "bandwidth")
  assert(net.link_load["Beijing-Shanghai/ct"] == 0.25 and net.link_up["Beijing-Shanghai/ct"], "links")
  assert(net.latency_from(job.origin)[2] == net.latency(job.origin, "Shanghai"), "latency_from")
  assert(net.center("Guiyang").index == 3 and net.center("Wuhan") == nil, "center()")
  assert(job.id == 9 and job.kind == "inference" and job.origin == "Wuhan" and job.gpus == 0.5, "job")
  assert(job.latency_bound == 0.02 and job.chip_requirement == "any" and job.chip == nil, "job2")
  assert(job.dataset == 1e9 and job.duration == 3600 and job.walltime == 7200, "job3")
  local n = 0
  for k, v in pairs(c) do n = n + 1 end
  assert(n > 20, "pairs")
  local m = 0
  for i, cc in ipairs(net.centers) do m = m + 1 end
  assert(m == 4, "ipairs")
  return c
end })LUA");
  auto p = inline_policy(w, t);
  Job j = make_job(9, kWuhan, JobKind::inference, 0.5);
  j.latency_bound_s = 0.02;
  const Placement pl = p->place(j, w.net);
  EXPECT_EQ(w.center_name(pl), "Zhongwei");
  EXPECT_EQ(pl.pool, -1);
}

TEST(LuaApi, ViewsFollowTheLiveState) {
  World w;
  TempPolicy t(R"LUA(
return { place = function(job, net)
  local best, bf = nil, -1
  for _, c in ipairs(net.centers) do if c.free_chips > bf then best, bf = c, c.free_chips end end
  return best.name
end })LUA");
  auto p = inline_policy(w, t);
  EXPECT_EQ(w.center_name(p->place(make_job(1, kWuhan), w.net)), "Zhongwei");
  w.fill_center(3);
  EXPECT_EQ(w.center_name(p->place(make_job(2, kWuhan), w.net)), "Beijing");
  World w2;  // a different NetState object with the same layout
  w2.fill_center(0);
  w2.fill_center(3);
  EXPECT_EQ(w2.center_name(p->place(make_job(3, kWuhan), w2.net)), "Guiyang");
}

// The bridge writes a changed center or pool only when a policy reads one of
// its changing fields (NetView's stale views): every way of reading must see
// the value of the call in progress, whichever view was read before, kept
// from an earlier call, iterated with pairs, or reached through its pools.
TEST(LuaApi, ChangedViewsReadFreshWhicheverWayTheyAreRead) {
  World w;
  TempPolicy t(R"LUA(
local kept
return { place = function(job, net)
  local c = net.centers[4]
  if job.id == 1 then
    kept = c
    return c
  end
  local seen = {}
  for k, v in pairs(kept) do seen[k] = v end   -- pairs first, on a stale view
  assert(seen.free_chips == job.gpus, "pairs free_chips " .. tostring(seen.free_chips))
  assert(seen.name == "Zhongwei", "pairs static")
  assert(kept.free_chips == job.gpus, "kept free_chips")
  assert(c.pools[1].free + c.pools[2].free == job.gpus, "pools")
  assert(net.has_data(kept, job) == false, "center argument")
  return kept
end })LUA");
  auto p = inline_policy(w, t);
  EXPECT_EQ(w.center_name(p->place(make_job(1, kWuhan), w.net)), "Zhongwei");
  for (const double free : {30.0, 7.0, 7.0, 12.0}) {
    w.set_free(4, free / 2);
    w.set_free(5, free / 2);
    Job j = make_job(2, kWuhan, JobKind::training, free);  // gpus = the expected free chips
    EXPECT_EQ(w.center_name(p->place(j, w.net)), "Zhongwei") << free;
  }
}

// The job view writes a field when it is first read for a job (JobView):
// whichever fields a policy read for the last job, and however it reads
// them (a field, pairs, a view kept from an earlier call), it must see the
// job of the call in progress, with no field left over from another job.
TEST(LuaApi, JobViewShowsTheCurrentJobWhateverWasReadBefore) {
  World w;
  TempPolicy t(R"LUA(
local kept
local function fields(v) local s = {} for k, x in pairs(v) do s[k] = x end return s end
return { place = function(job, net)
  if job.id == 1 then
    kept = job
    assert(job.gpus == 8 and job.chip == "h800" and job.span.gradient == 4e9, "job 1")
    return "Beijing"
  end
  if job.id == 2 then
    assert(kept.id == 2, "a kept view shows the latest job")
    assert(job.chip == nil, "chip of job 1 left over: " .. tostring(job.chip))
    assert(job.span == nil, "span of job 1 left over")
    local s = fields(job)
    assert(s.id == 2 and s.kind == "inference" and s.origin == "Wuhan" and s.origin_index == 5, "ids")
    assert(s.gpus == 0.5 and s.duration == 3600 and s.walltime == 7200 and s.dataset == 1e9, "numbers")
    assert(s.submit == 0 and s.result == 0 and s.latency_bound == 0.02 and s.checkpoint_interval == 0, "more")
    assert(s.chip_requirement == "any" and s.chip == nil and s.center == nil, "strings")
    local n = 0 for _ in pairs(s) do n = n + 1 end
    assert(n == 13, "fields " .. n)  -- chip, dataset_name, data_mode, passes, span: nil
    assert(rawget(job, "id") == nil and job.no_such_field == nil, "raw and unknown")
    return "Shanghai"
  end
  local s = fields(kept)  -- pairs first, on the kept view, after job 2 wrote them all
  assert(s.id == 3 and s.gpus == 16 and s.chip == "a800" and s.kind == "training", "pairs of job 3")
  assert(s.latency_bound == 0 and s.span == nil, "job 2's values left over")
  return "Zhongwei"
end })LUA");
  auto p = inline_policy(w, t);
  for (int round = 0; round < 2; ++round) {  // the second round starts from a table job 3 filled
    Job a = make_job(1, kWuhan);
    a.chip_requirement = ChipRequirement::specific;
    a.chip = "h800";
    a.span.gradient_B = 4e9;
    EXPECT_EQ(w.center_name(p->place(a, w.net)), "Beijing");
    Job b = make_job(2, kWuhan, JobKind::inference, 0.5);
    b.latency_bound_s = 0.02;
    EXPECT_EQ(w.center_name(p->place(b, w.net)), "Shanghai");
    Job c = make_job(3, kWuhan, JobKind::training, 16);
    c.chip_requirement = ChipRequirement::specific;
    c.chip = "a800";
    EXPECT_EQ(w.center_name(p->place(c, w.net)), "Zhongwei");
  }
}

// A pool change must reach its center's aggregates even when the pool's
// own view went stale long ago and the center was read since (the bridge
// skips comparing views that are stale, but not a stale pool of a fresh
// center). Only start_chips changes here: the center's own fields do not.
TEST(LuaApi, APoolChangeReachesACenterReadAfterThePoolWentStale) {
  World w;
  TempPolicy t(R"LUA(
return { place = function(job, net)
  if job.id > 1 then
    local c = net.centers[4]
    assert(c.max_free == job.gpus, "max_free " .. tostring(c.max_free) .. ", expected " .. job.gpus)
  end
  return "Zhongwei"
end })LUA");
  auto p = inline_policy(w, t);
  EXPECT_EQ(w.center_name(p->place(make_job(1, kWuhan), w.net)), "Zhongwei");  // reads no view
  w.net.pools[4].start_chips = 40;  // both views of Zhongwei's pools and the center go stale
  w.net.pools[5].start_chips = 30;
  EXPECT_EQ(w.center_name(p->place(make_job(2, kWuhan, JobKind::training, 40), w.net)), "Zhongwei");
  // The center was read (fresh again); its pools were not (still stale).
  for (const double start : {55.0, 12.0, 70.0}) {
    w.net.pools[5].start_chips = start;
    const double expected = std::max(40.0, start);
    EXPECT_EQ(w.center_name(p->place(make_job(3, kWuhan, JobKind::training, expected), w.net)), "Zhongwei") << start;
  }
}

// Views are read by C functions (a job field not yet written, a stale center
// view): inside a coroutine those run on the coroutine's thread, and must
// read, write and answer on that thread's stack, not the main one's (once a
// crash after a few thousand reads). pairs() must hand out the proxy, never
// the table behind it (a policy could otherwise write it or its metatable).
TEST(LuaApi, ViewsReadInsideCoroutinesAndPairsHandsOutTheProxy) {
  World w;
  TempPolicy t(R"LUA(
return { place = function(job, net)
  local c = net.centers[4]
  local gpus, free, n = coroutine.wrap(function()
    local g, f = job.gpus, c.free_chips   -- first reads: the writers run here
    for i = 1, 20000 do g, f = job.gpus, c.free_chips end
    local k = 0
    for _ in pairs(job) do k = k + 1 end
    return g, f, k
  end)()
  assert(gpus == job.gpus, "job.gpus in a coroutine: " .. tostring(gpus))
  assert(free == job.gpus and c.free_chips == job.gpus, "free_chips in a coroutine: " .. tostring(free))
  assert(n == 13, "pairs(job) in a coroutine: " .. n)
  local _, state = pairs(job)
  assert(state == job, "pairs(job) handed out another table")
  local _, cstate = pairs(c)
  assert(cstate == c, "pairs(center) handed out another table")
  assert(getmetatable(state) == "read-only" and getmetatable(cstate) == "read-only")
  return c
end })LUA");
  auto p = inline_policy(w, t);
  for (const double free : {30.0, 7.0, 12.0}) {
    w.set_free(4, free / 2);
    w.set_free(5, free / 2);
    EXPECT_EQ(w.center_name(p->place(make_job(2, kWuhan, JobKind::training, free), w.net)), "Zhongwei") << free;
  }
}

TEST(LuaApi, StaleViewsReadFreshInAnyOrder) {
  World w;
  TempPolicy t(R"LUA(
return { place = function(job, net)
  -- static fields of a stale view first, then a pool before its center
  local c = net.centers[4]
  assert(c.name == "Zhongwei" and c.index == 4)
  local p = c.pools[2]
  assert(p.free == job.gpus / 2, "pool free " .. tostring(p.free))
  assert(c.free_chips == job.gpus, "center free " .. tostring(c.free_chips))
  return c, p
end })LUA");
  auto p = inline_policy(w, t);
  for (const double free : {40.0, 20.0, 0.0, 400.0}) {
    w.set_free(4, free / 2);
    w.set_free(5, free / 2);
    const Placement pl = p->place(make_job(3, kWuhan, JobKind::training, free), w.net);
    EXPECT_EQ(w.center_name(pl), "Zhongwei") << free;
    EXPECT_EQ(pl.pool, 5) << free;
  }
}

// A data tier for the net.room / net.has_data tests: one dataset "corpus",
// homed at a storage site in Guiyang and cached at Beijing.
class OneDataset : public DataView {
 public:
  int datasets() const override { return 1; }
  int dataset_index(std::string_view name) const override { return name == "corpus" ? 0 : -1; }
  std::string_view dataset_name(int) const override { return "corpus"; }
  double dataset_size_B(int) const override { return 1e12; }
  const std::vector<int>& dataset_homes(int) const override { return homes_; }
  double cache_capacity_B(int) const override { return 1e15; }
  double cache_used_B(int c) const override { return c == 0 ? 1e12 : 0; }
  bool cached(int c, int d) const override { return c == 0 && d == 0; }
  int sites() const override { return 1; }
  int site_city(int) const override { return 2; }  // Guiyang
  double site_read_Bps(int) const override { return 1e10; }
  int site_reads(int) const override { return 0; }
  double site_read_B(int) const override { return 0; }

 private:
  std::vector<int> homes_{0};
};

// net.room(job, options): the same centers as net.room(job), most free first
// (ties in index order) and/or only those net.has_data accepts; the arrays
// are checked against a loop over net.room(job) for every setting.
TEST(LuaApi, RoomOrdersByFreeChipsAndFiltersByLocalData) {
  World w;
  OneDataset data;
  w.net.data = &data;
  TempPolicy t(R"LUA(
local function expected(job, net, order, local_data)
  local centers, free = net.room(job)
  local c2, f2 = {}, {}
  for k = 1, #centers do
    if not local_data or net.has_data(centers[k], job) then
      c2[#c2 + 1], f2[#f2 + 1] = centers[k], free[k]
    end
  end
  if order == "most_free" then
    local idx = {}
    for k = 1, #c2 do idx[k] = k end
    table.sort(idx, function(a, b)
      if f2[a] ~= f2[b] then return f2[a] > f2[b] end
      return c2[a].index < c2[b].index
    end)
    local c3, f3 = {}, {}
    for k = 1, #idx do c3[k], f3[k] = c2[idx[k]], f2[idx[k]] end
    return c3, f3
  end
  return c2, f2
end
local cases = { {}, { order = "index" }, { order = "most_free" }, { local_data = true },
                { order = "most_free", local_data = true }, { local_data = false } }
return { place = function(job, net)
  local names = {}
  for i, opt in ipairs(cases) do
    local want_c, want_f = expected(job, net, opt.order, opt.local_data)
    local got_c, got_f = net.room(job, opt)
    assert(#got_c == #want_c and #got_f == #want_f, "case " .. i .. ": " .. #got_c .. " vs " .. #want_c)
    local line = {}
    for k = 1, #got_c do
      assert(got_c[k] == want_c[k] and got_f[k] == want_f[k], "case " .. i .. " entry " .. k)
      line[k] = got_c[k].name
    end
    names[i] = table.concat(line, ",")
  end
  -- net.most_free: net.room's first in most_free order and its free chips (nil, nil: none).
  for i, opt in ipairs({ {}, { local_data = true }, { local_data = false } }) do
    local c, f = net.most_free(job, opt)
    local oc, of = net.room(job, { order = "most_free", local_data = opt.local_data })
    assert(c == oc[1] and f == of[1], "most_free case " .. i)
  end
  assert(net.most_free(job) == net.room(job, { order = "most_free" })[1], "most_free without options")
  error(table.concat(names, "|"))
end })LUA");
  auto p = inline_policy(w, t);
  w.set_free(2, 300);  // Shanghai a800: 300, more than any other center
  w.set_free(1, 0);    // Beijing: 100 (a800), as Guiyang's 100 below: a tie, Beijing first
  w.set_free(3, 100);  // Guiyang
  Job j = make_job(1, kWuhan);
  j.dataset = 0;
  const std::string e = error_of([&] { p->place(j, w.net); });
  const std::string all = "Beijing,Shanghai,Guiyang,Zhongwei", by_free = "Zhongwei,Shanghai,Beijing,Guiyang";
  EXPECT_NE(e.find(": " + all + "|" + all + "|" + by_free + "|Beijing,Guiyang|Beijing,Guiyang|" + all + " (in place"),
            std::string::npos)
      << e;
  // A job without a catalog dataset reads nothing locally: local_data leaves no center.
  Job none = make_job(2, kWuhan);
  const std::string e2 = error_of([&] { p->place(none, w.net); });
  EXPECT_NE(e2.find(": " + all + "|" + all + "|" + by_free + "|||" + all + " (in place"), std::string::npos) << e2;
}

// net.room reuses the accelerators a constraint admits from one call to the
// next: consecutive calls that change the constraint, or only the chip of a
// "specific" one, must each see their own pools. Beijing: a800 100 + ascend
// 100; Shanghai: h800 50; Guiyang: ascend 200; Zhongwei: ascend 300 + a800 100.
TEST(LuaApi, RoomFollowsEachCallsChipConstraint) {
  World w;
  TempPolicy t(R"LUA(
local asks = {
  { chip_requirement = "cuda" }, { chip_requirement = "domestic" },
  { chip_requirement = "specific", chip = "h800" }, { chip_requirement = "specific", chip = "a800" },
  { chip_requirement = "specific", chip = "h800" }, { chip_requirement = "any" }, {},
  { chip_requirement = "cuda" }, { chip_requirement = "specific", chip = "no-such-chip" },
}
return { place = function(job, net)
  local lines = {}
  for i, a in ipairs(asks) do
    a.gpus = 50
    local names = {}
    for k, c in ipairs(net.room(a)) do names[k] = c.name end
    local best = net.most_free(a)
    lines[i] = table.concat(names, ",") .. "/" .. (best and best.name or "-")
  end
  error(table.concat(lines, "|"))
end })LUA");
  auto p = inline_policy(w, t);
  const std::string e = error_of([&] { p->place(make_job(1, kWuhan), w.net); });
  EXPECT_NE(e.find(": Beijing,Shanghai,Zhongwei/Beijing|Beijing,Guiyang,Zhongwei/Zhongwei|Shanghai/Shanghai|"
                   "Beijing,Zhongwei/Beijing|Shanghai/Shanghai|Beijing,Shanghai,Guiyang,Zhongwei/Zhongwei|"
                   "Beijing,Shanghai,Guiyang,Zhongwei/Zhongwei|Beijing,Shanghai,Zhongwei/Beijing|/- (in place"),
            std::string::npos)
      << e;
}

TEST(BuiltinPolicies, DataLocalGoesToItsDataElseToTheMostFree) {
  World w;
  OneDataset data;  // "corpus": cached at Beijing, homed in Guiyang
  w.net.data = &data;
  auto p = builtin(w, "data_local");
  auto patient = builtin(w, "data_local", 1, {{"patience", 600.0}});
  Job j = make_job(1, kWuhan);
  j.dataset = 0;
  j.submit_s = w.net.now_s;
  EXPECT_EQ(w.center_name(p->place(j, w.net)), "Beijing");  // 200 free, as Guiyang: the lower index
  w.set_free(3, 250);
  EXPECT_EQ(w.center_name(p->place(j, w.net)), "Guiyang");  // 250 against Beijing's 200 (Zhongwei's 400: no data)
  w.set_free(3, 150);
  EXPECT_EQ(w.center_name(p->place(j, w.net)), "Beijing");
  w.fill_center(0);  // Beijing full: Guiyang is the one data-local center with room
  EXPECT_EQ(w.center_name(p->place(j, w.net)), "Guiyang");
  w.fill_center(2);  // neither: the data goes to the most free center, unless the job may wait
  EXPECT_EQ(w.center_name(p->place(j, w.net)), "Zhongwei");
  EXPECT_EQ(w.center_name(patient->place(j, w.net)), "(wait)");
  Job none = make_job(2, kWuhan);  // no catalog dataset: the most free center
  EXPECT_EQ(w.center_name(p->place(none, w.net)), "Zhongwei");
}

// net.room refills the arrays it returned last time (it writes only the
// entries that differ): whatever the policy did to them in between, the next
// call returns exactly the centers and free chips, as floats.
TEST(LuaApi, RoomArraysAreRefilledWhateverThePolicyDidToThem) {
  World w;
  TempPolicy t(R"LUA(
local function copy(c, f)
  local c2, f2 = {}, {}
  for k = 1, #c do c2[k], f2[k] = c[k], f[k] end
  return c2, f2
end
local function same(c, f, want_c, want_f, what)
  assert(#c == #want_c and #f == #want_f, what .. ": lengths " .. #c .. ", " .. #f)
  for k = 1, #c do
    assert(c[k] == want_c[k], what .. ": center " .. k)
    assert(f[k] == want_f[k] and math.type(f[k]) == "float", what .. ": free " .. k)
  end
end
local ORDERED = { order = "most_free" }
return { place = function(job, net)
  local want_c, want_f = copy(net.room(job))
  local c, f = net.room(job)
  c[1], c[2] = c[2], c[1]                      -- swapped
  f[1] = math.tointeger(f[1])                  -- the same number, as an integer
  f[2] = "x"
  c[#c + 1], f[#f + 1] = c[1], 1.5             -- grown
  same(net.room(job), select(2, net.room(job)), want_c, want_f, "after scribbling")
  local oc, of = copy(net.room(job, ORDERED))  -- another order, then the index order again
  assert(oc[1] ~= want_c[1], "most_free puts another center first here")
  same(net.room(job), select(2, net.room(job)), want_c, want_f, "after another order")
  c, f = net.room(job)
  table.sort(c, function(a, b) return a.index > b.index end)
  same(net.room(job), select(2, net.room(job)), want_c, want_f, "after a sort")
  return want_c[1]
end })LUA");
  auto p = inline_policy(w, t);
  w.set_free(3, 450);  // Guiyang 450: first by free chips; Beijing first by index
  EXPECT_EQ(w.center_name(p->place(make_job(1, kWuhan), w.net)), "Beijing");
}

TEST(LuaErrors, RoomRejectsUnknownOptions) {
  World w;
  TempPolicy t(R"LUA(
return { place = function(job, net)
  if job.id == 1 then return net.room(job, { order = "fewest" })[1] end
  if job.id == 2 then return net.room(job, { local_data = 1 })[1] end
  if job.id == 3 then return net.room(job, { lcoal_data = true })[1] end
  if job.id == 4 then return net.room(job, "most_free")[1] end
  if job.id == 5 then return (net.most_free(job, { order = "most_free" })) end
  if job.id == 6 then return (net.most_free(job, { local_data = "yes" })) end
end })LUA");
  auto p = inline_policy(w, t);
  auto err = [&](int id) { return error_of([&] { p->place(make_job(id, kWuhan), w.net); }); };
  EXPECT_NE(err(1).find(":3: net.room: options.order must be \"index\" or \"most_free\""), std::string::npos) << err(1);
  EXPECT_NE(err(2).find(":4: net.room: options.local_data must be true or false"), std::string::npos) << err(2);
  EXPECT_NE(err(3).find(":5: net.room: options may only have the keys order and local_data"), std::string::npos)
      << err(3);
  EXPECT_NE(err(4).find(":6: net.room: bad argument #2 (expected an options table or nil, got string)"),
            std::string::npos)
      << err(4);
  EXPECT_NE(err(5).find(":7: net.most_free: options may only have the key local_data"), std::string::npos) << err(5);
  EXPECT_NE(err(6).find(":8: net.most_free: options.local_data must be true or false"), std::string::npos) << err(6);
}

TEST(LuaApi, PoolRejectAndParams) {
  World w;
  TempPolicy t(R"LUA(
return { place = function(job, net)
  if job.id == 1 then return "Zhongwei", "a800" end
  if job.id == 2 then return net.centers[1], net.centers[1].pools[2] end
  if job.id == 3 then return "reject", "too big for " .. params.site.name end
  if job.id == 4 then return params.weights.carbon > 0.4 and "Guiyang" or "Beijing" end
  return nil
end })LUA");
  auto p = inline_policy(w, t, 1000000,
                         {{"site.name", std::string("lab")}, {"weights.carbon", 0.5}, {"flag", true}});
  Placement a = p->place(make_job(1, kWuhan), w.net);
  EXPECT_EQ(w.center_name(a), "Zhongwei");
  EXPECT_EQ(a.pool, 5);
  Placement b = p->place(make_job(2, kWuhan), w.net);
  EXPECT_EQ(b.center, 0);
  EXPECT_EQ(b.pool, 1);
  Placement c = p->place(make_job(3, kWuhan), w.net);
  EXPECT_EQ(c.action, Placement::Action::reject);
  EXPECT_EQ(c.reason, "too big for lab");
  EXPECT_EQ(w.center_name(p->place(make_job(4, kWuhan), w.net)), "Guiyang");
  EXPECT_EQ(p->place(make_job(5, kWuhan), w.net).action, Placement::Action::wait);
}

TEST(LuaApi, OrderOnFinishOnTick) {
  World w;
  TempPolicy t(R"LUA(
local finished, ticks = 0, 0
return {
  place = function(job, net) return finished >= 1 and ticks >= 1 and "Beijing" or nil end,
  order = function(queue, center, net, pool)
    local idx = {}
    for i = #queue, 1, -1 do idx[#idx + 1] = i end   -- newest first
    assert(center.name == "Zhongwei" and pool.chip == "a800")
    return idx
  end,
  on_finish = function(job, net)
    assert(job.id == 11 and job.center == "Zhongwei" and job.pool == "a800" and job.completed)
    assert(job.wait == 5 and job.finish == 100)
    finished = finished + 1
  end,
  on_tick = function(net) ticks = ticks + 1 end,
})LUA");
  auto p = inline_policy(w, t);
  EXPECT_TRUE(p->has_order());
  EXPECT_TRUE(p->has_on_tick());
  Job a = make_job(1, 0), b = make_job(2, 0), c = make_job(3, 0);
  EXPECT_EQ(p->order({&a, &b, &c}, 5, w.net), (std::vector<int>{2, 1, 0}));
  EXPECT_EQ(p->place(make_job(4, kWuhan), w.net).action, Placement::Action::wait);
  Job f = make_job(11, kWuhan);
  FinishedJob fj{&f, 3, 5, 95, 100, 5, true};
  p->on_finish(fj, w.net);
  p->on_tick(w.net);
  EXPECT_EQ(w.center_name(p->place(make_job(5, kWuhan), w.net)), "Beijing");
}

TEST(LuaApi, OrderMustReturnAPermutation) {
  World w;
  TempPolicy t(R"LUA(
return { place = function() end, order = function(queue) return {1, 1} end })LUA");
  auto p = inline_policy(w, t);
  Job a = make_job(1, 0), b = make_job(2, 0);
  const std::string e = error_of([&] { p->order({&a, &b}, 0, w.net); });
  EXPECT_NE(e.find("order(center Beijing, pool a800)"), std::string::npos) << e;
  EXPECT_NE(e.find("expected a permutation of 1..2"), std::string::npos) << e;
}

TEST(LuaApi, ScoreOnlyPolicyTakesArgmaxLowestIndexOnTies) {
  World w;
  TempPolicy t(R"LUA(
return { score = function(job, c, net)
  if c.name == "Guiyang" then return nil end          -- infeasible
  if job.id == 1 then return c.name == "Shanghai" and 5 or 1 end
  if job.id == 2 then return 3 end                    -- all tie: lowest index
  if job.id == 3 then return c.name == "Zhongwei" and 10 or -math.huge end
  return -math.huge                                   -- nothing feasible: wait
end })LUA");
  auto p = inline_policy(w, t);
  EXPECT_FALSE(p->has_place());
  EXPECT_EQ(w.center_name(p->place(make_job(1, kWuhan), w.net)), "Shanghai");
  EXPECT_EQ(w.center_name(p->place(make_job(2, kWuhan), w.net)), "Beijing");
  EXPECT_EQ(w.center_name(p->place(make_job(3, kWuhan), w.net)), "Zhongwei");
  EXPECT_EQ(p->place(make_job(4, kWuhan), w.net).action, Placement::Action::wait);
  Job dom = make_job(2, kWuhan);  // only Shanghai has an h800 pool: the only center scored
  dom.chip_requirement = ChipRequirement::specific;
  dom.chip = "h800";
  EXPECT_EQ(w.center_name(p->place(dom, w.net)), "Shanghai");
}

TEST(LuaApi, ParallelScoreGivesExactlySerialDecisions) {
  World w;
  w.set_free(0, 37);
  w.set_free(4, 150);
  TempPolicy t(R"LUA(
-- pure: depends on the job and the net only
return { score = function(job, c, net)
  local lat = net.latency(job.origin, c)
  if job.latency_bound > 0 and lat > job.latency_bound then return nil end
  local s = c.free_chips / (job.gpus + 1) - lat * 1000 * (job.kind == "inference" and 10 or 1)
  s = s + ((job.id * 7 + c.index * 13) % 11)            -- scramble
  if job.id % 5 == 0 then s = math.floor(s / 50) end     -- frequent ties
  return s
end })LUA");
  auto p = inline_policy(w, t);
  std::vector<Job> jobs;
  for (int i = 1; i <= 10000; ++i) {
    Job j = make_job(i, i % 5, static_cast<JobKind>(i % 3), 1 + i % 17);
    if (j.kind == JobKind::inference && i % 2) j.latency_bound_s = 0.001 * (i % 19);
    if (i % 13 == 0) j.chip_requirement = ChipRequirement::domestic;
    if (i % 29 == 0) j.chip_requirement = ChipRequirement::cuda;
    jobs.push_back(j);
  }
  std::vector<const Job*> ptrs;
  for (const Job& j : jobs) ptrs.push_back(&j);
  std::vector<Placement> serial;
  for (const Job* j : ptrs) serial.push_back(p->place(*j, w.net));
  const std::vector<Placement> par = p->place_batch(ptrs, w.net);
  ASSERT_EQ(par.size(), serial.size());
  int placed = 0, waited = 0;
  for (std::size_t i = 0; i < par.size(); ++i) {
    ASSERT_EQ(par[i].action, serial[i].action) << "job " << i + 1;
    ASSERT_EQ(par[i].center, serial[i].center) << "job " << i + 1;
    placed += par[i].action == Placement::Action::place;
    waited += par[i].action == Placement::Action::wait;
  }
  EXPECT_GT(placed, 1000);
  EXPECT_GT(waited, 10);
  const auto again = p->place_batch(ptrs, w.net);  // and run to run
  for (std::size_t i = 0; i < par.size(); ++i) ASSERT_EQ(again[i].center, par[i].center);
}

// ------------------------------------------------------------ errors

TEST(LuaErrors, ThrowingPolicyNamesFileLineHookAndJob) {
  World w;
  TempPolicy t("return { place = function(job, net)\n  error(\"boom\")\nend }\n");
  auto p = inline_policy(w, t);
  const std::string e = error_of([&] { p->place(make_job(7, kWuhan), w.net); });
  EXPECT_EQ(e, t.path() + ":2: boom (in place, job 7)");
}

TEST(LuaErrors, RuntimeErrorInScoreNamesCenter) {
  World w;
  TempPolicy t("return { score = function(job, c)\n  return c.nope.x\nend }\n");
  auto p = inline_policy(w, t);
  const std::string e = error_of([&] { p->place(make_job(3, kWuhan), w.net); });
  EXPECT_NE(e.find(t.path() + ":2:"), std::string::npos) << e;
  EXPECT_NE(e.find("(in score, job 3, center Beijing)"), std::string::npos) << e;
}

TEST(LuaErrors, BadReturns) {
  World w;
  TempPolicy t(R"LUA(
return { place = function(job, net)
  if job.id == 1 then return "Shangai" end
  if job.id == 2 then return "Wuhan" end
  if job.id == 3 then return 42 end
  if job.id == 4 then return {} end
  if job.id == 5 then return "Beijing", "h800" end
  if job.id == 6 then return true end
end })LUA");
  auto p = inline_policy(w, t);
  const std::string who = t.path() + ":2: place(job ";  // line 2 defines place
  const std::string exp = " (expected a center name, nil or \"reject\")";
  auto err = [&](int id) { return error_of([&] { p->place(make_job(id, kWuhan), w.net); }); };
  EXPECT_EQ(err(1), who + "1): returned \"Shangai\", an unknown city (did you mean \"Shanghai\"?)" + exp);
  EXPECT_EQ(err(2), who + "2): returned \"Wuhan\", a city without a center" + exp);
  EXPECT_EQ(err(3), who + "3): returned the number 42" + exp);
  EXPECT_EQ(err(4), who + "4): returned a table that is not a center of net.centers" + exp);
  EXPECT_NE(err(5).find("returned pool \"h800\", which is not in center Beijing"), std::string::npos);
  EXPECT_EQ(err(6), who + "6): returned true" + exp);
}

// place may split a training job: { parts = { {center =, gpus = [, pool =]}, ... } }
// (names or views, in ring order); the engine checks what they mean.
TEST(LuaApi, PlaceReturnsPartsOfASplitJob) {
  World w;
  TempPolicy t(R"LUA(
return { place = function(job, net)
  assert(job.span and job.span.gradient == 1.4e11 and job.span.allreduce == "ring")
  assert(job.span.iteration == 12.5 and job.span.overlap == 0.25)
  if job.id == 1 then
    return { parts = { {center = "Beijing", gpus = 512, pool = "a800"},
                       {center = net.centers[4], gpus = 512, pool = net.centers[4].pools[2]} } }
  end
  return { parts = { {center = net.center("Shanghai"), gpus = 1000}, {center = "Guiyang", gpus = 24} } }
end })LUA");
  auto p = inline_policy(w, t);
  Job j = make_job(1, kWuhan, JobKind::training, 1024);
  j.span.gradient_B = 1.4e11;
  j.span.iteration_s = 12.5;
  j.span.overlap = 0.25;
  j.span.allreduce = AllReduce::ring;
  Placement a = p->place(j, w.net);
  EXPECT_EQ(a.action, Placement::Action::place);
  EXPECT_EQ(a.center, -1);
  ASSERT_EQ(a.parts.size(), 2u);
  EXPECT_EQ(a.parts[0].center, kBeijing);
  EXPECT_EQ(a.parts[0].pool, w.net.centers[kBeijing].pools[0]);
  EXPECT_DOUBLE_EQ(a.parts[0].gpus, 512);
  EXPECT_EQ(a.parts[1].center, 3);  // Zhongwei
  EXPECT_EQ(a.parts[1].pool, w.net.centers[3].pools[1]);
  j.id = 2;
  Placement b = p->place(j, w.net);
  ASSERT_EQ(b.parts.size(), 2u);
  EXPECT_EQ(b.parts[0].center, kShanghai);
  EXPECT_EQ(b.parts[0].pool, -1);
  EXPECT_DOUBLE_EQ(b.parts[1].gpus, 24);
}

TEST(LuaApi, JobWithoutSpanParametersHasNoSpanField) {
  World w;
  TempPolicy t("return { place = function(job) return job.span == nil and 'Beijing' or nil end }\n");
  auto p = inline_policy(w, t);
  EXPECT_EQ(w.center_name(p->place(make_job(1, kWuhan), w.net)), "Beijing");
}

// Each bad return is one line naming the policy file, the job and the part.
TEST(LuaErrors, BadParts) {
  World w;
  TempPolicy t(R"LUA(
local bad = {
  { parts = "Beijing" },
  { parts = {} },
  { parts = { "Beijing", "Shanghai" } },
  { parts = { {center = "Beijing", gpus = 4}, {center = "Shangai", gpus = 4} } },
  { parts = { {center = "Beijing", gpus = "4"}, {center = "Shanghai", gpus = 4} } },
  { parts = { {center = "Beijing", gpu = 4}, {center = "Shanghai", gpus = 4} } },
  { parts = { {center = "Beijing", gpus = 4, pool = "h800"}, {center = "Shanghai", gpus = 4} } },
  { parts = { {gpus = 4}, {center = "Shanghai", gpus = 4} } },
  { part = { {center = "Beijing", gpus = 4} } },
  { parts = { {center = "Beijing", gpus = 4} }, reason = "x" },
  { parts = { {center = "Beijing", gpus = 1}, {center = "Shanghai", gpus = 1}, {center = "Guiyang", gpus = 1},
              {center = "Zhongwei", gpus = 1}, {center = "Beijing", gpus = 1} } },
}
return { place = function(job, net) return bad[job.id] end })LUA");
  auto p = inline_policy(w, t);
  const std::string who = t.path() + ":16: place(job ";  // line 16 defines place
  const std::string exp = " (expected parts = { {center = <name or view>, gpus = <whole chips>}, ... })";
  auto err = [&](int id) { return error_of([&] { p->place(make_job(id, kWuhan), w.net); }); };
  EXPECT_EQ(err(1), who + "1): returned parts = \"Beijing\"" + exp);
  EXPECT_EQ(err(2), who + "2): returned parts = an empty list" + exp);
  EXPECT_EQ(err(3), who + "3): returned parts[1] = \"Beijing\"" + exp);
  EXPECT_EQ(err(4), who + "4): returned parts[2].center = \"Shangai\", an unknown city (did you mean "
                          "\"Shanghai\"?) (expected a center name or view)");
  EXPECT_EQ(err(5), who + "5): returned parts[1].gpus = \"4\"" + exp);
  EXPECT_EQ(err(6), who + "6): returned parts[1] with key 'gpu' (did you mean 'gpus'?) (expected keys "
                          "center, gpus, pool)");
  EXPECT_EQ(err(7), who + "7): returned parts[1].pool \"h800\", which is not in center Beijing (expected nil "
                          "or one of its chips: a800, ascend-910b)");
  EXPECT_EQ(err(8), who + "8): returned parts[1].center = nil (expected a center name or view)");
  EXPECT_EQ(err(9), who + "9): returned a table with key 'part' (did you mean 'parts'?) (expected a center "
                          "view or { parts = {...} })");
  EXPECT_EQ(err(10), who + "10): returned a table with key 'reason' (expected a center view or { parts = {...} })");
  EXPECT_EQ(err(11), who + "11): returned parts with 5 parts, more than the 4 centers" + exp);
}

TEST(LuaErrors, ModuleShape) {
  World w;
  TempPolicy none("return {}\n");
  EXPECT_NE(error_of([&] { inline_policy(w, none); }).find(none.path() + ": the policy has no place function"),
            std::string::npos);
  TempPolicy notfn("return { place = 5 }\n");
  EXPECT_EQ(error_of([&] { inline_policy(w, notfn); }),
            notfn.path() + ": hook 'place' is the number 5 (expected a function)");
  TempPolicy typo("return { place = function() end, on_finsh = function() end }\n");
  EXPECT_NE(error_of([&] { inline_policy(w, typo); }).find("unknown hook 'on_finsh' (did you mean 'on_finish'?"),
            std::string::npos);
  TempPolicy notable("return 3\n");
  EXPECT_NE(error_of([&] { inline_policy(w, notable); }).find("returned the number 3"), std::string::npos);
  TempPolicy syntax("return { place = function( end }\n");
  EXPECT_NE(error_of([&] { inline_policy(w, syntax); }).find(syntax.path() + ":1:"), std::string::npos);
}

TEST(LuaErrors, InfiniteLoopStoppedByBudget) {
  World w;
  TempPolicy t("return { place = function(job, net)\n  while true do end\nend }\n");
  auto p = inline_policy(w, t, 100000);
  const std::string e = error_of([&] { p->place(make_job(5, kWuhan), w.net); });
  EXPECT_NE(e.find("instruction budget of 100000"), std::string::npos) << e;
  EXPECT_NE(e.find("(in place, job 5)"), std::string::npos) << e;
  EXPECT_EQ(e.rfind(t.path(), 0), 0u) << e;
  // The policy still works afterwards (a fresh budget per call).
  TempPolicy ok("local n = 0\nreturn { place = function(job, net)\n  if job.id == 5 then while true do end end\n  return 'Beijing'\nend }\n");
  auto q = inline_policy(w, ok, 100000);
  EXPECT_THROW(q->place(make_job(5, kWuhan), w.net), UserError);
  EXPECT_EQ(w.center_name(q->place(make_job(6, kWuhan), w.net)), "Beijing");
}

TEST(LuaErrors, ViewsAreReadOnly) {
  World w;
  TempPolicy t(R"LUA(
return { place = function(job, net)
  if job.id == 1 then net.now = 5 end
  if job.id == 2 then net.centers[1].free_chips = 0 end
  if job.id == 3 then job.gpus = 1 end
  if job.id == 4 then params.x = 1 end
  if job.id == 5 then net.centers[2].pools[1].free = 1 end
  if job.id == 6 then table.insert(net.centers, {}) end
end })LUA");
  auto p = inline_policy(w, t);
  auto err = [&](int id) { return error_of([&] { p->place(make_job(id, kWuhan), w.net); }); };
  EXPECT_EQ(err(1), t.path() + ":3: net is read-only (cannot set 'now') (in place, job 1)");
  EXPECT_NE(err(2).find("net.centers[1] is read-only (cannot set 'free_chips')"), std::string::npos);
  EXPECT_NE(err(3).find("job is read-only (cannot set 'gpus')"), std::string::npos);
  EXPECT_NE(err(4).find("params is read-only"), std::string::npos);
  EXPECT_NE(err(5).find("net.pools[3] is read-only (cannot set 'free')"), std::string::npos);  // shared pool view
  EXPECT_NE(err(6).find("read-only"), std::string::npos);
  // Nothing changed.
  EXPECT_EQ(w.net.centers[0].free_chips, 200);
}

TEST(LuaErrors, UnknownCityInLatency) {
  World w;
  TempPolicy t("return { place = function(job, net)\n  return net.latency('Pekin', 'Shanghai')\nend }\n");
  auto p = inline_policy(w, t);
  const std::string e = error_of([&] { p->place(make_job(1, kWuhan), w.net); });
  EXPECT_NE(e.find(t.path() + ":2: unknown city \"Pekin\""), std::string::npos) << e;
}


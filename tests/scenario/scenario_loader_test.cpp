// load_scenario: keys, units, validation messages, --set overrides, sweeps.
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <string>
#include <variant>

#include "sim/core/units.hpp"
#include "sim/core/user_error.hpp"
#include "sim/scenario/scenario.hpp"
#include "sim/scenario/scenario_paths.hpp"
#include "sim/topology/graphml_reader.hpp"

namespace fs = std::filesystem;
using namespace suanwang;

namespace {

const char* kBuiltins[] = {"random", "round_robin", "nearest", "least_loaded", "cheapest_energy",
                           "lowest_carbon", "east_data_west_compute", "latency_aware_inference", "carbon_aware",
                           "data_local", "split_training"};

// A temp folder holding stub policies, so scenarios load whether or not the
// built-in policy files exist yet (a bare name falls back to the scenario folder).
struct TempDir {
  fs::path path;
  TempDir() {
    static int counter = 0;
    path = fs::temp_directory_path() /
           ("suanwang_scenario_" + std::to_string(::getpid()) + "_" + std::to_string(++counter));
    fs::remove_all(path);
    fs::create_directories(path);
    for (const char* p : kBuiltins) write(std::string(p) + ".lua", "return {}\n");
  }
  ~TempDir() { fs::remove_all(path); }
  std::string write(const std::string& name, const std::string& text) const {
    const fs::path p = path / name;
    fs::create_directories(p.parent_path());
    std::ofstream(p) << text;
    return p.string();
  }
};

const std::string kMinimal = R"(
return {
  name = "t",
  duration = "30d",
  seed = 9,
  policy = "least_loaded",
  workload = {
    { kind = "training", rate = "6/h", gpus = 4, duration = "2h", dataset = "200GB" },
    { kind = "inference", rate = 0.5, gpus = 0.25, duration = { dist = "exp", mean = "20min" },
      latency_bound = "12ms", origin = "Beijing" },
  },
}
)";

Scenario load_text(const TempDir& d, const std::string& text, const std::vector<Override>& o = {}) {
  return load_scenario(d.write("s.lua", text), o);
}

std::string error_of(const TempDir& d, const std::string& text, const std::vector<Override>& o = {}) {
  try {
    load_text(d, text, o);
  } catch (const UserError& e) {
    return e.what();
  }
  return "";
}

// kMinimal with `extra` inserted as top-level keys.
std::string with(const std::string& extra) {
  std::string s = kMinimal;
  s.insert(s.find("  name = \"t\","), extra + "\n");
  return s;
}

// kMinimal with one piece of text replaced.
std::string replaced(const std::string& from, const std::string& to) {
  std::string s = kMinimal;
  s.replace(s.find(from), from.size(), to);
  return s;
}

#define EXPECT_HAS(hay, needle) EXPECT_NE(std::string(hay).find(needle), std::string::npos) << (hay)

}  // namespace

// The list the CLI and error messages name is the policies/ folder, no more,
// no less (split_training was once missing from it).
TEST(ScenarioLoader, BuiltinPoliciesAreThePoliciesFolder) {
  std::vector<std::string> files;
  for (const auto& e : fs::directory_iterator(fs::path(SUANWANG_SOURCE_DIR) / "policies"))
    if (e.is_regular_file() && e.path().extension() == ".lua") files.push_back(e.path().stem().string());
  std::vector<std::string> listed = builtin_policies();
  std::sort(files.begin(), files.end());
  std::sort(listed.begin(), listed.end());
  EXPECT_EQ(listed, files);
  std::vector<std::string> here(std::begin(kBuiltins), std::end(kBuiltins));
  std::sort(here.begin(), here.end());
  EXPECT_EQ(here, files);
}

TEST(ScenarioLoader, MinimalWithUnits) {
  TempDir d;
  const Scenario sc = load_text(d, with(R"(
  sample_interval = "15min", tick_interval = "5min", vgpu_slices = 4, local_queue = "easy",
  centers = { { city = "Guiyang", price = "0.45 CNY/kWh", pue = 1.2 } },
  params = { alpha = 0.5, weights = { carbon = 2, cost = 1 }, mode = "x", on = true },
  price_profile = { 1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1 },)"));
  EXPECT_EQ(sc.name, "t");
  EXPECT_DOUBLE_EQ(sc.duration_s, 30 * 86400.0);
  EXPECT_EQ(sc.seed, 9u);
  EXPECT_EQ(sc.policy_name, "least_loaded");
  EXPECT_TRUE(fs::exists(sc.policy_path));
  EXPECT_TRUE(fs::exists(sc.topology_path));
  EXPECT_NE(sc.topology_path.find("china.graphml"), std::string::npos);
  EXPECT_EQ(sc.local_queue, QueueDiscipline::easy);
  EXPECT_DOUBLE_EQ(sc.sample_interval_s, 900);
  EXPECT_DOUBLE_EQ(sc.tick_interval_s, 300);
  EXPECT_EQ(sc.vgpu_slices, 4);
  ASSERT_EQ(sc.workload.generators.size(), 2u);
  const auto& g = sc.workload.generators[0];
  EXPECT_DOUBLE_EQ(g.rate_per_s, 6.0 / 3600);
  EXPECT_DOUBLE_EQ(g.gpus.value, 4);
  EXPECT_DOUBLE_EQ(g.duration_s.value, 7200);
  EXPECT_DOUBLE_EQ(g.dataset_B.value, 200e9);
  EXPECT_EQ(g.origin, -1);
  const auto& i = sc.workload.generators[1];
  EXPECT_EQ(i.kind, JobKind::inference);
  EXPECT_DOUBLE_EQ(i.rate_per_s, 0.5);  // bare number: SI (per second)
  EXPECT_EQ(i.duration_s.kind, Distribution::Kind::exponential);
  EXPECT_DOUBLE_EQ(i.duration_s.mean, 1200);
  EXPECT_DOUBLE_EQ(i.latency_bound_s, 0.012);
  EXPECT_EQ(i.origin, sc.topology.city_index("Beijing"));
  const int gy = sc.topology.city_index("Guiyang");
  EXPECT_DOUBLE_EQ(sc.topology.cities[gy].price_cny_per_J, 0.45 / units::kJoulePerKWh);
  EXPECT_DOUBLE_EQ(sc.topology.cities[gy].pue, 1.2);
  EXPECT_EQ(std::get<double>(sc.params.at("alpha")), 0.5);
  EXPECT_EQ(std::get<double>(sc.params.at("weights.carbon")), 2);
  EXPECT_EQ(std::get<std::string>(sc.params.at("mode")), "x");
  EXPECT_EQ(std::get<bool>(sc.params.at("on")), true);
  EXPECT_EQ(sc.price_profile_hourly.size(), 24u);
  EXPECT_EQ(sc.resolved.at("duration"), "2592000");
  EXPECT_DOUBLE_EQ(std::stod(sc.resolved.at("workload.1.rate")), 6.0 / 3600);
  EXPECT_EQ(sc.resolved.at("workload.2.origin"), "Beijing");
  EXPECT_EQ(sc.resolved.at("params.weights.carbon"), "2");
  EXPECT_EQ(sc.resolved.at("vgpu_slices"), "4");
  EXPECT_EQ(sc.resolved.at("on_policy_error"), "abort");
}

TEST(ScenarioLoader, Distributions) {
  TempDir d;
  const Scenario sc = load_text(d, R"(
return {
  policy = "nearest",
  workload = {
    { rate = "1/h",
      gpus = { dist = "choice", values = { 1, 8 }, weights = { 3, 1 } },
      duration = { dist = "lognormal", median = "2h", sigma = 1.5, max = "3d" },
      dataset = { dist = "uniform", min = "1GB", max = "1TB" },
      result = { dist = "lognormal", mu = 10, sigma = 0 } },
  },
})");
  const auto& g = sc.workload.generators.at(0);
  EXPECT_EQ(sc.name, "s");  // file stem
  EXPECT_EQ(g.gpus.kind, Distribution::Kind::choice);
  EXPECT_EQ(g.gpus.values, (std::vector<double>{1, 8}));
  EXPECT_EQ(g.gpus.weights, (std::vector<double>{3, 1}));
  EXPECT_EQ(g.duration_s.kind, Distribution::Kind::lognormal);
  EXPECT_NEAR(g.duration_s.mu, std::log(7200.0), 1e-12);
  EXPECT_DOUBLE_EQ(g.duration_s.sigma, 1.5);
  EXPECT_DOUBLE_EQ(g.duration_s.max, 3 * 86400.0);
  EXPECT_DOUBLE_EQ(g.dataset_B.min, 1e9);
  EXPECT_DOUBLE_EQ(g.dataset_B.max, 1e12);
  EXPECT_DOUBLE_EQ(g.result_B.mu, 10);
  EXPECT_EQ(sc.duration_s, 7 * 86400.0);  // default
}

TEST(ScenarioLoader, ProfilesAndServices) {
  TempDir d;
  const Scenario sc = load_text(d, R"(
return {
  policy = "least_loaded",
  workload = {
    { rate = "10/h", profile = "diurnal", weekly = { 1, 1, 1, 1, 1, 0.5, 0.5 } },
    { service = "chat", peak_rate = "3000/s", profile = "diurnal", service_time = "40ms",
      chips = 256, center = "Shanghai", slo = "200ms", origins = { Beijing = 2, Shanghai = 1 } },
    { service = "chat2", peak_rate = 10, origins = { "Wuhan", "Chengdu" } },
  },
})");
  const auto& g = sc.workload.generators.at(0);
  ASSERT_EQ(g.profile.hourly.size(), 24u);
  double sum = 0;
  for (double v : g.profile.hourly) sum += v;
  EXPECT_NEAR(sum / 24, 1.0, 1e-12);
  EXPECT_LT(g.profile.hourly[3], g.profile.hourly[20]);
  EXPECT_EQ(g.profile.daily.size(), 7u);
  const auto& s = sc.workload.services.at(0);
  EXPECT_DOUBLE_EQ(s.peak_rate_per_s, 3000);
  EXPECT_DOUBLE_EQ(s.service_time_s, 0.04);
  EXPECT_DOUBLE_EQ(s.chips, 256);
  EXPECT_DOUBLE_EQ(s.slo_s, 0.2);
  EXPECT_EQ(s.center, sc.topology.city_index("Shanghai"));
  ASSERT_EQ(s.origin_weights.size(), sc.topology.cities.size());
  EXPECT_EQ(s.origin_weights[sc.topology.city_index("Beijing")], 2);
  const auto& s2 = sc.workload.services.at(1);
  EXPECT_EQ(s2.center, -1);
  EXPECT_EQ(s2.origin_weights[sc.topology.city_index("Wuhan")], 1);
}

TEST(ScenarioLoader, EveryExampleLoads) {
  const fs::path examples = fs::path(SUANWANG_SOURCE_DIR) / "scripts" / "examples";
  int n = 0;
  for (const auto& entry : fs::directory_iterator(examples)) {
    if (entry.path().extension() != ".lua") continue;
    ++n;
    // Copied next to stub policies (loads whether or not policies/ is written
    // yet) and to the other examples (one may require another); the examples'
    // data folder (traces, node lists) is linked beside the copies.
    TempDir d;
    for (const auto& other : fs::directory_iterator(examples))
      if (other.path().extension() == ".lua") fs::copy_file(other.path(), d.path / other.path().filename());
    const std::string copy = (d.path / entry.path().filename()).string();
    if (fs::is_directory(examples / "data")) fs::create_directory_symlink(examples / "data", d.path / "data");
    Scenario sc;
    try {
      sc = load_scenario(copy);
    } catch (const std::exception& e) {
      ADD_FAILURE() << entry.path() << ": " << e.what();
      continue;
    }
    EXPECT_FALSE(sc.name.empty());
    EXPECT_GT(sc.workload.generators.size() + sc.workload.services.size() + sc.workload.traces.size(), 0u);
    // In place too, when the built-in policy exists.
    if (fs::exists(fs::path(SUANWANG_SOURCE_DIR) / "policies" / (sc.policy_name + ".lua"))) {
      EXPECT_NO_THROW(load_scenario(entry.path().string())) << entry.path();
    }
  }
  EXPECT_GE(n, 5);
}

TEST(ScenarioLoader, SweepAxes) {
  const fs::path examples = fs::path(SUANWANG_SOURCE_DIR) / "scripts" / "examples";
  TempDir d;
  fs::copy_file(examples / "edwc_vs_nearest.lua", d.path / "edwc.lua");
  fs::copy_file(examples / "price_war.lua", d.path / "price_war.lua");
  const Scenario a = load_scenario((d.path / "edwc.lua").string());
  ASSERT_EQ(a.sweep.size(), 1u);
  EXPECT_EQ(a.sweep[0].key, "policy");
  EXPECT_EQ(a.sweep[0].values, (std::vector<std::string>{"east_data_west_compute", "nearest"}));
  EXPECT_EQ(a.replications, 2);
  const Scenario b = load_scenario((d.path / "price_war.lua").string());
  ASSERT_EQ(b.sweep.size(), 1u);
  EXPECT_EQ(b.sweep[0].key, "centers.1.price_factor");
  EXPECT_EQ(b.sweep[0].values, (std::vector<std::string>{"1", "0.8"}));
  EXPECT_EQ(b.replications, 2);

  // Axes directly as keys of sweep; top-level replications.
  const Scenario c = load_text(d, with(R"(
  replications = 4,
  sweep = { ["params.alpha"] = { 0.1, 0.5 }, local_queue = { "fcfs", "easy" } },)"));
  ASSERT_EQ(c.sweep.size(), 2u);
  EXPECT_EQ(c.sweep[0].key, "local_queue");
  EXPECT_EQ(c.sweep[1].key, "params.alpha");
  EXPECT_EQ(c.sweep[1].values, (std::vector<std::string>{"0.1", "0.5"}));
  EXPECT_EQ(c.replications, 4);
  EXPECT_EQ(c.resolved.at("sweep.params.alpha"), "0.1,0.5");

  // Every point is validated: a typo in an axis key or value is caught at load.
  EXPECT_HAS(error_of(d, with(R"(sweep = { axes = { ["workload.1.rat"] = { "1/h" } } },)")),
             "did you mean 'rate'");
  EXPECT_HAS(error_of(d, with(R"(sweep = { axes = { local_queue = { "fcfs", "esay" } } },)")),
             "did you mean \"easy\"");
  EXPECT_HAS(error_of(d, with(R"(sweep = { axes = { policy = { "nearset" } } },)")),
             "did you mean 'nearest'");
}

TEST(ScenarioLoader, TypoKeySuggestion) {
  TempDir d;
  std::string s = kMinimal;
  s.replace(s.find("duration = { dist"), 8, "duraton");
  const std::string e = error_of(d, s);
  EXPECT_HAS(e, "s.lua: key 'workload[2].duraton': unknown key (did you mean 'duration'?)");
  EXPECT_HAS(error_of(d, with("  sede = 3,")), "key 'sede': unknown key (did you mean 'seed'?)");
  EXPECT_HAS(error_of(d, with("  failures = { links = { { link = \"carrier:ct\", at = \"1h\", four = \"1h\" } } },")),
             "key 'failures.links[1].four': unknown key (did you mean 'for'?)");
  EXPECT_HAS(error_of(d, with("  zzzzzzzzzz = 1,")), "key 'zzzzzzzzzz': unknown key");
}

TEST(ScenarioLoader, WrongTypesAndRanges) {
  TempDir d;
  EXPECT_HAS(error_of(d, replaced("seed = 9", "seed = \"abc\"")), "key 'seed': expected a whole number");
  EXPECT_HAS(error_of(d, with("  vgpu_slices = 0,")), "key 'vgpu_slices': must be >= 1");
  EXPECT_HAS(error_of(d, with("  local_queue = 3,")), "key 'local_queue': expected one of");
  EXPECT_HAS(error_of(d, replaced("duration = \"30d\"", "duration = true")), "key 'duration': expected a duration");
  EXPECT_HAS(error_of(d, replaced("duration = \"30d\"", "duration = \"12GB\"")), "key 'duration'");
  EXPECT_HAS(error_of(d, replaced("duration = \"30d\"", "duration = \"-1d\"")), "key 'duration': must be > 0");
  EXPECT_HAS(error_of(d, with("  reference_chip = \"a10\",")), "unknown chip 'a10'");
  std::string s = kMinimal;
  s.replace(s.find("rate = \"6/h\""), 12, "rate = 0");
  EXPECT_HAS(error_of(d, s), "key 'workload[1].rate': must be > 0");
  s = kMinimal;
  s.replace(s.find("gpus = 4"), 8, "gpus = -4");
  EXPECT_HAS(error_of(d, s), "key 'workload[1].gpus': must be > 0");
  s = kMinimal;
  s.replace(s.find("gpus = 4"), 8, "gpus = 2.5");
  EXPECT_HAS(error_of(d, s), "key 'workload[1].gpus'");
  EXPECT_HAS(error_of(d, R"(return { workload = { { service = "x", peak_rate = "1/s", chips = 0 } } })"),
             "key 'workload[1].chips': must be > 0");
  EXPECT_HAS(error_of(d, "return 42"), "must return a table");
  EXPECT_HAS(error_of(d, replaced("policy = \"least_loaded\"", "policy = \"no_such.lua\"")), "policy file not found");
  EXPECT_HAS(error_of(d, with("  topology = \"nowhere.graphml\",")), "topology file not found");
}

// record_flows: off unless asked, from the file or --set, and a boolean only.
TEST(ScenarioLoader, RecordFlows) {
  TempDir d;
  EXPECT_FALSE(load_text(d, kMinimal).record_flows);
  EXPECT_TRUE(load_text(d, with("  record_flows = true,")).record_flows);
  EXPECT_TRUE(load_text(d, kMinimal, {{"record_flows", "true"}}).record_flows);
  EXPECT_EQ(load_text(d, with("  record_flows = true,")).resolved.at("record_flows"), "true");
  EXPECT_HAS(error_of(d, with("  record_flows = 1,")), "key 'record_flows'");
  EXPECT_HAS(error_of(d, with("  record_flows = \"yes\",")), "key 'record_flows'");
}

// Training that spans centers: the generator's span table, the scenario's
// span_round, span_hold and bandwidth_factor; each error one line with its key.
TEST(ScenarioLoader, SpanKeys) {
  TempDir d;
  const std::string span = "span = { gradient = \"140GB\", iteration = \"12.6s\", overlap = \"25%\", allreduce = \"ring\" }";
  const Scenario sc = load_text(d, replaced("dataset = \"200GB\" }", "dataset = \"200GB\", " + span + " }") +
                                       "");
  const SpanSpec& s = sc.workload.generators[0].span;
  EXPECT_TRUE(s.enabled());
  EXPECT_DOUBLE_EQ(s.gradient_B, 140e9);
  EXPECT_DOUBLE_EQ(s.iteration_s, 12.6);
  EXPECT_DOUBLE_EQ(s.overlap, 0.25);
  EXPECT_EQ(s.allreduce, AllReduce::ring);
  EXPECT_FALSE(sc.workload.generators[1].span.enabled());
  EXPECT_DOUBLE_EQ(sc.span_round_s, 60);
  EXPECT_DOUBLE_EQ(sc.span_hold_s, 3600);
  const Scenario b = load_text(d, with("  span_round = \"5min\", span_hold = \"10min\", bandwidth_factor = 0.25,"));
  EXPECT_DOUBLE_EQ(b.span_round_s, 300);
  EXPECT_DOUBLE_EQ(b.span_hold_s, 600);
  const Scenario plain = load_text(d, kMinimal);
  ASSERT_EQ(b.topology.links.size(), plain.topology.links.size());
  for (std::size_t l = 0; l < b.topology.links.size(); ++l)
    EXPECT_DOUBLE_EQ(b.topology.links[l].bandwidth_Bps, 0.25 * plain.topology.links[l].bandwidth_Bps);

  const auto in_span = [&](const std::string& body) {
    return error_of(d, replaced("dataset = \"200GB\" }", "dataset = \"200GB\", span = " + body + " }"));
  };
  EXPECT_HAS(in_span("5"), "key 'workload[1].span': expected a table");
  EXPECT_HAS(in_span("{ iteration = \"12s\" }"), "key 'workload[1].span.gradient': missing");
  EXPECT_HAS(in_span("{ gradient = \"140GB\" }"), "key 'workload[1].span.iteration': missing");
  EXPECT_HAS(in_span("{ gradient = \"140GB\", iteration = \"12s\", overlap = 1.5 }"),
             "key 'workload[1].span.overlap': must be between 0 and 1");
  EXPECT_HAS(in_span("{ gradient = \"140GB\", iteration = \"12s\", allreduce = \"rign\" }"),
             "key 'workload[1].span.allreduce'");
  EXPECT_HAS(in_span("{ gradient = \"140GB\", iteration = \"12s\", gradiant = 1 }"),
             "key 'workload[1].span.gradiant': unknown key (did you mean 'gradient'?)");
  EXPECT_HAS(in_span("{ gradient = \"12s\", iteration = \"12s\" }"), "key 'workload[1].span.gradient'");
  EXPECT_HAS(in_span("{ gradient = 0, iteration = \"12s\" }"), "key 'workload[1].span.gradient': must be > 0");
  std::string inference = kMinimal;
  inference.replace(inference.find("origin = \"Beijing\" }"), 20,
                    "origin = \"Beijing\", span = { gradient = 1, iteration = 1 } }");
  EXPECT_HAS(error_of(d, inference), "key 'workload[2].span': only training jobs may span centers");
  EXPECT_HAS(error_of(d, with("  span_round = 0,")), "key 'span_round': must be > 0");
  EXPECT_HAS(error_of(d, with("  span_hold = \"1GB\",")), "key 'span_hold'");
  EXPECT_HAS(error_of(d, with("  bandwidth_factor = 0,")), "key 'bandwidth_factor': must be a number > 0");
  EXPECT_HAS(error_of(d, with("  bandwidth_factor = \"x\",")), "key 'bandwidth_factor'");
  // backbone_bandwidth sets every link, then the factor scales it.
  const Scenario flat = load_text(d, with("  backbone_bandwidth = \"800Gbps\", bandwidth_factor = 2,"));
  for (const topo::Link& l : flat.topology.links) EXPECT_DOUBLE_EQ(l.bandwidth_Bps, 2 * 1e11);
  EXPECT_HAS(error_of(d, with("  backbone_bandwidth = \"800GB\",")), "key 'backbone_bandwidth'");
  EXPECT_HAS(error_of(d, with("  backbone_bandwidth = 0,")), "key 'backbone_bandwidth': must be > 0");
}

TEST(ScenarioLoader, UnknownCityWithSuggestion) {
  TempDir d;
  std::string s = kMinimal;
  s.replace(s.find("origin = \"Beijing\""), 18, "origin = \"Bejing\"");
  EXPECT_HAS(error_of(d, s), "key 'workload[2].origin': unknown city 'Bejing' (did you mean 'Beijing'?)");
  EXPECT_HAS(error_of(d, with("  centers = { { city = \"Shanghia\", pue = 1.1 } },")),
             "unknown city 'Shanghia' (did you mean 'Shanghai'?)");
  EXPECT_HAS(error_of(d, with("  centers = { Guiyng = { pue = 1.1 } },")),
             "did you mean 'Guiyang'?");
}

TEST(ScenarioLoader, CarbonChoice) {
  TempDir d;
  const auto city = [](const Scenario& sc, const char* n) -> const topo::City& {
    return sc.topology.cities[static_cast<std::size_t>(sc.topology.city_index(n))];
  };
  // Default: provincial factors of the latest year, green power on, no hourly profile.
  const Scenario def = load_text(d, kMinimal);
  EXPECT_EQ(def.topology.carbon_choice.series, "province");
  EXPECT_EQ(def.topology.carbon_choice.year, 2023);
  EXPECT_TRUE(def.topology.carbon_choice.green_power);
  EXPECT_FALSE(def.topology.carbon_choice.hourly);
  EXPECT_EQ(def.resolved.at("carbon.year"), "2023");
  EXPECT_NEAR(city(def, "Chengdu").grid_carbon_kg_per_J * 3.6e6, 0.1564, 1e-12);

  const Scenario reg = load_text(d, with("  carbon = { series = \"region\", year = 2021, green_power = false, hourly = true },"));
  EXPECT_NEAR(city(reg, "Chengdu").grid_carbon_kg_per_J * 3.6e6, 0.2113, 1e-12);
  EXPECT_EQ(city(reg, "Chengdu").carbon_area, "southwest");
  EXPECT_FALSE(reg.topology.carbon_choice.green_power);
  EXPECT_TRUE(reg.topology.carbon_choice.hourly);
  EXPECT_EQ(reg.resolved.at("carbon.series"), "region");
  // --set reaches it, and a center's green share can be changed.
  const Scenario set = load_text(d, kMinimal, {{"carbon.year", "2022"}, {"centers.Beijing.green_share", "0.5"}});
  EXPECT_EQ(set.topology.carbon_choice.year, 2022);
  EXPECT_NEAR(city(set, "Beijing").grid_carbon_kg_per_J * 3.6e6, 0.5580, 1e-12);
  EXPECT_DOUBLE_EQ(city(set, "Beijing").green_share, 0.5);

  EXPECT_HAS(error_of(d, with("  carbon = { year = 2024 },")), "key 'carbon.year': year 2024 is not published");
  EXPECT_HAS(error_of(d, with("  carbon = { year = 2024 },")), "2021, 2022, 2023");
  EXPECT_HAS(error_of(d, with("  carbon = { series = \"provinces\" },")), "did you mean 'province'");
  EXPECT_HAS(error_of(d, with("  carbon = { hourly = \"yes\" },")), "carbon.hourly");
  EXPECT_HAS(error_of(d, with("  carbon = { yaer = 2022 },")), "did you mean 'year'");
  EXPECT_HAS(error_of(d, with("  carbon = 2023,")), "key 'carbon'");
  EXPECT_HAS(error_of(d, with("  centers = { Beijing = { green_share = 1.5 } },")),
             "key 'centers.Beijing.green_share': must be a share in [0, 1]");
}

TEST(ScenarioLoader, CenterOverrides) {
  TempDir d;
  const std::string neg = with("  centers = { { city = \"Shanghai\", pools = \"a100:-5\" } },");
  EXPECT_HAS(error_of(d, neg), "key 'centers[1].pools': pool a100: count \"-5\" is not a whole number of chips > 0");
  EXPECT_HAS(error_of(d, with("  centers = { { city = \"Shanghai\", pools = { a100 = 0 } } },")),
             "centers[1].pools.a100");
  EXPECT_HAS(error_of(d, with("  centers = { { city = \"Shanghai\", pue = 0.9 } },")),
             "key 'centers[1].pue': must be >= 1");
  EXPECT_HAS(error_of(d, with("  centers = { { city = \"Shanghai\", swap_to_chip = \"ascend\" } },")),
             "unknown chip 'ascend'");

  const Scenario sc = load_text(d, with(
      "  centers = { { city = \"Shanghai\", pools = \"a800:100, h800:50\", price_factor = 0.5 },\n"
      "              { city = \"Guiyang\", swap_to_chip = \"ascend-910b\" } },"));
  const auto& sh = sc.topology.cities[sc.topology.city_index("Shanghai")];
  ASSERT_EQ(sh.pools.size(), 2u);
  EXPECT_EQ(sh.pools[0].chip, "a800");
  EXPECT_EQ(sh.pools[0].count, 100);
  EXPECT_EQ(sh.pools[1].accel, sc.topology.accelerator_index("h800"));
  EXPECT_EQ(sc.resolved.at("centers.1.pools"), "a800:100,h800:50");
  const topo::Topology national = topo::load_topology(sc.topology_path);
  const int sh_i = national.city_index("Shanghai"), gy_i = national.city_index("Guiyang");
  EXPECT_DOUBLE_EQ(sh.price_cny_per_J, national.cities[sh_i].price_cny_per_J * 0.5);
  const auto& gy = sc.topology.cities[gy_i];
  ASSERT_EQ(gy.pools.size(), 1u);  // one flat pool, as many chips as before
  EXPECT_EQ(gy.pools[0].chip, "ascend-910b");
  int chips_before = 0;
  for (const auto& p : national.cities[gy_i].pools) chips_before += p.count;
  EXPECT_EQ(gy.pools[0].count, chips_before);
  EXPECT_EQ(sc.resolved.at("centers.2.swap_to_chip"), "ascend-910b");

  // Servers of G chips: the count is the chip total; the table form takes "NxG" too.
  const Scenario servers = load_text(d, with(
      "  centers = { { city = \"Shanghai\", pools = \"ascend-910b:512x8\" },\n"
      "              { city = \"Guiyang\", pools = { a100 = \"4x8\", h800 = 16 } } },"));
  const auto& sh8 = servers.topology.cities[servers.topology.city_index("Shanghai")];
  ASSERT_EQ(sh8.pools.size(), 1u);
  EXPECT_EQ(sh8.pools[0].count, 4096);
  EXPECT_EQ(sh8.pools[0].servers, 512);
  EXPECT_EQ(sh8.pools[0].per_server, 8);
  EXPECT_EQ(servers.resolved.at("centers.2.pools"), "a100:4x8,h800:16");
  EXPECT_HAS(error_of(d, with("  centers = { { city = \"Shanghai\", pools = \"a100:3000000\" } },")),
             "expected at most 2000000 in one pool");

  // The same negative capacity through --set.
  EXPECT_HAS(error_of(d, with("  centers = { { city = \"Shanghai\", pue = 1.2 } },"),
                      {{"centers.1.pools", "a100:-5"}}),
             "key 'centers[1].pools'");
}

TEST(ScenarioLoader, SetOverrides) {
  TempDir d;
  const Scenario sc = load_text(d, kMinimal,
                                {{"duration", "3d"},
                                 {"seed", "17"},
                                 {"params.alpha", "0.5"},
                                 {"params.weights.carbon", "2"},
                                 {"params.label", "abc"},
                                 {"params.flag", "true"},
                                 {"workload.1.rate", "12/h"},
                                 {"workload.2.duration.mean", "1h"},
                                 {"failures.links.1.link", "carrier:ct"},
                                 {"failures.links.1.for", "0s"},
                                 {"price_profile", "{1,1,1,1,1,1,1,1,1,1,1,1,2,2,2,2,2,2,2,2,2,2,2,2}"},
                                 {"centers.Guiyang.price_factor", "0.8"}});
  EXPECT_DOUBLE_EQ(sc.duration_s, 3 * 86400.0);
  EXPECT_EQ(sc.seed, 17u);
  EXPECT_EQ(std::get<double>(sc.params.at("alpha")), 0.5);
  EXPECT_EQ(std::get<double>(sc.params.at("weights.carbon")), 2);
  EXPECT_EQ(std::get<std::string>(sc.params.at("label")), "abc");
  EXPECT_EQ(std::get<bool>(sc.params.at("flag")), true);
  EXPECT_DOUBLE_EQ(sc.workload.generators.at(0).rate_per_s, 12.0 / 3600);
  EXPECT_DOUBLE_EQ(sc.workload.generators.at(1).duration_s.mean, 3600);
  ASSERT_EQ(sc.failures.links.size(), 1u);
  EXPECT_EQ(sc.failures.links[0].link, "carrier:ct");
  EXPECT_EQ(sc.failures.links[0].for_s, 0);
  EXPECT_EQ(sc.price_profile_hourly.at(12), 2);
  const int gy = sc.topology.city_index("Guiyang");
  EXPECT_DOUBLE_EQ(sc.topology.cities[gy].price_cny_per_J,
                   topo::load_topology(sc.topology_path).cities[gy].price_cny_per_J * 0.8);

  // Unknown keys get the same message as in the file, with a suggestion.
  EXPECT_HAS(error_of(d, kMinimal, {{"duraton", "3d"}}),
             "key 'duraton' (from --set duraton): unknown key (did you mean 'duration'?)");
  EXPECT_HAS(error_of(d, kMinimal, {{"workload.1.rte", "1/h"}}), "did you mean 'rate'?");
  EXPECT_HAS(error_of(d, kMinimal, {{"workload.5.rate", "1/h"}}), "out of range");
  EXPECT_HAS(error_of(d, kMinimal, {{"name.x", "1"}}), "not a table");
  EXPECT_HAS(error_of(d, kMinimal, {{"workload.1.rate", "-3/h"}}), "must be > 0");
  // A string that looks like a number stays a number; quotes force a string.
  EXPECT_HAS(error_of(d, kMinimal, {{"name", "'x'"}, {"local_queue", "\"easy\""}}), "");
  EXPECT_EQ(load_text(d, kMinimal, {{"name", "'123'"}}).name, "123");
}

// rate_scale multiplies every generator's rate, and only that.
TEST(ScenarioLoader, RateScale) {
  TempDir d;
  const Scenario one = load_text(d, kMinimal);
  const Scenario ten = load_text(d, kMinimal, {{"rate_scale", "10"}});
  ASSERT_EQ(ten.workload.generators.size(), 2u);
  EXPECT_DOUBLE_EQ(ten.workload.generators[0].rate_per_s, 10 * one.workload.generators[0].rate_per_s);
  EXPECT_DOUBLE_EQ(ten.workload.generators[1].rate_per_s, 10 * one.workload.generators[1].rate_per_s);
  EXPECT_DOUBLE_EQ(ten.workload.generators[1].duration_s.mean, one.workload.generators[1].duration_s.mean);
  EXPECT_HAS(error_of(d, kMinimal, {{"rate_scale", "0"}}), "must be > 0");
  EXPECT_HAS(error_of(d, kMinimal, {{"rate_scale", "'x'"}}), "rate_scale");
}

TEST(ScenarioLoader, LuaErrorsCarryFileAndLine) {
  TempDir d;
  const std::string e = error_of(d, "local x = 1\nlocal y = nil\nreturn { duration = y.z }\n");
  EXPECT_HAS(e, "s.lua:3:");
  const std::string e2 = error_of(d, "return {\n  duration = \"1d\",,\n}\n");
  EXPECT_HAS(e2, "s.lua:2:");
  const std::string e3 = error_of(d, "while true do end");
  EXPECT_HAS(e3, "instruction budget of 100000000");
  EXPECT_HAS(error_of(d, "return { workload = { { rate = print } } }"), "workload[1].rate");
}

TEST(ScenarioLoader, RequireAndDeterministicRandom) {
  TempDir d;
  d.write("common/mix.lua",
          "return { { rate = '10/h', gpus = 1 }, rate_x = math.random(1, 1000000) }\n");
  const std::string text = R"(
local mix = require("common.mix")
local x = math.random(1, 1000000)
return { policy = "random", workload = { mix[1] }, params = { x = x, y = mix.rate_x } }
)";
  const Scenario a = load_text(d, text);
  const Scenario b = load_text(d, text);
  EXPECT_EQ(std::get<double>(a.params.at("x")), std::get<double>(b.params.at("x")));
  EXPECT_EQ(std::get<double>(a.params.at("y")), std::get<double>(b.params.at("y")));
  EXPECT_DOUBLE_EQ(a.workload.generators.at(0).rate_per_s, 10.0 / 3600);
  // The scenario cannot reach outside: io/os are gone, require stays in its folder.
  EXPECT_HAS(error_of(d, "return { x = io.open('/etc/passwd') }"), "s.lua:1:");
  EXPECT_NE(error_of(d, "return require('../../etc/passwd')"), "");
}

TEST(ScenarioLoader, FailuresAndTraces) {
  TempDir d;
  d.write("traces/small.swf", "; header\n1 0 0 3600 4 -1 -1 4 7200 -1 1 1 1 -1 1 -1 -1 -1\n");
  const Scenario sc = load_text(d, R"(
return {
  policy = "least_loaded",
  workload = { { trace = "traces/small.swf", format = "swf", time_scale = 0.5, procs_per_gpu = 1,
                 center = "Guiyang", dataset = "1GB" } },
  failures = {
    links = { { link = "carrier:ct", at = "12h", ["for"] = "12h" } },
    centers = { { city = "Guiyang", at = "1d", ["for"] = "2h" } },
    random = { link_mtbf = "30d", link_mttr = "4h" },
    max_restarts = 3,
  },
})");
  ASSERT_EQ(sc.workload.traces.size(), 1u);
  EXPECT_TRUE(fs::path(sc.workload.traces[0].path).is_absolute());
  EXPECT_TRUE(fs::exists(sc.workload.traces[0].path));
  EXPECT_EQ(sc.workload.traces[0].center, sc.topology.city_index("Guiyang"));
  EXPECT_DOUBLE_EQ(sc.workload.traces[0].time_scale, 0.5);
  EXPECT_DOUBLE_EQ(sc.failures.links.at(0).at_s, 43200);
  EXPECT_DOUBLE_EQ(sc.failures.centers.at(0).for_s, 7200);
  EXPECT_DOUBLE_EQ(sc.failures.random.link_mtbf_s, 30 * 86400.0);
  EXPECT_EQ(sc.failures.max_restarts, 3);
  EXPECT_HAS(error_of(d, with("  failures = { links = { { link = \"carrier:cx\" } } },")),
             "unknown carrier 'cx'");
  EXPECT_HAS(error_of(d, with("  failures = { links = { { link = \"Beijing-Nowhere/ct\" } } },")),
             "no such link");
  EXPECT_HAS(error_of(d, R"(return { workload = { { trace = "missing.swf" } } })"), "trace file not found");
}

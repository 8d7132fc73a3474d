#include "sim/scenario/scenario_reader.hpp"

#include <filesystem>

#include "sim/scenario/backbone_overrides.hpp"
#include "sim/scenario/carbon_reader.hpp"
#include "sim/scenario/center_overrides.hpp"
#include "sim/scenario/failures_reader.hpp"
#include "sim/scenario/load_context.hpp"
#include "sim/scenario/scenario_paths.hpp"
#include "sim/scenario/size_limits.hpp"
#include "sim/scenario/storage_reader.hpp"
#include "sim/scenario/span_reader.hpp"
#include "sim/scenario/sweep_reader.hpp"
#include "sim/scenario/value_readers.hpp"
#include "sim/scenario/workload_reader.hpp"
#include "sim/topology/graphml_reader.hpp"

namespace fs = std::filesystem;

namespace suanwang {

namespace {

using lua::Node;
using lua::TableReader;
using units::Dimension;

// Ranges of the run limits (README "Limits").
constexpr double kMinPolicyMemory_B = 16e6;
constexpr long long kMaxSeed = 1LL << 62;
constexpr long long kMaxInstructionBudget = 1LL << 62;
constexpr double kMaxPolicyMemory_B = 1e12;
constexpr double kMaxHookTimeLimit_s = units::kSecondsPerDay;

const topo::Topology& cached_topology(TopologyCache& cache, const std::string& path) {
  auto it = cache.find(path);
  if (it == cache.end()) it = cache.emplace(path, topo::load_topology(path)).first;
  return it->second;
}

// params: nested tables flattened to dotted keys ("weights.carbon").
void flatten_params(const Node& n, const std::string& prefix, Scenario& sc) {
  if (n.type == Node::Type::table) {
    for (std::size_t i = 0; i < n.items.size(); ++i) flatten_params(n.items[i], prefix + "." + std::to_string(i + 1), sc);
    for (const auto& [k, v] : n.fields) flatten_params(v, prefix + "." + k, sc);
    return;
  }
  const std::string key = prefix.substr(std::string("params.").size());
  if (n.type == Node::Type::boolean) sc.params[key] = n.boolean;
  else if (n.type == Node::Type::number) sc.params[key] = n.number;
  else if (n.type == Node::Type::string) sc.params[key] = n.string;
  else return;
  sc.resolved[prefix] = lua::render_scalar(n);
}

// name, topology, duration, seed.
void read_identity(TableReader& r, const ScenarioSource& src, TopologyCache& cache, Scenario& sc) {
  sc.name = r.string("name", fs::path(src.file).stem().string());
  if (sc.name.empty()) r.fail("name", "must not be empty");
  sc.topology_path = resolve_topology(r, src.dir);
  r.record("topology", sc.topology_path);
  sc.topology = cached_topology(cache, sc.topology_path);
  sc.duration_s = positive_quantity(r, "duration", Dimension::duration, sc.duration_s);
  if (sc.duration_s > kMaxDuration_s) r.fail("duration", "must be at most 1e9 s (~31 years; see README \"Limits\")");
  // Replication r of a sweep runs with seed + r: leave room above.
  sc.seed = static_cast<std::uint64_t>(integer_in(r, "seed", 0, kMaxSeed, static_cast<long long>(sc.seed)));
}

// policy, params, local_queue.
void read_policy(TableReader& r, const std::string& dir, Scenario& sc) {
  const PolicyFile policy = resolve_policy(r, dir);
  sc.policy_path = policy.path;
  sc.policy_name = policy.name;
  r.record("policy", sc.policy_path);
  r.record("policy_name", sc.policy_name);
  if (const Node* p = r.get("params")) {
    if (p->type != Node::Type::table) r.fail_type("params", *p, "a table");
    flatten_params(*p, "params", sc);
  }
  const std::string q = r.choice("local_queue", {"fcfs", "easy", "easy_servers", "none"}, "fcfs");
  sc.local_queue = q == "easy"           ? QueueDiscipline::easy
                   : q == "easy_servers" ? QueueDiscipline::easy_servers
                   : q == "none"         ? QueueDiscipline::none
                                         : QueueDiscipline::fcfs;
}

// output, sample_interval, tick_interval, price_profile.
void read_outputs(TableReader& r, Scenario& sc) {
  if (const auto out = r.opt_string("output")) {
    if (out->empty()) r.fail("output", "must not be empty");
    sc.output_path = fs::path(*out).lexically_normal().string();
  } else {
    sc.output_path = sc.name + ".h5";
    r.record("output", sc.output_path);
  }
  sc.sample_interval_s = positive_quantity(r, "sample_interval", Dimension::duration, sc.sample_interval_s);
  if (sc.duration_s / sc.sample_interval_s > kMaxSamples)
    r.fail("sample_interval", "gives " + format_count(sc.duration_s / sc.sample_interval_s) + " samples over " +
                                  units::format_duration(sc.duration_s) + " (expected at most " +
                                  format_count(kMaxSamples) + ": a longer interval; see README \"Limits\")");
  sc.record_flows = r.boolean("record_flows", sc.record_flows);
  sc.tick_interval_s = nonneg_quantity(r, "tick_interval", Dimension::duration, sc.tick_interval_s);
  if (sc.tick_interval_s > 0 && sc.duration_s / sc.tick_interval_s > kMaxTicks)
    r.fail("tick_interval", "gives " + format_count(sc.duration_s / sc.tick_interval_s) + " ticks over " +
                                units::format_duration(sc.duration_s) + " (expected at most " +
                                format_count(kMaxTicks) + ": a longer interval; see README \"Limits\")");
  sc.price_profile_hourly = read_curve(r, "price_profile", 24, {"flat"});
  for (std::size_t h = 0; h < sc.price_profile_hourly.size(); ++h)
    if (sc.price_profile_hourly[h] > 1000)
      r.fail_at(r.key_path("price_profile") + "[" + std::to_string(h + 1) + "]", "must be at most 1000 (a multiplier of the price)");
}

// node_placement, spread_slowdown, gpu_sharing, pooling_slowdown: how pools
// made of servers are filled.
void read_node_model(TableReader& r, Scenario& sc) {
  NodePolicy policy = sc.node_placement;
  parse_node_policy(r.choice("node_placement", node_policy_names(), to_string(sc.node_placement)), &policy);
  sc.node_placement = policy;
  sc.gpu_pooling = r.choice("gpu_sharing", {"node_bound", "pooled"}, sc.gpu_pooling ? "pooled" : "node_bound") == "pooled";
  sc.pooling_slowdown = r.number("pooling_slowdown", sc.pooling_slowdown);
  if (!(sc.pooling_slowdown >= 0 && sc.pooling_slowdown <= 10))
    r.fail("pooling_slowdown", "must be between 0 and 10 (a fraction: 0.05 = 5% longer)");
  const Node* n = r.get("spread_slowdown");
  if (!n) return;
  if (n->type == Node::Type::number) {
    if (!(n->number >= 0) || !std::isfinite(n->number))
      r.fail("spread_slowdown", "must be a finite number >= 0 (a fraction: 0.05 = 5% longer)");
    for (double& s : sc.spread_slowdown) s = n->number;
    return;
  }
  if (n->type != Node::Type::table) r.fail_type("spread_slowdown", *n, "a fraction, or a table per job kind");
  TableReader k(*n, r.key_path("spread_slowdown"), r.dotted_key("spread_slowdown"), r.ctx());
  for (JobKind kind : {JobKind::training, JobKind::finetune, JobKind::inference}) {
    const double v = k.number(to_string(kind), 0);
    if (!(v >= 0)) k.fail(to_string(kind), "must be >= 0");
    sc.spread_slowdown[static_cast<int>(kind)] = v;
  }
  k.finish();
}

// rate_scale: multiplies every generator's arrival rate (one knob to scale a
// scenario's load: --set rate_scale=10, or a sweep axis). Traces and services
// keep their own rates (time_scale, peak_rate).
void read_rate_scale(TableReader& r, WorkloadSpec& w, double horizon_s) {
  const double k = r.number("rate_scale", 1.0);
  if (!(k > 0 && k <= 1e6)) r.fail("rate_scale", "must be > 0 and <= 1e6 (a factor on every generator's rate)");
  for (std::size_t i = 0; i < w.generators.size(); ++i) {
    GeneratorSpec& g = w.generators[i];
    g.rate_per_s *= k;
    // The draws limit again, at the scaled rate (README "Limits").
    const double draws = generator_draws(g, horizon_s);
    if (!(draws <= kMaxGeneratorDraws))
      r.fail("rate_scale", "makes workload[" + std::to_string(i + 1) + "] ask for about " + format_count(draws) +
                               " arrivals (expected at most " + format_count(kMaxGeneratorDraws) +
                               " per generator; see README \"Limits\")");
  }
}

// on_policy_error, instruction_budget, hook_time_limit, policy_memory,
// vgpu_slices, flow_model.
void read_run_limits(TableReader& r, Scenario& sc) {
  sc.flow_model = r.choice("flow_model", {"bundled", "per_transfer"}, sc.flow_model);
  sc.on_policy_error = r.choice("on_policy_error", {"abort", "reject"}, sc.on_policy_error);
  sc.instruction_budget = static_cast<std::uint64_t>(
      integer_in(r, "instruction_budget", 0, kMaxInstructionBudget, static_cast<long long>(sc.instruction_budget)));
  sc.hook_time_limit_s = nonneg_quantity(r, "hook_time_limit", Dimension::duration, sc.hook_time_limit_s);
  sc.policy_memory_B = nonneg_quantity(r, "policy_memory", Dimension::bytes, sc.policy_memory_B);
  if (sc.hook_time_limit_s > kMaxHookTimeLimit_s)
    r.fail("hook_time_limit", "must be at most 1d (0 turns the limit off)");
  if (sc.policy_memory_B != 0 && (sc.policy_memory_B < kMinPolicyMemory_B || sc.policy_memory_B > kMaxPolicyMemory_B))
    r.fail("policy_memory", "must be 0 (no limit) or between 16 MB (the views of a large network "
                            "need a few MB) and 1 TB");
  sc.vgpu_slices = static_cast<int>(integer_in(r, "vgpu_slices", 1, topo::kMaxVgpuSlices, sc.vgpu_slices));
}

}  // namespace

Scenario read_scenario(const ScenarioSource& src, const Node& root, TopologyCache& cache, const Node** sweep) {
  Scenario sc;
  sc.file = src.file;
  sc.dir = src.dir;
  sc.text = src.text;
  lua::ReadContext tables{src.file, &sc.resolved};
  TableReader r(root, "", "", tables);
  read_identity(r, src, cache, sc);
  const LoadContext lc{src.file, src.dir, &sc.topology, sc.duration_s};
  read_policy(r, src.dir, sc);
  apply_center_overrides(r, lc, sc.topology);
  apply_backbone_overrides(r, sc.topology);
  read_carbon(r, sc.topology);
  sc.reference_chip = lc.chip_id(r.string("reference_chip", sc.reference_chip), "reference_chip");
  std::vector<DatasetSpec> datasets;
  read_storage(r, lc, sc.seed, &sc.storage, &datasets);
  sc.workload = read_workload(r, lc, std::move(datasets));
  read_rate_scale(r, sc.workload, sc.duration_s);
  sc.failures = read_failures(r, lc);
  read_outputs(r, sc);
  read_run_limits(r, sc);
  read_node_model(r, sc);
  read_span_settings(r, sc);
  const Node* sweep_table = r.get("sweep");
  if (sweep_table && sweep_table->type != Node::Type::table) r.fail_type("sweep", *sweep_table, "a table");
  sc.replications = read_replications(r, sweep_table, sc.replications);
  r.finish();
  if (sweep) *sweep = sweep_table;
  return sc;
}

}  // namespace suanwang

#include "sim/scenario/workload_reader.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "sim/core/text.hpp"
#include "sim/scenario/distribution_reader.hpp"
#include "sim/scenario/scenario_paths.hpp"
#include "sim/scenario/size_limits.hpp"
#include "sim/scenario/span_reader.hpp"
#include "sim/scenario/value_readers.hpp"

namespace suanwang {

namespace {

using lua::format_number;
using lua::Node;
using lua::TableReader;
using units::Dimension;

// ---- keys several kinds of entry share

RateProfile read_profile(TableReader& r) {
  RateProfile p;
  p.hourly = read_curve(r, "profile", 24, {"diurnal", "flat"});
  p.daily = read_curve(r, "weekly", 7, {"flat"});
  return p;
}

JobKind read_kind(TableReader& r) {
  JobKind out = JobKind::training;
  parse_job_kind(r.choice("kind", {"training", "finetune", "inference"}, to_string(out)), &out);
  return out;
}

// chip_requirement and chip: chip = "<id>" implies (and needs) "specific".
void read_chip(TableReader& r, const LoadContext& lc, ChipRequirement* req, std::string* chip) {
  const bool has_req = r.has("chip_requirement");
  const std::string rq = r.choice("chip_requirement", {"any", "cuda", "domestic", "specific"}, "any");
  if (const auto c = r.opt_string("chip")) {
    *chip = lc.chip_id(*c, r.key_path("chip"));
    if (has_req && rq != "specific")
      r.fail("chip", "only meaningful with chip_requirement = \"specific\" (got \"" + rq + "\")");
    *req = ChipRequirement::specific;
    r.record("chip_requirement", "specific");
    return;
  }
  r.record("chip", "");
  if (rq == "specific") r.fail("chip_requirement", "\"specific\" needs chip = \"<chip id>\"");
  parse_chip_requirement(rq, req);
}

void read_start_stop(TableReader& r, double* start, double* stop) {
  *start = nonneg_quantity(r, "start", Dimension::duration, *start);
  const auto s = r.opt_quantity("stop", Dimension::duration);
  if (!s) {
    r.record("stop", format_number(*stop));
    return;
  }
  if (!(*s > *start)) r.fail("stop", "must be after start (" + format_number(*start) + " s)");
  *stop = *s;
}

long long read_max_jobs(TableReader& r, long long def) {
  const long long v = r.integer("max_jobs", def);
  if (v == 0 || v < -1) r.fail("max_jobs", "must be a positive number of jobs (or absent)");
  return v;
}

double read_walltime_factor(TableReader& r, double def) {
  const double f = r.number("walltime_factor", def);
  if (!(f >= 1)) r.fail("walltime_factor", "must be >= 1 (walltime = duration x factor)");
  return f;
}

}  // namespace

double generator_draws(const GeneratorSpec& g, double horizon_s) {
  const double end = g.stop_s >= 0 ? std::min(g.stop_s, horizon_s) : horizon_s;
  const double span = std::max(0.0, end - g.start_s);
  const double peak = g.rate_per_s * g.profile.max_multiplier();
  double draws = peak * span;
  const double mean = g.profile.mean_multiplier();
  if (g.max_jobs > 0 && mean > 0) draws = std::min(draws, static_cast<double>(g.max_jobs) * g.profile.max_multiplier() / mean);
  return draws;
}

namespace {

// The arrival candidates a generator draws (thinning: at the profile's peak
// rate, over its span; with max_jobs, about as many as reaching it takes) must
// stay within kMaxGeneratorDraws, or the run would never end.
void check_draws(TableReader& r, const GeneratorSpec& g, double horizon_s) {
  const double draws = generator_draws(g, horizon_s);
  if (!(draws <= kMaxGeneratorDraws))
    r.fail("rate", "asks for about " + format_count(draws) + " arrivals (expected at most " +
                       format_count(kMaxGeneratorDraws) + " per generator: a lower rate, a shorter span or "
                       "max_jobs; see README \"Limits\")");
}

// ---- the three kinds of entry

// data ("origin" | "catalog"), data_mode ("stage" | "stream"), passes.
void read_data_source(TableReader& r, std::size_t datasets, GeneratorSpec& g) {
  const std::string data = r.choice("data", {"origin", "catalog"}, "origin");
  if (data == "origin") {
    g.dataset_B = read_distribution(r, "dataset", Dimension::bytes, g.dataset_B.value, Bound::nonnegative);
    return;
  }
  g.data = DataSource::catalog;
  if (datasets == 0) r.fail("data", "\"catalog\" needs a `datasets` catalog in the scenario");
  if (r.has("dataset")) r.fail("dataset", "not with data = \"catalog\" (the catalog gives each job's dataset and size)");
  g.stream = r.choice("data_mode", {"stage", "stream"}, "stage") == "stream";
  g.passes = r.number("passes", g.passes);
  if (!(g.passes > 0 && g.passes <= 1e6)) r.fail("passes", "must be > 0 and <= 1e6 (reads of the dataset per run)");
}

GeneratorSpec read_generator(TableReader& r, const LoadContext& lc, std::size_t datasets) {
  GeneratorSpec g;
  g.kind = read_kind(r);
  if (!r.has("rate")) r.fail("rate", "missing: a generator needs rate = \"N/h\" (or \"trace\" / \"service\")");
  g.rate_per_s = positive_quantity(r, "rate", Dimension::rate, 0);
  g.profile = read_profile(r);
  g.gpus = read_distribution(r, "gpus", Dimension::fraction, g.gpus.value, Bound::gpus);
  g.cpu_cores = read_distribution(r, "cpu", Dimension::fraction, g.cpu_cores.value, Bound::nonnegative);
  g.memory_B = read_distribution(r, "memory", Dimension::bytes, g.memory_B.value, Bound::nonnegative);
  g.duration_s = read_distribution(r, "duration", Dimension::duration, g.duration_s.value, Bound::positive);
  g.walltime_factor = read_walltime_factor(r, g.walltime_factor);
  read_data_source(r, datasets, g);
  g.result_B = read_distribution(r, "result", Dimension::bytes, g.result_B.value, Bound::nonnegative);
  g.origin = lc.city(r, "origin", false);
  g.center = lc.city(r, "center", true);
  g.latency_bound_s = nonneg_quantity(r, "latency_bound", Dimension::duration, g.latency_bound_s);
  g.checkpoint_interval_s = nonneg_quantity(r, "checkpoint", Dimension::duration, g.checkpoint_interval_s);
  read_chip(r, lc, &g.chip_requirement, &g.chip);
  read_start_stop(r, &g.start_s, &g.stop_s);
  g.max_jobs = read_max_jobs(r, g.max_jobs);
  g.preemptible = r.boolean("preemptible", g.preemptible);
  g.span = read_span(r, g.kind);
  check_draws(r, g, lc.horizon_s);
  return g;
}

// interval, duration ("never" or a duration), shuffle and tune_to: replays in
// list order (trace_readers.hpp). The workload layer checks them again.
void read_list_order(TableReader& r, TraceSpec* t) {
  if (r.has("interval") && r.has("time_scale"))
    r.fail("time_scale", "has no effect with interval (jobs arrive interval apart, in list order)");
  t->interval_s = r.has("interval") ? positive_quantity(r, "interval", Dimension::duration, 0)
                                    : nonneg_quantity(r, "interval", Dimension::duration, 0);
  const Node* d = r.get("duration");
  if (d && d->type == Node::Type::string && d->string == "never") {
    t->duration_s = std::numeric_limits<double>::infinity();
    r.record("duration", "never");
  } else if (d) {
    t->duration_s = positive_quantity(r, "duration", Dimension::duration, 0);
  } else {
    r.record("duration", "trace");
  }
  if (std::isinf(t->duration_s) && t->checkpoint_interval_s > 0)
    r.fail("checkpoint", "a job that never ends needs no checkpoint (duration = \"never\")");
  t->shuffle = r.boolean("shuffle", t->shuffle);
  if (r.has("tune_to")) {
    t->tune_to = positive_quantity(r, "tune_to", Dimension::fraction, 0);
    if (!(t->tune_to <= 100)) r.fail("tune_to", "must be at most 100 (10000% of the center's GPUs)");
  } else {
    r.record("tune_to", "0");
  }
  const auto needs_pod_list = [&](const char* key) {
    if (t->format != TraceFormat::alibaba) r.fail(key, "is for Alibaba pod lists (format = \"alibaba\")");
    if (t->interval_s <= 0)
      r.fail(key, "needs interval = \"<duration>\": the pods then arrive one at a time, in list order");
  };
  if (t->shuffle) needs_pod_list("shuffle");
  if (t->tune_to > 0) needs_pod_list("tune_to");
  if (t->tune_to > 0 && t->center < 0)
    r.fail("tune_to", "needs center = \"<city>\": the center whose GPUs the pod list is tuned to");
}

TraceSpec read_trace(TableReader& r, const LoadContext& lc) {
  TraceSpec t;
  const std::string p = r.string("trace", "");
  if (p.empty()) r.fail("trace", "expected a path to a trace file");
  t.path = resolve_against(lc.dir, p);
  if (!is_file(t.path)) r.fail("trace", "trace file not found: " + t.path);
  r.record("trace", t.path);
  const std::string f = r.choice("format", {"swf", "philly", "alibaba"}, "swf");
  t.format = f == "philly" ? TraceFormat::philly : f == "alibaba" ? TraceFormat::alibaba : TraceFormat::swf;
  t.kind = read_kind(r);
  t.center = lc.city(r, "center", true);
  t.origin = lc.city(r, "origin", false);
  t.time_scale = r.number("time_scale", t.time_scale);
  if (!(t.time_scale > 0)) r.fail("time_scale", "must be > 0");
  t.start_s = nonneg_quantity(r, "start", Dimension::duration, t.start_s);
  t.max_jobs = read_max_jobs(r, t.max_jobs);
  t.procs_per_gpu = r.number("procs_per_gpu", t.procs_per_gpu);
  if (!(t.procs_per_gpu > 0)) r.fail("procs_per_gpu", "must be > 0");
  t.dataset_B = read_distribution(r, "dataset", Dimension::bytes, t.dataset_B.value, Bound::nonnegative);
  t.result_B = read_distribution(r, "result", Dimension::bytes, t.result_B.value, Bound::nonnegative);
  t.walltime_factor = read_walltime_factor(r, t.walltime_factor);
  t.default_duration_s = positive_quantity(r, "default_duration", Dimension::duration, t.default_duration_s);
  t.checkpoint_interval_s = nonneg_quantity(r, "checkpoint", Dimension::duration, t.checkpoint_interval_s);
  t.keep_cpu_only = r.boolean("cpu_only_pods", t.keep_cpu_only);
  read_list_order(r, &t);
  return t;
}

// origins = { "Wuhan", "Chengdu" } (weight 1 each) and/or { Beijing = 2 }:
// a weight per city; absent: the topology's demand weights (an empty vector).
std::vector<double> read_origins(TableReader& r, const LoadContext& lc) {
  const Node* o = r.get("origins");
  if (!o) {
    r.record("origins", "demand_weight");
    return {};
  }
  const topo::Topology& t = *lc.topology;
  std::vector<double> weights(t.cities.size(), 0.0);
  const std::string base = r.key_path("origins");
  if (o->type != Node::Type::table) r.fail_type("origins", *o, "a list of cities or a table city = weight");
  for (std::size_t i = 0; i < o->items.size(); ++i) {
    const std::string p = base + "[" + std::to_string(i + 1) + "]";
    if (o->items[i].type != Node::Type::string) lc.fail(p, "expected a city name");
    weights[lc.city_index(o->items[i].string, p, false)] += 1.0;
  }
  for (const auto& [name, w] : o->fields) {
    const std::string p = base + "." + name;
    if (w.type != Node::Type::number || !(w.number >= 0) || !std::isfinite(w.number))
      lc.fail(p, "expected a finite weight >= 0");
    weights[lc.city_index(name, p, false)] += w.number;
  }
  double sum = 0;
  std::vector<std::string> txt;
  for (std::size_t i = 0; i < weights.size(); ++i) {
    sum += weights[i];
    if (weights[i] > 0) txt.push_back(t.cities[i].name + ":" + format_number(weights[i]));
  }
  if (!(sum > 0)) r.fail("origins", "needs at least one city with a weight > 0");
  r.record("origins", text::join(txt, ","));
  return weights;
}

ServiceSpec read_service(TableReader& r, const LoadContext& lc, const std::vector<ServiceSpec>& earlier) {
  ServiceSpec s;
  s.name = r.string("service", "");
  if (s.name.empty()) r.fail("service", "expected the service's name");
  for (const auto& other : earlier)
    if (other.name == s.name) r.fail("service", "duplicate service name " + text::quote(s.name));
  if (!r.has("peak_rate")) r.fail("peak_rate", "missing: a service needs peak_rate = \"N/s\"");
  s.peak_rate_per_s = positive_quantity(r, "peak_rate", Dimension::rate, 0);
  s.profile = read_profile(r);
  s.service_time_s = positive_quantity(r, "service_time", Dimension::duration, s.service_time_s);
  s.chips = r.number("chips", s.chips);
  if (!(s.chips > 0) || s.chips > kMaxJobGpus)
    r.fail("chips", "must be > 0 and at most " + format_number(kMaxJobGpus) + ", the largest pool there can be (got " +
                        format_number(s.chips) + ")");
  s.center = lc.city(r, "center", true);
  s.origin_weights = read_origins(r, lc);
  s.slo_s = positive_quantity(r, "slo", Dimension::duration, s.slo_s);
  read_start_stop(r, &s.start_s, &s.stop_s);
  read_chip(r, lc, &s.chip_requirement, &s.chip);
  s.lend = r.boolean("lend", s.lend);
  s.slo_target = r.number("slo_target", s.slo_target);
  if (!(s.slo_target > 0 && s.slo_target < 1)) r.fail("slo_target", "must be between 0 and 1 (exclusive)");
  s.lend_interval_s = positive_quantity(r, "lend_interval", Dimension::duration, s.lend_interval_s);
  s.headroom = r.number("headroom", s.headroom);
  if (!(s.headroom >= 0 && s.headroom <= 10)) r.fail("headroom", "must be between 0 and 10 (a fraction)");
  return s;
}

}  // namespace

WorkloadSpec read_workload(TableReader& root, const LoadContext& lc, std::vector<DatasetSpec> datasets) {
  const Node* w = root.get("workload");
  if (!w) root.fail("workload", "missing: a scenario needs a workload list");
  if (w->type != Node::Type::table || !w->fields.empty() || w->items.empty())
    root.fail_type("workload", *w, "a non-empty list of generator, trace or service tables");
  WorkloadSpec out;
  out.datasets = std::move(datasets);
  for (std::size_t i = 0; i < w->items.size(); ++i) {
    const Node& e = w->items[i];
    const std::string path = "workload[" + std::to_string(i + 1) + "]";
    if (e.type != Node::Type::table) lc.fail(path, std::string("expected a table, got ") + e.type_name());
    TableReader r(e, path, "workload." + std::to_string(i + 1), root.ctx());
    const bool is_trace = e.fields.count("trace") > 0, is_service = e.fields.count("service") > 0;
    if (is_trace && is_service) lc.fail(path, "an entry is a trace or a service, not both");
    if (is_trace) out.traces.push_back(read_trace(r, lc));
    else if (is_service) out.services.push_back(read_service(r, lc, out.services));
    else out.generators.push_back(read_generator(r, lc, out.datasets.size()));
    r.finish();
  }
  return out;
}

}  // namespace suanwang

// load_scenario: a Lua scenario file -> Scenario. See scenario.hpp and the
// README "Scenario reference" (the key table) for the contract.
#include <lua5.4/lua.hpp>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "sim/core/text.hpp"
#include "sim/core/user_error.hpp"
#include "sim/lua/lua_sandbox.hpp"
#include "sim/lua/lua_table_reader.hpp"
#include "sim/scenario/scenario.hpp"
#include "sim/topology/graphml_reader.hpp"
#include "sim/topology/link_name.hpp"
#include "sim/topology/pools_text.hpp"

#ifndef SUANWANG_POLICIES_DIR
#define SUANWANG_POLICIES_DIR "policies"
#endif
#ifndef SUANWANG_TOPOLOGY_DIR
#define SUANWANG_TOPOLOGY_DIR "topology"
#endif

namespace fs = std::filesystem;

namespace suanwang {
namespace {

using lua::Node;
using lua::TableReader;
using lua::ReadContext;
using lua::format_number;
using units::Dimension;

constexpr std::uint64_t kScenarioInstructionBudget = 100000000;  // 10^8

const std::vector<std::string>& builtin_policies() {
  static const std::vector<std::string> names = {
      "random", "round_robin", "nearest", "least_loaded", "cheapest_energy", "lowest_carbon",
      "east_data_west_compute", "latency_aware_inference"};
  return names;
}

// Built-in diurnal curve (hour of day of simulated time, t = 0 is 00:00 China
// Standard Time): low at night (0.25 at 03:00-04:00), a morning ramp, a
// working-day plateau and the evening peak (1.55 at 20:00). Mean exactly 1.
const std::vector<double>& diurnal_curve() {
  static const std::vector<double> v = {0.55, 0.40, 0.30, 0.25, 0.25, 0.30, 0.45, 0.70,
                                        0.95, 1.15, 1.25, 1.30, 1.20, 1.25, 1.40, 1.45,
                                        1.45, 1.40, 1.40, 1.50, 1.55, 1.45, 1.15, 0.95};
  return v;
}

bool is_bare_name(const std::string& s) {
  return s.find('/') == std::string::npos && s.find('\\') == std::string::npos;
}
bool ends_with(const std::string& s, const std::string& suf) {
  return s.size() >= suf.size() && s.compare(s.size() - suf.size(), suf.size(), suf) == 0;
}
bool is_file(const fs::path& p) {
  std::error_code ec;
  return fs::is_regular_file(p, ec);
}
std::string resolve_against(const std::string& dir, const std::string& p) {
  fs::path path(p);
  if (path.is_absolute()) return path.lexically_normal().string();
  return (fs::path(dir) / path).lexically_normal().string();
}

std::string join(const std::vector<std::string>& v, const std::string& sep) {
  std::string s;
  for (const auto& x : v) s += (s.empty() ? "" : sep) + x;
  return s;
}

std::string quoted_list(const std::vector<std::string>& v) {
  std::vector<std::string> q;
  for (const auto& x : v) q.push_back("\"" + x + "\"");
  return join(q, ", ");
}

// -------------------------------------------------------------- the builder

struct Builder {
  std::string file;  // as given
  std::string dir;   // absolute folder of the file
  std::map<std::string, topo::Topology>* topo_cache;
  Scenario& sc;
  ReadContext ctx;

  Builder(std::string f, std::string d, std::map<std::string, topo::Topology>* cache, Scenario& s)
      : file(std::move(f)), dir(std::move(d)), topo_cache(cache), sc(s) {
    ctx.file = file;
    ctx.resolved = &sc.resolved;
  }

  const topo::Topology& topology() const { return sc.topology; }

  [[noreturn]] void fail(const std::string& path, const std::string& what) const {
    throw UserError(file, "key '" + path + "'", what);
  }

  // ---- small typed helpers with range checks
  double positive_quantity(TableReader& r, const std::string& key, Dimension dim, double def) {
    const double v = r.quantity(key, dim, def);
    if (!(v > 0)) r.fail(key, "must be > 0 (got " + format_number(v) + ")");
    return v;
  }
  double nonneg_quantity(TableReader& r, const std::string& key, Dimension dim, double def) {
    const double v = r.quantity(key, dim, def);
    if (!(v >= 0)) r.fail(key, "must be >= 0 (got " + format_number(v) + ")");
    return v;
  }
  long long integer_at_least(TableReader& r, const std::string& key, long long min, long long def) {
    const long long v = r.integer(key, def);
    if (v < min) r.fail(key, "must be >= " + std::to_string(min) + " (got " + std::to_string(v) + ")");
    return v;
  }

  int city(TableReader& r, const std::string& key, bool need_center) {
    auto name = r.opt_string(key);
    if (!name) {
      r.record(key, "");
      return -1;
    }
    return city_index(*name, r.key_path(key), need_center);
  }
  int city_index(const std::string& name, const std::string& path, bool need_center) const {
    const int i = topology().city_index(name);
    if (i < 0) {
      const std::string s = topology().suggest_city(name);
      fail(path, "unknown city '" + name + "'" + (s.empty() ? "" : " (did you mean '" + s + "'?)"));
    }
    if (need_center && !topology().cities[i].has_center())
      fail(path, "city '" + name + "' has no computing center");
    return i;
  }

  std::string chip_id(const std::string& id, const std::string& path) const {
    if (topology().accelerator_index(id) >= 0) return id;
    std::vector<std::string> ids;
    for (const auto& a : topology().accelerators) ids.push_back(a.id);
    const std::string s = text::suggest(id, ids);
    fail(path, "unknown chip '" + id + "'" + (s.empty() ? "" : " (did you mean '" + s + "'?)") +
                   "; chips of the catalog: " + join(ids, ", "));
  }

  // ---- distributions
  enum class Bound { positive, nonnegative, gpus };

  void check_value(double v, Bound b, const std::string& path) const {
    if (b == Bound::nonnegative && !(v >= 0)) fail(path, "must be >= 0 (got " + format_number(v) + ")");
    if ((b == Bound::positive || b == Bound::gpus) && !(v > 0))
      fail(path, "must be > 0 (got " + format_number(v) + ")");
    if (b == Bound::gpus && v > 1 && v != std::floor(v))
      fail(path, "a job wants a share of one chip (<= 1) or whole chips (got " + format_number(v) + ")");
  }

  Distribution dist(TableReader& r, const std::string& key, Dimension dim, double def, Bound b) {
    const Node* n = r.get(key);
    const std::string path = r.key_path(key);
    if (!n) {
      r.record(key, format_number(def));
      return Distribution::constant_of(def);
    }
    if (n->type != Node::Type::table) {
      const double v = lua::quantity_of(*n, dim, file, path);
      check_value(v, b, path);
      r.record(key, format_number(v));
      return Distribution::constant_of(v);
    }
    TableReader d(*n, path, r.dotted_key(key), ctx);
    if (!d.has("dist"))
      d.fail("dist", "missing: a distribution table needs dist = \"exp\" | \"lognormal\" | "
                     "\"uniform\" | \"choice\" | \"constant\"");
    const std::string kind =
        d.choice("dist", {"constant", "exp", "exponential", "lognormal", "uniform", "choice"}, "");
    Distribution out;
    auto require = [&](const std::string& k) {
      if (!d.has(k)) d.fail(k, "missing (required by dist = \"" + kind + "\")");
    };
    auto clamp = [&]() {
      if (auto mx = d.opt_quantity("max", dim)) {
        if (!(*mx > 0)) d.fail("max", "must be > 0 (got " + format_number(*mx) + ")");
        out.max = *mx;
      }
    };
    if (kind == "constant") {
      require("value");
      out = Distribution::constant_of(d.quantity("value", dim, 0));
      check_value(out.value, b, d.key_path("value"));
    } else if (kind == "exp" || kind == "exponential") {
      require("mean");
      out.kind = Distribution::Kind::exponential;
      out.mean = d.quantity("mean", dim, 0);
      if (!(out.mean > 0)) d.fail("mean", "must be > 0 (got " + format_number(out.mean) + ")");
      clamp();
    } else if (kind == "lognormal") {
      out.kind = Distribution::Kind::lognormal;
      const bool has_median = d.has("median"), has_mu = d.has("mu");
      if (has_median == has_mu)
        d.fail("median", "a lognormal takes exactly one of median (with a unit) or mu (log of the SI value)");
      if (has_median) {
        const double med = d.quantity("median", dim, 0);
        if (!(med > 0)) d.fail("median", "must be > 0 (got " + format_number(med) + ")");
        out.mu = std::log(med);
        d.record("mu", format_number(out.mu));
      } else {
        out.mu = d.number("mu", 0);
      }
      require("sigma");
      out.sigma = d.number("sigma", 0);
      if (!(out.sigma >= 0)) d.fail("sigma", "must be >= 0 (got " + format_number(out.sigma) + ")");
      clamp();
    } else if (kind == "uniform") {
      require("min");
      require("max");
      out.kind = Distribution::Kind::uniform;
      out.min = d.quantity("min", dim, 0);
      out.max = d.quantity("max", dim, 0);
      if (!(out.min <= out.max))
        d.fail("max", "must be >= min (" + format_number(out.min) + ")");
      check_value(out.min, b == Bound::gpus ? Bound::positive : b, d.key_path("min"));
    } else {  // choice
      require("values");
      out.kind = Distribution::Kind::choice;
      const Node* vals = d.get("values");
      if (vals->type != Node::Type::table || vals->items.empty() || !vals->fields.empty())
        d.fail_type("values", *vals, "a non-empty list of values");
      std::vector<std::string> txt;
      for (std::size_t i = 0; i < vals->items.size(); ++i) {
        const std::string p = d.key_path("values") + "[" + std::to_string(i + 1) + "]";
        const double v = lua::quantity_of(vals->items[i], dim, file, p);
        check_value(v, b, p);
        out.values.push_back(v);
        txt.push_back(format_number(v));
      }
      d.record("values", join(txt, ","));
      if (const Node* w = d.get("weights")) {
        if (w->type != Node::Type::table || !w->fields.empty())
          d.fail_type("weights", *w, "a list of numbers");
        if (w->items.size() != out.values.size())
          d.fail("weights", "has " + std::to_string(w->items.size()) + " entries, values has " +
                                std::to_string(out.values.size()));
        double sum = 0;
        txt.clear();
        for (std::size_t i = 0; i < w->items.size(); ++i) {
          const std::string p = d.key_path("weights") + "[" + std::to_string(i + 1) + "]";
          if (w->items[i].type != Node::Type::number) fail(p, "expected a number");
          const double x = w->items[i].number;
          if (!(x >= 0)) fail(p, "must be >= 0 (got " + format_number(x) + ")");
          sum += x;
          out.weights.push_back(x);
          txt.push_back(format_number(x));
        }
        if (!(sum > 0)) d.fail("weights", "must not all be zero");
        d.record("weights", join(txt, ","));
      } else {
        out.weights.assign(out.values.size(), 1.0);
      }
    }
    d.finish();
    return out;
  }

  // ---- rate profiles: profile = "diurnal" | "flat" | {24 numbers}; weekly = "flat" | {7 numbers}
  std::vector<double> curve(TableReader& r, const std::string& key, std::size_t len,
                            const std::vector<std::string>& names) {
    const Node* n = r.get(key);
    if (!n) {
      r.record(key, "flat");
      return {};
    }
    if (n->type == Node::Type::string) {
      const std::string v = r.choice(key, names, "flat");
      if (v == "diurnal") return diurnal_curve();
      return {};
    }
    if (n->type != Node::Type::table || !n->fields.empty() || n->items.size() != len)
      r.fail(key, "expected " + quoted_list(names) + " or a list of " + std::to_string(len) +
                      " numbers" +
                      (n->type == Node::Type::table
                           ? " (got " + std::to_string(n->items.size()) + " entries)"
                           : " (got " + std::string(n->type_name()) + ")"));
    std::vector<double> out;
    std::vector<std::string> txt;
    for (std::size_t i = 0; i < n->items.size(); ++i) {
      const std::string p = r.key_path(key) + "[" + std::to_string(i + 1) + "]";
      if (n->items[i].type != Node::Type::number) fail(p, "expected a number");
      const double v = n->items[i].number;
      if (!(v >= 0)) fail(p, "must be >= 0 (got " + format_number(v) + ")");
      out.push_back(v);
      txt.push_back(format_number(v));
    }
    r.record(key, join(txt, ","));
    return out;
  }

  RateProfile profile(TableReader& r) {
    RateProfile p;
    p.hourly = curve(r, "profile", 24, {"diurnal", "flat"});
    p.daily = curve(r, "weekly", 7, {"flat"});
    return p;
  }

  void chip_fields(TableReader& r, ChipRequirement* req, std::string* chip) {
    const bool has_req = r.has("chip_requirement");
    const std::string rq =
        r.choice("chip_requirement", {"any", "cuda", "domestic", "specific"}, "any");
    auto c = r.opt_string("chip");
    if (c) {
      *chip = chip_id(*c, r.key_path("chip"));
      if (has_req && rq != "specific")
        r.fail("chip", "only meaningful with chip_requirement = \"specific\" (got \"" + rq + "\")");
      *req = ChipRequirement::specific;
      r.record("chip_requirement", "specific");
      return;
    }
    r.record("chip", "");
    if (rq == "specific") r.fail("chip_requirement", "\"specific\" needs chip = \"<chip id>\"");
    *req = rq == "cuda" ? ChipRequirement::cuda
         : rq == "domestic" ? ChipRequirement::domestic
                            : ChipRequirement::any;
  }

  JobKind kind(TableReader& r, const std::string& def) {
    const std::string k = r.choice("kind", {"training", "finetune", "inference"}, def);
    JobKind out = JobKind::training;
    parse_job_kind(k, &out);
    return out;
  }

  void start_stop(TableReader& r, double* start, double* stop) {
    *start = nonneg_quantity(r, "start", Dimension::duration, 0);
    auto s = r.opt_quantity("stop", Dimension::duration);
    if (!s) {
      r.record("stop", "-1");
      *stop = -1;
      return;
    }
    if (!(*s > *start)) r.fail("stop", "must be after start (" + format_number(*start) + " s)");
    *stop = *s;
  }

  long long max_jobs(TableReader& r) {
    const long long v = r.integer("max_jobs", -1);
    if (v == 0 || v < -1) r.fail("max_jobs", "must be a positive number of jobs (or absent)");
    return v;
  }

  // ---- workload entries
  void generator(TableReader& r) {
    GeneratorSpec g;
    g.kind = kind(r, "training");
    if (!r.has("rate")) r.fail("rate", "missing: a generator needs rate = \"N/h\" (or \"trace\" / \"service\")");
    g.rate_per_s = positive_quantity(r, "rate", Dimension::rate, 0);
    g.profile = profile(r);
    g.gpus = dist(r, "gpus", Dimension::fraction, 1, Bound::gpus);
    g.duration_s = dist(r, "duration", Dimension::duration, units::kSecondsPerHour, Bound::positive);
    g.walltime_factor = r.number("walltime_factor", 1.0);
    if (!(g.walltime_factor >= 1))
      r.fail("walltime_factor", "must be >= 1 (walltime = duration x factor)");
    g.dataset_B = dist(r, "dataset", Dimension::bytes, 0, Bound::nonnegative);
    g.result_B = dist(r, "result", Dimension::bytes, 0, Bound::nonnegative);
    g.origin = city(r, "origin", false);
    g.center = city(r, "center", true);
    g.latency_bound_s = nonneg_quantity(r, "latency_bound", Dimension::duration, 0);
    g.checkpoint_interval_s = nonneg_quantity(r, "checkpoint", Dimension::duration, 0);
    chip_fields(r, &g.chip_requirement, &g.chip);
    start_stop(r, &g.start_s, &g.stop_s);
    g.max_jobs = max_jobs(r);
    r.finish();
    sc.workload.generators.push_back(std::move(g));
  }

  void trace(TableReader& r) {
    TraceSpec t;
    const std::string p = r.string("trace", "");
    if (p.empty()) r.fail("trace", "expected a path to a trace file");
    t.path = resolve_against(dir, p);
    if (!is_file(t.path)) r.fail("trace", "trace file not found: " + t.path);
    r.record("trace", t.path);
    const std::string f = r.choice("format", {"swf", "philly", "alibaba"}, "swf");
    t.format = f == "philly" ? TraceFormat::philly : f == "alibaba" ? TraceFormat::alibaba : TraceFormat::swf;
    t.kind = kind(r, "training");
    t.center = city(r, "center", true);
    t.origin = city(r, "origin", false);
    t.time_scale = r.number("time_scale", 1.0);
    if (!(t.time_scale > 0)) r.fail("time_scale", "must be > 0");
    t.start_s = nonneg_quantity(r, "start", Dimension::duration, 0);
    t.max_jobs = max_jobs(r);
    t.procs_per_gpu = r.number("procs_per_gpu", 1.0);
    if (!(t.procs_per_gpu > 0)) r.fail("procs_per_gpu", "must be > 0");
    t.dataset_B = dist(r, "dataset", Dimension::bytes, 0, Bound::nonnegative);
    t.result_B = dist(r, "result", Dimension::bytes, 0, Bound::nonnegative);
    t.walltime_factor = r.number("walltime_factor", 1.0);
    if (!(t.walltime_factor >= 1)) r.fail("walltime_factor", "must be >= 1");
    t.default_duration_s = positive_quantity(r, "default_duration", Dimension::duration, units::kSecondsPerHour);
    t.checkpoint_interval_s = nonneg_quantity(r, "checkpoint", Dimension::duration, 0);
    r.finish();
    sc.workload.traces.push_back(std::move(t));
  }

  void service(TableReader& r) {
    ServiceSpec s;
    s.name = r.string("service", "");
    if (s.name.empty()) r.fail("service", "expected the service's name");
    for (const auto& other : sc.workload.services)
      if (other.name == s.name) r.fail("service", "duplicate service name '" + s.name + "'");
    if (!r.has("peak_rate")) r.fail("peak_rate", "missing: a service needs peak_rate = \"N/s\"");
    s.peak_rate_per_s = positive_quantity(r, "peak_rate", Dimension::rate, 0);
    s.profile = profile(r);
    s.service_time_s = positive_quantity(r, "service_time", Dimension::duration, 0.05);
    s.chips = r.number("chips", 1);
    if (!(s.chips > 0)) r.fail("chips", "must be > 0 (got " + format_number(s.chips) + ")");
    s.center = city(r, "center", true);
    if (const Node* o = r.get("origins")) {
      s.origin_weights.assign(topology().cities.size(), 0.0);
      const std::string base = r.key_path("origins");
      if (o->type != Node::Type::table) r.fail_type("origins", *o, "a list of cities or a table city = weight");
      for (std::size_t i = 0; i < o->items.size(); ++i) {
        const std::string p = base + "[" + std::to_string(i + 1) + "]";
        if (o->items[i].type != Node::Type::string) fail(p, "expected a city name");
        s.origin_weights[city_index(o->items[i].string, p, false)] += 1.0;
      }
      for (const auto& [name, w] : o->fields) {
        const std::string p = base + "." + name;
        if (w.type != Node::Type::number || !(w.number >= 0)) fail(p, "expected a weight >= 0");
        s.origin_weights[city_index(name, p, false)] += w.number;
      }
      double sum = 0;
      std::vector<std::string> txt;
      for (std::size_t i = 0; i < s.origin_weights.size(); ++i) {
        sum += s.origin_weights[i];
        if (s.origin_weights[i] > 0)
          txt.push_back(topology().cities[i].name + ":" + format_number(s.origin_weights[i]));
      }
      if (!(sum > 0)) r.fail("origins", "needs at least one city with a weight > 0");
      r.record("origins", join(txt, ","));
    } else {
      r.record("origins", "demand_weight");
    }
    s.slo_s = positive_quantity(r, "slo", Dimension::duration, 0.2);
    start_stop(r, &s.start_s, &s.stop_s);
    chip_fields(r, &s.chip_requirement, &s.chip);
    r.finish();
    sc.workload.services.push_back(std::move(s));
  }

  void workload(TableReader& root) {
    const Node* w = root.get("workload");
    if (!w) root.fail("workload", "missing: a scenario needs a workload list");
    if (w->type != Node::Type::table || !w->fields.empty() || w->items.empty())
      root.fail_type("workload", *w, "a non-empty list of generator, trace or service tables");
    for (std::size_t i = 0; i < w->items.size(); ++i) {
      const Node& e = w->items[i];
      const std::string path = "workload[" + std::to_string(i + 1) + "]";
      if (e.type != Node::Type::table) fail(path, std::string("expected a table, got ") + e.type_name());
      TableReader r(e, path, "workload." + std::to_string(i + 1), ctx);
      const bool is_trace = e.fields.count("trace") > 0, is_service = e.fields.count("service") > 0;
      if (is_trace && is_service) fail(path, "an entry is a trace or a service, not both");
      if (is_trace) trace(r);
      else if (is_service) service(r);
      else generator(r);
    }
  }

  // centers[...].pools: a pools text, or a table chip = count (or "NxG"); each
  // is read by the one parser of the grammar (pools_text.hpp).
  std::vector<topo::Pool> pools_override(TableReader& r, const Node& p) {
    const std::string path = r.key_path("pools");
    auto parse = [&](const std::string& text, const std::string& where) {
      topo::PoolsParse parsed = topo::parse_pools(text, topology().accelerators);
      if (!parsed.ok()) fail(where, parsed.error);
      return parsed.pools;
    };
    std::vector<topo::Pool> pools;
    if (p.type == Node::Type::string) {
      pools = parse(p.string, path);
    } else if (p.type == Node::Type::table && p.items.empty()) {
      for (const auto& [chip, n] : p.fields) {
        if (n.type != Node::Type::number && n.type != Node::Type::string)
          fail(path + "." + chip, "expected a chip count or \"NxG\"");
        const std::string size = n.type == Node::Type::number ? format_number(n.number) : n.string;
        for (topo::Pool& pool : parse(chip + ":" + size, path + "." + chip)) pools.push_back(std::move(pool));
      }
    } else {
      r.fail_type("pools", p, "\"chip:count,...\" or a table chip = count");
    }
    if (pools.empty()) fail(path, "needs at least one pool");
    r.record("pools", topo::format_pools(pools));
    return pools;
  }

  // ---- centers: list of { city = ..., ... } or map city -> { ... }
  void center_entry(const Node& e, const std::string& path, const std::string& dotted,
                    const std::string* city_key) {
    if (e.type != Node::Type::table) fail(path, std::string("expected a table, got ") + e.type_name());
    TableReader r(e, path, dotted, ctx);
    CenterOverride c;
    if (city_key) {
      c.city = *city_key;
      if (auto explicit_city = r.opt_string("city"); explicit_city && *explicit_city != *city_key)
        r.fail("city", "disagrees with the table key '" + *city_key + "'");
    } else {
      if (!r.has("city")) r.fail("city", "missing: which city does this entry change?");
      c.city = r.string("city", "");
    }
    r.record("city", c.city);
    const int ci = city_index(c.city, city_key ? path : r.key_path("city"), false);
    for (const auto& o : sc.centers)
      if (o.city == c.city) fail(path, "city '" + c.city + "' is changed twice in centers");
    topo::City& city = sc.topology.cities[ci];

    if (const Node* p = r.get("pools")) {
      city.pools = pools_override(r, *p);
      c.pools = topo::format_pools(city.pools);
    }
    if (auto swap = r.opt_string("swap_to_chip"); swap && *swap != "none" && !swap->empty()) {
      const std::string id = chip_id(*swap, r.key_path("swap_to_chip"));
      if (!city.has_center()) r.fail("swap_to_chip", "city '" + c.city + "' has no computing center");
      c.swap_to_chip = id;
      topo::Pool merged;
      merged.chip = id;
      merged.accel = topology().accelerator_index(id);
      for (const auto& pool : city.pools) merged.count += pool.count;
      city.pools = {merged};
    }
    if (auto pue = r.opt_number("pue")) {
      if (!(*pue >= 1)) r.fail("pue", "must be >= 1 (got " + format_number(*pue) + ")");
      c.pue = *pue;
      city.pue = *pue;
    }
    if (auto price = r.opt_quantity("price", Dimension::price)) {
      if (!(*price >= 0)) r.fail("price", "must be >= 0");
      c.price_cny_per_J = *price;
      city.price_cny_per_J = *price;
    }
    if (auto f = r.opt_number("price_factor")) {
      if (!(*f >= 0)) r.fail("price_factor", "must be >= 0 (got " + format_number(*f) + ")");
      c.price_factor = *f;
      city.price_cny_per_J *= *f;
    }
    r.finish();
    sc.centers.push_back(std::move(c));
  }

  void centers(TableReader& root) {
    const Node* n = root.get("centers");
    if (!n) return;
    if (n->type != Node::Type::table) root.fail_type("centers", *n, "a list of center tables or a table city = {...}");
    for (std::size_t i = 0; i < n->items.size(); ++i)
      center_entry(n->items[i], "centers[" + std::to_string(i + 1) + "]",
                   "centers." + std::to_string(i + 1), nullptr);
    for (const auto& [name, e] : n->fields) center_entry(e, "centers." + name, "centers." + name, &name);
  }

  // ---- failures
  void failures(TableReader& root) {
    const Node* n = root.get("failures");
    if (!n) {
      root.record("failures.max_restarts", std::to_string(sc.failures.max_restarts));
      return;
    }
    if (n->type != Node::Type::table) root.fail_type("failures", *n, "a table");
    TableReader f(*n, "failures", "failures", ctx);
    auto each = [&](const std::string& key, auto&& fn) {
      const Node* l = f.get(key);
      if (!l) return;
      if (l->type != Node::Type::table || !l->fields.empty()) f.fail_type(key, *l, "a list of tables");
      for (std::size_t i = 0; i < l->items.size(); ++i) {
        const std::string p = "failures." + key + "[" + std::to_string(i + 1) + "]";
        if (l->items[i].type != Node::Type::table) fail(p, "expected a table");
        TableReader e(l->items[i], p, "failures." + key + "." + std::to_string(i + 1), ctx);
        fn(e);
        e.finish();
      }
    };
    each("links", [&](TableReader& e) {
      LinkFailure lf;
      if (!e.has("link")) e.fail("link", "missing: \"CityA-CityB/carrier\" or \"carrier:ID\"");
      lf.link = e.string("link", "");
      topo::resolve_link_name(topology(), lf.link, file, "key '" + e.key_path("link") + "'");
      lf.at_s = nonneg_quantity(e, "at", Dimension::duration, 0);
      lf.for_s = nonneg_quantity(e, "for", Dimension::duration, 0);
      sc.failures.links.push_back(lf);
    });
    each("centers", [&](TableReader& e) {
      CenterOutage o;
      if (!e.has("city")) e.fail("city", "missing: which center fails?");
      o.city = e.string("city", "");
      city_index(o.city, e.key_path("city"), true);
      o.at_s = nonneg_quantity(e, "at", Dimension::duration, 0);
      o.for_s = nonneg_quantity(e, "for", Dimension::duration, 0);
      sc.failures.centers.push_back(o);
    });
    if (const Node* rn = f.get("random")) {
      if (rn->type != Node::Type::table) f.fail_type("random", *rn, "a table");
      TableReader r(*rn, "failures.random", "failures.random", ctx);
      auto& rf = sc.failures.random;
      rf.link_mtbf_s = nonneg_quantity(r, "link_mtbf", Dimension::duration, 0);
      rf.link_mttr_s = nonneg_quantity(r, "link_mttr", Dimension::duration, 0);
      rf.center_mtbf_s = nonneg_quantity(r, "center_mtbf", Dimension::duration, 0);
      rf.center_mttr_s = nonneg_quantity(r, "center_mttr", Dimension::duration, 0);
      if (rf.link_mtbf_s > 0 && !(rf.link_mttr_s > 0)) r.fail("link_mttr", "must be > 0 when link_mtbf is set");
      if (rf.center_mtbf_s > 0 && !(rf.center_mttr_s > 0))
        r.fail("center_mttr", "must be > 0 when center_mtbf is set");
      r.finish();
    }
    sc.failures.max_restarts = static_cast<int>(integer_at_least(f, "max_restarts", 0, 10));
    f.finish();
  }

  // ---- params: flattened dotted keys
  void flatten(const Node& n, const std::string& prefix) {
    if (n.type == Node::Type::table) {
      for (std::size_t i = 0; i < n.items.size(); ++i)
        flatten(n.items[i], prefix + "." + std::to_string(i + 1));
      for (const auto& [k, v] : n.fields) flatten(v, prefix + "." + k);
      return;
    }
    const std::string key = prefix.substr(std::string("params.").size());
    if (n.type == Node::Type::boolean) sc.params[key] = n.boolean;
    else if (n.type == Node::Type::number) sc.params[key] = n.number;
    else if (n.type == Node::Type::string) sc.params[key] = n.string;
    else return;
    sc.resolved[prefix] = lua::render_scalar(n);
  }

  // ---- topology and policy paths
  std::string resolve_topology(TableReader& r) {
    const std::string def = std::string(SUANWANG_TOPOLOGY_DIR) + "/china.graphml";
    auto given = r.opt_string("topology");
    if (!given) return def;
    const std::string p = resolve_against(dir, *given);
    if (is_file(p)) return p;
    if (is_bare_name(*given)) {
      for (const std::string& c : {std::string(SUANWANG_TOPOLOGY_DIR) + "/" + *given,
                                   std::string(SUANWANG_TOPOLOGY_DIR) + "/" + *given + ".graphml"})
        if (is_file(c)) return c;
    }
    r.fail("topology", "topology file not found: " + p);
  }

  void resolve_policy(TableReader& r) {
    const std::string v = r.string("policy", "least_loaded");
    if (v.empty()) r.fail("policy", "expected a built-in policy name or a path to a .lua file");
    const bool bare = is_bare_name(v) && !ends_with(v, ".lua");
    if (bare) {
      const std::string p = std::string(SUANWANG_POLICIES_DIR) + "/" + v + ".lua";
      if (is_file(p)) {
        sc.policy_path = p;
        sc.policy_name = v;
        return;
      }
    }
    std::string p = resolve_against(dir, v);
    if (!is_file(p) && !ends_with(p, ".lua") && is_file(p + ".lua")) p += ".lua";
    if (is_file(p)) {
      sc.policy_path = p;
      sc.policy_name = fs::path(p).stem().string();
      return;
    }
    const auto& b = builtin_policies();
    if (bare && std::find(b.begin(), b.end(), v) != b.end())
      r.fail("policy", "built-in policy '" + v + "' not found at " + SUANWANG_POLICIES_DIR + "/" + v + ".lua");
    if (bare) {
      const std::string s = text::suggest(v, b);
      r.fail("policy", "unknown policy '" + v + "'" + (s.empty() ? "" : " (did you mean '" + s + "'?)") +
                           "; built-ins: " + join(b, ", ") + "; or a path to a .lua file");
    }
    r.fail("policy", "policy file not found: " + p);
  }

  const topo::Topology& load_topology_cached(const std::string& path) {
    auto it = topo_cache->find(path);
    if (it == topo_cache->end()) it = topo_cache->emplace(path, topo::load_topology(path)).first;
    return it->second;
  }

  // ---- the root table. Returns the raw sweep node for the caller to validate.
  const Node* build(const Node& root) {
    TableReader r(root, "", "", ctx);
    sc.name = r.string("name", fs::path(file).stem().string());
    if (sc.name.empty()) r.fail("name", "must not be empty");
    sc.topology_path = resolve_topology(r);
    r.record("topology", sc.topology_path);
    sc.topology = load_topology_cached(sc.topology_path);
    sc.duration_s = positive_quantity(r, "duration", Dimension::duration, units::kSecondsPerWeek);
    sc.seed = static_cast<std::uint64_t>(integer_at_least(r, "seed", 0, 1));
    resolve_policy(r);
    r.record("policy", sc.policy_path);
    r.record("policy_name", sc.policy_name);
    if (const Node* p = r.get("params")) {
      if (p->type != Node::Type::table) r.fail_type("params", *p, "a table");
      flatten(*p, "params");
    }
    sc.local_queue = r.choice("local_queue", {"fcfs", "easy"}, "fcfs") == "easy" ? QueueDiscipline::easy
                                                                                 : QueueDiscipline::fcfs;
    centers(r);
    sc.reference_chip = chip_id(r.string("reference_chip", "a100"), "reference_chip");
    workload(r);
    failures(r);
    if (auto out = r.opt_string("output")) {
      if (out->empty()) r.fail("output", "must not be empty");
      sc.output_path = fs::path(*out).lexically_normal().string();
    } else {
      sc.output_path = sc.name + ".h5";
      r.record("output", sc.output_path);
    }
    sc.sample_interval_s = positive_quantity(r, "sample_interval", Dimension::duration, units::kSecondsPerHour);
    sc.tick_interval_s = nonneg_quantity(r, "tick_interval", Dimension::duration, 0);
    sc.price_profile_hourly = curve(r, "price_profile", 24, {"flat"});
    sc.on_policy_error = r.choice("on_policy_error", {"abort", "reject"}, "abort");
    sc.instruction_budget = static_cast<std::uint64_t>(integer_at_least(r, "instruction_budget", 0, 1000000));
    sc.vgpu_slices = static_cast<int>(integer_at_least(r, "vgpu_slices", 1, 10));
    if (sc.vgpu_slices > topo::kMaxVgpuSlices)
      r.fail("vgpu_slices", "must be <= " + std::to_string(topo::kMaxVgpuSlices));
    const bool top_reps = r.has("replications");
    sc.replications = static_cast<int>(integer_at_least(r, "replications", 1, 1));
    const Node* sweep = r.get("sweep");
    if (sweep && sweep->type != Node::Type::table) r.fail_type("sweep", *sweep, "a table");
    if (sweep) {
      auto it = sweep->fields.find("replications");
      if (it != sweep->fields.end() && it->second.type != Node::Type::nil) {
        if (top_reps) r.fail("sweep", "replications is given twice (top level and in sweep)");
        TableReader s(*sweep, "sweep", "sweep", ctx);
        sc.replications = static_cast<int>(integer_at_least(s, "replications", 1, 1));
        sc.resolved["replications"] = std::to_string(sc.replications);
      }
    }
    r.finish();
    return sweep;
  }
};

struct Source {
  std::string file, dir, text;
};

Scenario build_scenario(const Source& src, const Node& root,
                        std::map<std::string, topo::Topology>& cache, const Node** sweep_out) {
  Scenario sc;
  sc.file = src.file;
  sc.dir = src.dir;
  sc.text = src.text;
  Builder b(src.file, src.dir, &cache, sc);
  const Node* sweep = b.build(root);
  if (sweep_out) *sweep_out = sweep;
  return sc;
}

void read_sweep(const Source& src, const Node& root, const Node& sweep, Scenario& sc,
                std::map<std::string, topo::Topology>& cache) {
  auto add_axis = [&](const std::string& key, const Node& values, const std::string& path) {
    if (key.empty() || key.rfind("sweep", 0) == 0 || key == "replications")
      throw UserError(src.file, "key '" + path + "'", "cannot sweep over '" + key + "'");
    if (values.type != Node::Type::table || values.items.empty() || !values.fields.empty())
      throw UserError(src.file, "key '" + path + "'", "expected a non-empty list of values");
    SweepAxis ax;
    ax.key = key;
    for (std::size_t i = 0; i < values.items.size(); ++i) {
      const Node& v = values.items[i];
      if (v.type == Node::Type::table || v.type == Node::Type::nil)
        throw UserError(src.file, "key '" + path + "[" + std::to_string(i + 1) + "]'",
                        "sweep values must be numbers, strings or booleans");
      ax.values.push_back(lua::render_scalar(v));
    }
    for (const auto& other : sc.sweep)
      if (other.key == key) throw UserError(src.file, "key '" + path + "'", "axis given twice");
    sc.sweep.push_back(std::move(ax));
  };
  for (const auto& [k, v] : sweep.fields) {
    if (k == "replications") continue;
    if (k == "axes") {
      if (v.type != Node::Type::table || !v.items.empty())
        throw UserError(src.file, "key 'sweep.axes'", "expected a table key = {values...}");
      for (const auto& [ak, av] : v.fields) add_axis(ak, av, "sweep.axes." + ak);
    } else {
      add_axis(k, v, "sweep." + k);
    }
  }
  if (!sweep.items.empty())
    throw UserError(src.file, "key 'sweep[1]'", "expected named axes, e.g. sweep = { axes = { policy = {...} } }");
  // Every point of every axis must give a valid scenario: a typo in an axis
  // key or value is caught now, not in the middle of a sweep.
  for (const SweepAxis& ax : sc.sweep) {
    std::vector<std::string> txt;
    for (const std::string& value : ax.values) {
      Node copy = root;
      try {
        lua::apply_override(copy, ax.key, value, nullptr);
        build_scenario(src, copy, cache, nullptr);
      } catch (const UserError& e) {
        throw UserError(src.file, "sweep axis '" + ax.key + "' = " + value, e.what());
      }
      txt.push_back(value);
    }
    sc.resolved["sweep." + ax.key] = join(txt, ",");
  }
}

}  // namespace

Scenario load_scenario(const std::string& path, const std::vector<Override>& overrides) {
  Source src;
  src.file = path;
  {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw UserError(path, "", "cannot open the scenario file");
    std::ostringstream ss;
    ss << in.rdbuf();
    src.text = ss.str();
  }
  std::error_code ec;
  fs::path abs = fs::absolute(path, ec);
  src.dir = (ec ? fs::path(path) : abs).parent_path().lexically_normal().string();
  if (src.dir.empty()) src.dir = ".";

  lua::SandboxOptions opt;
  opt.require_dirs = {src.dir};
  opt.instruction_budget = kScenarioInstructionBudget;
  opt.seed = 1;
  lua::Sandbox sandbox(opt);
  lua_State* L = sandbox.L();
  sandbox.run_file(path, 1);
  if (!lua_istable(L, -1)) {
    const std::string got = luaL_typename(L, -1);
    lua_pop(L, 1);
    throw UserError(path, "", "the scenario file must return a table (got " + got +
                                  "); write `return { name = ..., workload = { ... } }`");
  }
  Node root = lua::node_from_lua(L, -1, path, "");
  lua_pop(L, 1);

  auto eval_table = [&](const std::string& text) {
    sandbox.run_string("return " + text, "--set", 1);
    Node n = lua::node_from_lua(L, -1, "--set", "");
    lua_pop(L, 1);
    return n;
  };
  for (const Override& o : overrides) lua::apply_override(root, o.key, o.value, eval_table);

  std::map<std::string, topo::Topology> cache;
  const Node* sweep = nullptr;
  Scenario sc = build_scenario(src, root, cache, &sweep);
  if (sweep) read_sweep(src, root, *sweep, sc, cache);
  return sc;
}

}  // namespace suanwang

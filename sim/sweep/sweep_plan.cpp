#include "sim/sweep/sweep_plan.hpp"

#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "sim/core/user_error.hpp"

namespace suanwang::sweep {

SweepPlan make_plan(const std::vector<SweepAxis>& axes, int replications, std::uint64_t seed) {
  if (replications < 1)
    throw UserError("", "replications", "must be at least 1 (got " + std::to_string(replications) + ")");
  SweepPlan plan;
  plan.axes = axes;
  plan.replications = replications;
  plan.base_seed = seed;
  std::size_t groups = 1;
  for (const auto& ax : axes) {
    if (ax.values.empty()) throw UserError("", "sweep axis '" + ax.key + "'", "has no values");
    if (ax.key == "seed" && replications > 1)
      throw UserError("", "sweep axis 'seed'",
                      "cannot be combined with replications > 1 (replications set the seed)");
    groups *= ax.values.size();
  }
  plan.groups = groups;
  const std::size_t total = groups * static_cast<std::size_t>(replications);
  int width = 4;
  for (std::size_t t = total > 0 ? total - 1 : 0, p = 10000; t >= p; p *= 10) ++width;
  plan.points.reserve(total);
  for (std::size_t g = 0; g < groups; ++g) {
    // Mixed-radix decomposition: last axis fastest.
    std::vector<std::size_t> digit(axes.size());
    std::size_t rest = g;
    for (std::size_t a = axes.size(); a-- > 0;) {
      digit[a] = rest % axes[a].values.size();
      rest /= axes[a].values.size();
    }
    for (int r = 0; r < replications; ++r) {
      SweepPoint p;
      p.index = plan.points.size();
      char buf[32];
      std::snprintf(buf, sizeof buf, "p%0*zu", width, p.index);
      p.id = buf;
      p.group = g;
      p.replication = r;
      for (std::size_t a = 0; a < axes.size(); ++a)
        p.settings.push_back({axes[a].key, axes[a].values[digit[a]]});
      if (replications > 1)
        p.settings.push_back({"seed", std::to_string(seed + static_cast<std::uint64_t>(r))});
      plan.points.push_back(std::move(p));
    }
  }
  return plan;
}

SweepPlan make_plan(const Scenario& sc) { return make_plan(sc.sweep, sc.replications, sc.seed); }

std::string describe_point(const SweepPoint& p) {
  std::string s;
  for (const auto& o : p.settings) {
    if (!s.empty()) s += ' ';
    s += o.key + "=" + o.value;
  }
  return s;
}

namespace {

bool parse_int(const std::string& s, long long& out) {
  if (s.empty()) return false;
  char* end = nullptr;
  errno = 0;
  const long long v = std::strtoll(s.c_str(), &end, 10);
  if (errno != 0 || end == s.c_str() || *end != '\0') return false;
  out = v;
  return true;
}

}  // namespace

Shard parse_shard(const std::string& option, const std::string& text) {
  const auto slash = text.find('/');
  long long i = 0, n = 0;
  if (slash == std::string::npos || !parse_int(text.substr(0, slash), i) ||
      !parse_int(text.substr(slash + 1), n) || n < 1 || i < 1 || i > n)
    throw UserError("", option + " " + text, "expected I/N with 1 <= I <= N (e.g. 2/8)");
  return Shard{static_cast<int>(i), static_cast<int>(n)};
}

std::optional<Shard> shard_from_slurm(const GetEnv& getenv_fn) {
  const char* id_s = getenv_fn("SLURM_ARRAY_TASK_ID");
  const char* count_s = getenv_fn("SLURM_ARRAY_TASK_COUNT");
  if (!id_s || !count_s) return std::nullopt;
  long long id = 0, count = 0, min = 0, step = 1;
  if (!parse_int(id_s, id) || !parse_int(count_s, count) || count < 1)
    throw UserError("", "SLURM_ARRAY_TASK_ID/SLURM_ARRAY_TASK_COUNT",
                    std::string("not integers (") + id_s + ", " + count_s + ")");
  if (const char* m = getenv_fn("SLURM_ARRAY_TASK_MIN"); m && !parse_int(m, min))
    throw UserError("", "SLURM_ARRAY_TASK_MIN", std::string("not an integer: ") + m);
  if (const char* st = getenv_fn("SLURM_ARRAY_TASK_STEP"); st && (!parse_int(st, step) || step < 1))
    throw UserError("", "SLURM_ARRAY_TASK_STEP", std::string("not a positive integer: ") + st);
  if (id < min || (id - min) % step != 0)
    throw UserError("", "SLURM_ARRAY_TASK_ID=" + std::string(id_s),
                    "not in the array's range (min " + std::to_string(min) + ", step " +
                        std::to_string(step) + ")");
  const long long i = (id - min) / step + 1;
  if (i > count)
    throw UserError("", "SLURM_ARRAY_TASK_ID=" + std::string(id_s),
                    "gives shard " + std::to_string(i) + " of " + std::to_string(count) +
                        " (use a contiguous --array=0-" + std::to_string(count - 1) +
                        " or pass --shard I/N)");
  return Shard{static_cast<int>(i), static_cast<int>(count)};
}

std::vector<std::size_t> shard_points(const SweepPlan& plan, const Shard& shard) {
  std::vector<std::size_t> out;
  for (std::size_t k = 0; k < plan.points.size(); ++k)
    if (static_cast<long long>(k % static_cast<std::size_t>(shard.count)) == shard.index - 1)
      out.push_back(k);
  return out;
}

std::string fingerprint(const std::string& scenario_text, const std::vector<Override>& sets,
                        const SweepPlan& plan) {
  std::uint64_t h = 1469598103934665603ull;  // FNV-1a 64
  auto feed = [&](const std::string& s) {
    for (unsigned char c : s) {
      h ^= c;
      h *= 1099511628211ull;
    }
    h ^= 0xff;  // separator
    h *= 1099511628211ull;
  };
  feed("suanwang-sweep-v1");
  feed(scenario_text);
  for (const auto& o : sets) feed("set:" + o.key + "=" + o.value);
  for (const auto& ax : plan.axes) {
    feed("axis:" + ax.key);
    for (const auto& v : ax.values) feed(v);
  }
  feed("reps:" + std::to_string(plan.replications));
  feed("seed:" + std::to_string(plan.base_seed));
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(h));
  return buf;
}

double student_t975(int dof) {
  static const double table[] = {
      0,      12.7062, 4.30265, 3.18245, 2.77645, 2.57058, 2.44691, 2.36462, 2.30600, 2.26216,
      2.22814, 2.20099, 2.17881, 2.16037, 2.14479, 2.13145, 2.11991, 2.10982, 2.10092, 2.09302,
      2.08596, 2.07961, 2.07387, 2.06866, 2.06390, 2.05954, 2.05553, 2.05183, 2.04841, 2.04523,
      2.04227};
  if (dof < 1) return 0;
  if (dof <= 30) return table[dof];
  // Cornish-Fisher expansion around the normal quantile (error < 1e-5 for dof > 30).
  const double z = 1.959963984540054, v = dof;
  const double z3 = z * z * z, z5 = z3 * z * z, z7 = z5 * z * z;
  return z + (z3 + z) / (4 * v) + (5 * z5 + 16 * z3 + 3 * z) / (96 * v * v) +
         (3 * z7 + 19 * z5 + 17 * z3 - 15 * z) / (384 * v * v * v);
}

MeanCi mean_ci95(const std::vector<double>& values) {
  MeanCi r;
  r.n = values.size();
  if (values.empty()) return r;
  double sum = 0;
  for (double v : values) sum += v;
  r.mean = sum / static_cast<double>(r.n);
  if (r.n < 2) return r;
  double ss = 0;
  for (double v : values) ss += (v - r.mean) * (v - r.mean);
  const double sd = std::sqrt(ss / static_cast<double>(r.n - 1));
  r.ci95 = student_t975(static_cast<int>(r.n - 1)) * sd / std::sqrt(static_cast<double>(r.n));
  return r;
}

}  // namespace suanwang::sweep

#include <unistd.h>
#include "sim/sweep/sweep_output.hpp"

#include <hdf5.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <sstream>
#include <stdexcept>

#include "sim/core/user_error.hpp"
#include "sim/core/version.hpp"
#include "sim/record/h5table.hpp"
#include "sim/record/h5util.hpp"
#include "sim/record/hdf5_reader.hpp"

namespace suanwang::sweep {

using h5::check_status;
using h5::Hid;

namespace {

std::string join(const std::vector<std::string>& v, const std::string& sep) {
  std::string s;
  for (std::size_t i = 0; i < v.size(); ++i) s += (i ? sep : "") + v[i];
  return s;
}

std::vector<std::string> split(const std::string& s, char sep) {
  std::vector<std::string> out;
  if (s.empty()) return out;
  std::string cur;
  for (char c : s) {
    if (c == sep) {
      out.push_back(cur);
      cur.clear();
    } else {
      cur += c;
    }
  }
  out.push_back(cur);
  return out;
}

Hid open_rw(const std::string& path) {
  return Hid(H5Fopen(path.c_str(), H5F_ACC_RDWR, H5P_DEFAULT), ("H5Fopen " + path).c_str());
}

std::uint64_t to_u64(const std::string& s) {
  try {
    return std::stoull(s);
  } catch (...) {
    return 0;
  }
}

}  // namespace

SweepMeta make_meta(const Scenario& sc, const SweepPlan& plan, const std::string& fingerprint,
                    const Shard& shard) {
  SweepMeta m;
  m.scenario_name = sc.name;
  m.scenario_file = sc.file;
  m.fingerprint = fingerprint;
  for (const auto& ax : plan.axes) {
    m.axes.push_back(ax.key);
    m.axis_values[ax.key] = join(ax.values, ",");
  }
  m.replications = plan.replications;
  m.base_seed = plan.base_seed;
  m.points_total = plan.points.size();
  m.shard = std::to_string(shard.index) + "/" + std::to_string(shard.count);
  return m;
}

bool has_sweep_meta(const std::string& path) {
  Hdf5Reader r(path);
  return r.exists("sweep");
}

SweepMeta read_meta(const std::string& path) {
  Hdf5Reader r(path);
  if (!r.exists("sweep")) throw UserError(path, "", "has no /sweep group (not a sweep result)");
  const auto a = r.attributes("sweep");
  auto get = [&](const std::string& k) {
    auto it = a.find(k);
    return it == a.end() ? std::string() : it->second;
  };
  SweepMeta m;
  m.scenario_name = get("scenario_name");
  m.scenario_file = get("scenario_file");
  m.fingerprint = get("fingerprint");
  m.axes = split(get("axes"), ',');
  for (const auto& k : m.axes) m.axis_values[k] = get("axis." + k);
  m.replications = static_cast<int>(to_u64(get("replications")));
  if (m.replications < 1) m.replications = 1;
  m.base_seed = to_u64(get("base_seed"));
  m.points_total = to_u64(get("points_total"));
  m.shard = get("shard");
  return m;
}

void create_result_file(const std::string& path) {
  Hid f(H5Fcreate(path.c_str(), H5F_ACC_EXCL, H5P_DEFAULT, H5P_DEFAULT),
        ("H5Fcreate " + path).c_str());
  h5::attr_string(f, "suanwang_version", kVersion);
  h5::attr_string(f, "git_revision", kGitRevision);
  h5::attr_string(f, "format_version", "1.0");
  h5::attr_string(f, "created", h5::iso8601_utc_now());
  Hid g = h5::create_group(f, "runs");
  g.close("H5Gclose runs");
  f.close("H5Fclose");
}

void write_failed_run(const std::string& path, const Scenario& sc, const FailedPoint& p) {
  Hid f = open_rw(path);
  if (!h5::link_exists(f, "runs")) {
    Hid g = h5::create_group(f, "runs");
    g.close("H5Gclose runs");
  }
  Hid r = h5::create_group(f, "runs/" + p.id);
  h5::attr_string(r, "scenario_name", sc.name);
  h5::attr_string(r, "scenario_file", sc.file);
  h5::attr_string(r, "scenario_text", sc.text);
  h5::attr_string(r, "policy_name", sc.policy_name);
  h5::attr_u64(r, "seed", p.seed);
  h5::attr_f64(r, "duration_s", sc.duration_s);
  h5::attr_string(r, "git_revision", kGitRevision);
  h5::attr_string(r, "suanwang_version", kVersion);
  h5::attr_string(r, "status", p.status);
  for (const auto& o : p.settings) h5::attr_string(r, ("sweep." + o.key).c_str(), o.value);
  r.close("H5Gclose run");
  f.close("H5Fclose");
}

std::string run_status(const std::string& path, const std::string& run_id) {
  try {
    std::error_code ec;
    if (!std::filesystem::exists(path, ec)) return "";
    h5::Quiet q;
    Hdf5Reader r(path);
    if (!r.exists("runs/" + run_id)) return "";
    const auto a = r.run_attributes(run_id);
    auto it = a.find("status");
    return it == a.end() ? "" : it->second;
  } catch (...) {
    return "";
  }
}

SweepTotals write_sweep_summary(const std::string& path, const SweepMeta& meta) {
  SweepTotals totals;
  std::vector<std::vector<std::vector<double>>> samples;  // group -> metric -> values
  {
    Hdf5Reader r(path);
    const std::vector<std::string> ids = r.run_ids();   // sorted: plan order
    std::map<std::vector<std::string>, std::size_t> index;
    for (const auto& id : ids) {
      const auto a = r.run_attributes(id);
      std::vector<std::string> key;
      for (const auto& ax : meta.axes) {
        auto it = a.find("sweep." + ax);
        key.push_back(it == a.end() ? std::string() : it->second);
      }
      auto [it, inserted] = index.emplace(key, totals.groups.size());
      if (inserted) {
        GroupStats g;
        g.group = totals.groups.size();
        g.axis_values = key;
        totals.groups.push_back(std::move(g));
        samples.emplace_back(kNumMetrics);
      }
      GroupStats& g = totals.groups[it->second];
      g.run_ids.push_back(id);
      ++totals.runs;
      auto st = a.find("status");
      if (st != a.end() && st->second == "completed" && r.exists("runs/" + id + "/summary")) {
        ++g.completed;
        ++totals.completed;
        const auto s = r.summary(id);
        for (std::size_t k = 0; k < kNumMetrics; ++k) {
          auto v = s.find(kSummaryMetrics[k].name);
          samples[it->second][k].push_back(v == s.end() ? 0.0 : v->second);
        }
      } else {
        ++g.failed;
        ++totals.failed;
      }
    }
  }
  for (std::size_t g = 0; g < totals.groups.size(); ++g)
    for (std::size_t k = 0; k < kNumMetrics; ++k)
      totals.groups[g].metrics[k] = mean_ci95(samples[g][k]);

  Hid f = open_rw(path);
  for (const char* old : {"sweep", "sweep_summary"})
    if (h5::link_exists(f, old)) check_status(H5Ldelete(f, old, H5P_DEFAULT), "H5Ldelete");

  {
    Hid g = h5::create_group(f, "sweep");
    h5::attr_string(g, "description",
                    "Parameter sweep: one run per point under /runs, statistics per "
                    "point-group in /sweep_summary");
    h5::attr_string(g, "scenario_name", meta.scenario_name);
    h5::attr_string(g, "scenario_file", meta.scenario_file);
    h5::attr_string(g, "fingerprint", meta.fingerprint);
    h5::attr_strings(g, "axes", meta.axes);
    for (const auto& k : meta.axes) {
      auto it = meta.axis_values.find(k);
      h5::attr_string(g, ("axis." + k).c_str(), it == meta.axis_values.end() ? "" : it->second);
    }
    h5::attr_u64(g, "replications", static_cast<std::uint64_t>(meta.replications));
    h5::attr_u64(g, "base_seed", meta.base_seed);
    h5::attr_u64(g, "points_total", meta.points_total);
    h5::attr_u64(g, "points_in_file", totals.runs);
    h5::attr_u64(g, "points_completed", totals.completed);
    h5::attr_u64(g, "points_failed", totals.failed);
    h5::attr_string(g, "shard", meta.shard);
    g.close("H5Gclose sweep");
  }

  {
    using h5::FieldKind;
    h5::Layout L;
    const std::size_t f_group = L.add("group", FieldKind::u64, "1");
    std::vector<std::size_t> f_axes;
    for (const auto& ax : meta.axes) f_axes.push_back(L.add(ax, FieldKind::vlen_str, ""));
    const std::size_t f_runs = L.add("runs", FieldKind::u64, "1");
    const std::size_t f_done = L.add("completed", FieldKind::u64, "1");
    const std::size_t f_failed = L.add("failed", FieldKind::u64, "1");
    std::size_t f_mean[kNumMetrics], f_ci[kNumMetrics];
    for (std::size_t k = 0; k < kNumMetrics; ++k) {
      const std::string n = kSummaryMetrics[k].name;
      f_mean[k] = L.add(n + "_mean", FieldKind::f64, kSummaryMetrics[k].units);
      f_ci[k] = L.add(n + "_ci95", FieldKind::f64, kSummaryMetrics[k].units);
    }
    h5::RowBuffer b(&L);
    for (const GroupStats& g : totals.groups) {
      b.begin_row();
      b.u64(f_group, g.group);
      for (std::size_t a = 0; a < f_axes.size(); ++a) b.str(f_axes[a], g.axis_values[a]);
      b.u64(f_runs, g.run_ids.size());
      b.u64(f_done, g.completed);
      b.u64(f_failed, g.failed);
      for (std::size_t k = 0; k < kNumMetrics; ++k) {
        b.f64(f_mean[k], g.metrics[k].mean);
        b.f64(f_ci[k], g.metrics[k].ci95);
      }
    }
    h5::write_table(f, "sweep_summary", L, b,
                    "Per point-group (same axis values across replications): number of runs, "
                    "completed and failed points, and for each metric the mean over completed "
                    "replications (M_mean) and the 95% confidence half-width (M_ci95, Student t "
                    "with n-1 degrees of freedom, 0 when n <= 1)");
  }
  f.close("H5Fclose");
  return totals;
}

namespace {

std::string fmt_value(double v) {
  char buf[64];
  const double a = std::abs(v);
  if (v == 0)
    std::snprintf(buf, sizeof buf, "0");
  else if (a >= 1e6 || a < 1e-3)
    std::snprintf(buf, sizeof buf, "%.3e", v);
  else if (a >= 100)
    std::snprintf(buf, sizeof buf, "%.1f", v);
  else
    std::snprintf(buf, sizeof buf, "%.4g", v);
  return buf;
}

}  // namespace

void print_summary_table(std::FILE* out, const SweepMeta& meta, const SweepTotals& totals) {
  // Columns: axes..., n, then one "mean ± ci" column per metric.
  std::vector<std::string> header = meta.axes;
  header.push_back("n");
  for (const auto& m : kSummaryMetrics)
    header.push_back(std::string(m.name) + (std::string(m.units) == "1" ? "" : ""));
  std::vector<std::vector<std::string>> rows;
  for (const GroupStats& g : totals.groups) {
    std::vector<std::string> row = g.axis_values;
    std::string n = std::to_string(g.completed);
    if (g.failed) n += " (" + std::to_string(g.failed) + " failed)";
    row.push_back(n);
    for (std::size_t k = 0; k < kNumMetrics; ++k) {
      if (g.completed == 0) {
        row.push_back("-");
        continue;
      }
      std::string cell = fmt_value(g.metrics[k].mean);
      if (g.completed > 1) cell += " ± " + fmt_value(g.metrics[k].ci95);
      row.push_back(cell);
    }
    rows.push_back(std::move(row));
  }
  // Display width counts "±" (2 bytes in UTF-8) as one column.
  auto width = [](const std::string& s) {
    std::size_t w = 0;
    for (unsigned char c : s) w += (c & 0xC0) != 0x80;
    return w;
  };
  std::vector<std::size_t> w(header.size());
  for (std::size_t c = 0; c < header.size(); ++c) w[c] = width(header[c]);
  for (const auto& r : rows)
    for (std::size_t c = 0; c < r.size(); ++c) w[c] = std::max(w[c], width(r[c]));
  std::fprintf(out, "sweep %s: %zu points (%zu completed, %zu failed), %d replication%s per group, "
               "mean ± 95%% CI\n",
               meta.scenario_name.c_str(), totals.runs, totals.completed, totals.failed,
               meta.replications, meta.replications == 1 ? "" : "s");
  auto line = [&](const std::vector<std::string>& r) {
    std::string s;
    for (std::size_t c = 0; c < r.size(); ++c) {
      s += (c ? "  " : "");
      const bool left = c < meta.axes.size();
      const std::string pad(w[c] - width(r[c]), ' ');
      s += left ? r[c] + pad : pad + r[c];
    }
    while (!s.empty() && s.back() == ' ') s.pop_back();
    std::fprintf(out, "%s\n", s.c_str());
  };
  line(header);
  for (const auto& r : rows) line(r);
  std::fflush(out);
}

PendingResult::PendingResult(std::string target)
    : target_(std::move(target)), tmp_(target_ + ".tmp-" + std::to_string(::getpid())) {
  std::error_code ec;
  std::filesystem::remove(tmp_, ec);  // a stale one of a recycled pid
  create_result_file(tmp_);
}

PendingResult::~PendingResult() {
  if (committed_) return;
  std::error_code ec;
  std::filesystem::remove(tmp_, ec);
}

void PendingResult::commit() {
  std::error_code ec;
  std::filesystem::rename(tmp_, target_, ec);
  if (ec) throw std::runtime_error(target_ + ": cannot rename " + tmp_ + ": " + ec.message());
  committed_ = true;
}

}  // namespace suanwang::sweep

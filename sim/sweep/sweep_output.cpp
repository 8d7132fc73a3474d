#include "sim/sweep/sweep_output.hpp"

#include <algorithm>
#include <cmath>
#include <map>

#include "sim/record/hdf5_reader.hpp"
#include "sim/record/run_format.hpp"

namespace suanwang::sweep {

namespace rf = run_format;

SweepInfo make_sweep_info(const Scenario& sc, const SweepPlan& plan, const std::string& fingerprint,
                          const Shard& shard) {
  SweepInfo m;
  m.scenario_name = sc.name;
  m.scenario_file = sc.file;
  m.fingerprint = fingerprint;
  for (const auto& ax : plan.axes) {
    m.axes.push_back(ax.key);
    std::string joined;
    for (std::size_t i = 0; i < ax.values.size(); ++i) joined += (i ? "," : "") + ax.values[i];
    m.axis_values[ax.key] = joined;
  }
  m.replications = plan.replications;
  m.base_seed = plan.base_seed;
  m.points_total = plan.points.size();
  m.shard = std::to_string(shard.index) + "/" + std::to_string(shard.count);
  return m;
}

SweepTotals write_sweep_summary(const std::string& path, const SweepInfo& info) {
  constexpr std::size_t kM = rf::kNumSweepMetrics;
  SweepTotals totals;
  std::vector<std::vector<std::vector<double>>> samples;  // group -> metric -> values
  {
    Hdf5Reader r(path);
    std::map<std::vector<std::string>, std::size_t> index;
    for (const auto& id : r.run_ids()) {   // sorted: plan order
      const auto a = r.run_attributes(id);
      std::vector<std::string> key;
      for (const auto& ax : info.axes) {
        auto it = a.find(rf::run_attr::sweep_prefix + ax);
        key.push_back(it == a.end() ? std::string() : it->second);
      }
      auto [it, inserted] = index.emplace(key, totals.groups.size());
      if (inserted) {
        SweepSummaryRow g;
        g.group = totals.groups.size();
        g.axis_values = key;
        totals.groups.push_back(std::move(g));
        samples.emplace_back(kM);
      }
      SweepSummaryRow& g = totals.groups[it->second];
      ++g.runs;
      ++totals.runs;
      auto st = a.find(rf::run_attr::status);
      const bool completed = st != a.end() && st->second == rf::kStatusCompleted &&
                             r.exists(rf::run_path(id) + "/" + rf::run_member::summary);
      if (completed) {
        ++g.completed;
        ++totals.completed;
        const auto s = r.summary(id);
        for (std::size_t k = 0; k < kM; ++k) {
          auto v = s.find(rf::kSweepMetrics[k]);
          samples[it->second][k].push_back(v == s.end() ? 0.0 : v->second);
        }
      } else {
        ++g.failed;
        ++totals.failed;
      }
    }
  }
  for (std::size_t g = 0; g < totals.groups.size(); ++g)
    for (std::size_t k = 0; k < kM; ++k) {
      const MeanCi m = mean_ci95(samples[g][k]);
      totals.groups[g].mean[k] = m.mean;
      totals.groups[g].ci95[k] = m.ci95;
    }
  write_sweep(path, info, totals.groups);
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

void print_summary_table(std::FILE* out, const SweepInfo& meta, const SweepTotals& totals) {
  // Columns: axes..., n, then one "mean ± ci" column per metric.
  std::vector<std::string> header = meta.axes;
  header.push_back("n");
  for (const char* m : run_format::kSweepMetrics) header.push_back(m);
  std::vector<std::vector<std::string>> rows;
  for (const SweepSummaryRow& g : totals.groups) {
    std::vector<std::string> row = g.axis_values;
    std::string n = std::to_string(g.completed);
    if (g.failed) n += " (" + std::to_string(g.failed) + " failed)";
    row.push_back(n);
    for (std::size_t k = 0; k < run_format::kNumSweepMetrics; ++k) {
      if (g.completed == 0) {
        row.push_back("-");
        continue;
      }
      std::string cell = fmt_value(g.mean[k]);
      if (g.completed > 1) cell += " ± " + fmt_value(g.ci95[k]);
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

}  // namespace suanwang::sweep

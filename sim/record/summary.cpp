#include "sim/record/summary.hpp"

#include <algorithm>
#include <cmath>

namespace suanwang {
namespace {

void kahan_add(double& sum, double& c, double x) {
  double y = x - c;
  double t = sum + y;
  c = (t - sum) - y;
  sum = t;
}

double finite_or_zero(double x) { return std::isfinite(x) ? x : 0.0; }

}  // namespace

double percentile_linear(const std::vector<double>& sorted, double q) {
  const std::size_t n = sorted.size();
  if (n == 0) return 0;
  if (n == 1) return sorted[0];
  q = std::clamp(q, 0.0, 1.0);
  // numpy: virtual index (n-1)*q, gamma = fractional part, then _lerp(a, b, g),
  // which for g >= 0.5 computes b - (b-a)*(1-g) (bit-for-bit like numpy).
  const double pos = static_cast<double>(n - 1) * q;
  double lo_d = std::floor(pos);
  std::size_t lo = static_cast<std::size_t>(lo_d);
  if (lo >= n - 1) return sorted[n - 1];
  const double g = pos - lo_d;
  const double a = sorted[lo], b = sorted[lo + 1];
  const double diff = b - a;
  return g >= 0.5 ? b - diff * (1.0 - g) : a + diff * g;
}

void SummaryAccumulator::add(const JobRecord& row) {
  ++counts_.jobs_submitted;
  kahan_add(bytes_sum_, bytes_c_, row.bytes_moved);
  switch (row.status) {
    case JobStatus::completed: {
      if (counts_.jobs_completed == 0) {
        min_submit_ = row.submit_s;
        max_end_ = row.end_s;
      } else {
        min_submit_ = std::min(min_submit_, row.submit_s);
        max_end_ = std::max(max_end_, row.end_s);
      }
      ++counts_.jobs_completed;
      waits_.push_back(row.wait_s);
      kahan_add(wait_sum_, wait_c_, row.wait_s);
      kahan_add(jct_sum_, jct_c_, row.end_s - row.submit_s);
      break;
    }
    case JobStatus::failed: ++counts_.jobs_failed; break;
    case JobStatus::rejected: ++counts_.jobs_rejected; break;
    case JobStatus::unfinished: ++counts_.jobs_unfinished; break;
  }
}

RunSummary SummaryAccumulator::finish(const RunEnd& end) {
  RunSummary s = counts_;
  const std::size_t n = waits_.size();
  if (n > 0) {
    s.mean_wait_s = finite_or_zero(wait_sum_ / static_cast<double>(n));
    s.mean_jct_s = finite_or_zero(jct_sum_ / static_cast<double>(n));
    s.makespan_s = finite_or_zero(max_end_ - min_submit_);
    std::sort(waits_.begin(), waits_.end());
    s.p50_wait_s = finite_or_zero(percentile_linear(waits_, 0.50));
    s.p95_wait_s = finite_or_zero(percentile_linear(waits_, 0.95));
    s.p99_wait_s = finite_or_zero(percentile_linear(waits_, 0.99));
  }
  s.utilization = end.chip_seconds_available > 0
                      ? finite_or_zero(end.busy_chip_seconds / end.chip_seconds_available)
                      : 0.0;
  double e = 0, ec = 0, c = 0, cc = 0, k = 0, kc = 0;
  for (const CenterTotals& t : end.centers) {
    kahan_add(e, ec, t.energy_J);
    kahan_add(c, cc, t.cost_CNY);
    kahan_add(k, kc, t.carbon_kg);
  }
  s.energy_J = finite_or_zero(e);
  s.cost_CNY = finite_or_zero(c);
  s.carbon_kg = finite_or_zero(k);
  s.bytes_moved = finite_or_zero(bytes_sum_);
  reset();
  return s;
}

void SummaryAccumulator::reset() {
  counts_ = RunSummary{};
  waits_.clear();
  waits_.shrink_to_fit();
  wait_sum_ = wait_c_ = jct_sum_ = jct_c_ = bytes_sum_ = bytes_c_ = 0;
  min_submit_ = max_end_ = 0;
}

}  // namespace suanwang

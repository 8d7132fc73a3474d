#include "sim/record/summary.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <stdexcept>

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

namespace {

// Order-preserving map of a double's bits to an unsigned key (and back).
std::uint64_t key_of(double v) {
  std::uint64_t u;
  std::memcpy(&u, &v, sizeof u);
  return (u >> 63) ? ~u : (u | (std::uint64_t{1} << 63));
}
double value_of(std::uint64_t k) {
  const std::uint64_t u = (k >> 63) ? (k & ~(std::uint64_t{1} << 63)) : ~k;
  double v;
  std::memcpy(&v, &u, sizeof v);
  return v;
}

}  // namespace

OrderStatistics::~OrderStatistics() { clear(); }

void OrderStatistics::clear() {
  if (file_) std::fclose(file_);
  file_ = nullptr;
  mem_.clear();
  mem_.shrink_to_fit();
  n_ = 0;
  sorted_ = false;
}

void OrderStatistics::spill() {
  if (!file_) {
    file_ = std::tmpfile();
    if (!file_) throw std::runtime_error("summary: cannot create a temporary file for the waits");
  }
  if (std::fwrite(mem_.data(), sizeof(double), mem_.size(), file_) != mem_.size())
    throw std::runtime_error("summary: cannot write the waits' temporary file (disk full?)");
  mem_.clear();
  sorted_ = false;
}

// Radix selection on the keys, 8 bits a pass: each pass counts, for every
// wanted rank, the next 8 bits of the values that share the bits fixed so far
// (256 counters a rank: the scratch is kilobytes; the file is read through
// mem_, empty once everything is spilled).
std::vector<double> OrderStatistics::select(const std::vector<std::size_t>& ranks) {
  constexpr int kBits = 8;
  constexpr std::size_t kBuckets = std::size_t{1} << kBits;
  const std::size_t m = ranks.size();
  std::vector<std::uint64_t> prefix(m, 0);
  std::vector<std::size_t> rest(ranks);
  std::vector<std::uint64_t> count(m * kBuckets);
  std::vector<double>& block = mem_;
  block.resize(kInMemory);
  for (int pass = 0; pass < 64 / kBits; ++pass) {
    const int shift = 64 - kBits * (pass + 1);
    std::fill(count.begin(), count.end(), 0);
    std::rewind(file_);
    std::size_t got;
    while ((got = std::fread(block.data(), sizeof(double), block.size(), file_)) > 0) {
      for (std::size_t i = 0; i < got; ++i) {
        const std::uint64_t k = key_of(block[i]);
        const std::uint64_t high = pass == 0 ? 0 : k >> (shift + kBits);
        const std::size_t digit = static_cast<std::size_t>((k >> shift) & (kBuckets - 1));
        for (std::size_t r = 0; r < m; ++r)
          if (high == prefix[r]) ++count[r * kBuckets + digit];
      }
    }
    if (std::ferror(file_)) throw std::runtime_error("summary: cannot read the waits' temporary file");
    for (std::size_t r = 0; r < m; ++r) {
      std::size_t d = 0;
      for (; d + 1 < kBuckets && rest[r] >= count[r * kBuckets + d]; ++d) rest[r] -= count[r * kBuckets + d];
      prefix[r] = (prefix[r] << kBits) | d;
    }
  }
  block.clear();
  std::vector<double> out(m);
  for (std::size_t r = 0; r < m; ++r) out[r] = value_of(prefix[r]);
  return out;
}

std::vector<double> OrderStatistics::percentiles(const std::vector<double>& qs) {
  std::vector<double> out;
  if (!file_) {
    if (!sorted_) std::sort(mem_.begin(), mem_.end());
    sorted_ = true;
    for (double q : qs) out.push_back(percentile_linear(mem_, q));
    return out;
  }
  if (!mem_.empty()) spill();
  // The values percentile_linear would read (one selection for all of them),
  // then its arithmetic.
  const std::size_t n = n_;
  std::vector<std::size_t> ranks;
  for (double q : qs) {
    const double pos = static_cast<double>(n - 1) * std::clamp(q, 0.0, 1.0);
    const std::size_t lo = static_cast<std::size_t>(std::floor(pos));
    ranks.push_back(std::min(lo, n - 1));
    ranks.push_back(std::min(lo + 1, n - 1));
  }
  const std::vector<double> v = select(ranks);
  for (std::size_t i = 0; i < qs.size(); ++i) {
    const double pos = static_cast<double>(n - 1) * std::clamp(qs[i], 0.0, 1.0);
    const double lo_d = std::floor(pos);
    if (static_cast<std::size_t>(lo_d) >= n - 1) {
      out.push_back(v[2 * i + 1]);
      continue;
    }
    const double g = pos - lo_d;
    const double a = v[2 * i], b = v[2 * i + 1];
    const double diff = b - a;
    out.push_back(g >= 0.5 ? b - diff * (1.0 - g) : a + diff * g);
  }
  return out;
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
      waits_.add(row.wait_s);
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
    const std::vector<double> p = waits_.percentiles({0.50, 0.95, 0.99});
    s.p50_wait_s = finite_or_zero(p[0]);
    s.p95_wait_s = finite_or_zero(p[1]);
    s.p99_wait_s = finite_or_zero(p[2]);
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
  wait_sum_ = wait_c_ = jct_sum_ = jct_c_ = bytes_sum_ = bytes_c_ = 0;
  min_submit_ = max_end_ = 0;
}

}  // namespace suanwang

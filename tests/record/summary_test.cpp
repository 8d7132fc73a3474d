// SummaryAccumulator: counts, means, numpy-linear percentiles, NaN-free zeros.
#include "sim/record/summary.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <vector>

namespace suanwang {
namespace {

TEST(Percentile, MatchesNumpyLinear) {
  std::vector<double> v{3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5, 8, 9, 7, 9.5, 0.25, 1e6, 0.1};
  std::sort(v.begin(), v.end());
  // Values printed by numpy 1.24: np.percentile(v, 100*q) (== np.quantile, pandas .quantile).
  EXPECT_DOUBLE_EQ(percentile_linear(v, 0.0), 0.1);
  EXPECT_DOUBLE_EQ(percentile_linear(v, 0.1), 0.7750000000000001);
  EXPECT_DOUBLE_EQ(percentile_linear(v, 0.333), 3.0);
  EXPECT_DOUBLE_EQ(percentile_linear(v, 0.5), 5.0);
  EXPECT_DOUBLE_EQ(percentile_linear(v, 0.95), 150008.0749999986);
  EXPECT_DOUBLE_EQ(percentile_linear(v, 0.99), 830001.6149999984);
  EXPECT_DOUBLE_EQ(percentile_linear(v, 1.0), 1e6);
  EXPECT_DOUBLE_EQ(percentile_linear({42.0}, 0.95), 42.0);
  EXPECT_DOUBLE_EQ(percentile_linear({1.0, 2.0}, 0.95), 1.95);
  EXPECT_EQ(percentile_linear({}, 0.5), 0.0);
}

JobRecord row(JobStatus st, double submit, double start, double end, double bytes = 0) {
  JobRecord r;
  r.status = st;
  r.submit_s = submit;
  r.start_s = start;
  r.end_s = end;
  r.wait_s = start >= 0 ? start - submit : -1;
  r.bytes_moved = bytes;
  return r;
}

// Past kInMemory values the waits go to a temporary file and the percentiles
// are selected from it: the same numbers as sorting everything, bit for bit,
// ties and zeros included.
TEST(OrderStatistics, SpilledSelectionEqualsSorting) {
  for (std::size_t n : {OrderStatistics::kInMemory + 1, 2 * OrderStatistics::kInMemory + 12345}) {
    OrderStatistics os;
    std::vector<double> all;
    std::uint64_t x = 88172645463325252ull;
    for (std::size_t i = 0; i < n; ++i) {
      x ^= x << 13; x ^= x >> 7; x ^= x << 17;
      // A third exact zeros (jobs that did not wait), the rest spread over decades.
      const double v = (x % 3 == 0) ? 0.0 : static_cast<double>(x % 1000003) * std::pow(10.0, static_cast<double>(x % 7) - 3);
      os.add(v);
      all.push_back(v);
    }
    std::sort(all.begin(), all.end());
    const std::vector<double> qs{0.0, 0.3, 0.50, 0.95, 0.99, 0.999999, 1.0};
    const std::vector<double> got = os.percentiles(qs);
    ASSERT_EQ(os.size(), n);
    for (std::size_t i = 0; i < qs.size(); ++i)
      EXPECT_EQ(got[i], percentile_linear(all, qs[i])) << "n=" << n << " q=" << qs[i];
  }
}

TEST(Summary, CountsMeansAndTotals) {
  SummaryAccumulator acc;
  acc.add(row(JobStatus::completed, 10, 12, 20, 100));   // wait 2, jct 10
  acc.add(row(JobStatus::completed, 5, 9, 30, 50));      // wait 4, jct 25
  acc.add(row(JobStatus::failed, 0, -1, 40, 7));
  acc.add(row(JobStatus::rejected, 1, -1, -1));
  acc.add(row(JobStatus::unfinished, 2, 3, -1, 1));
  RunEnd end;
  end.chip_seconds_available = 200;
  end.busy_chip_seconds = 50;
  end.centers.push_back({0, 1000, 800, 2, 0.5, 25, 1});
  end.centers.push_back({1, 500, 400, 1, 0.25, 25, 1});
  RunSummary s = acc.finish(end);
  EXPECT_EQ(s.jobs_submitted, 5u);
  EXPECT_EQ(s.jobs_completed, 2u);
  EXPECT_EQ(s.jobs_failed, 1u);
  EXPECT_EQ(s.jobs_rejected, 1u);
  EXPECT_EQ(s.jobs_unfinished, 1u);
  EXPECT_DOUBLE_EQ(s.mean_wait_s, 3);
  EXPECT_DOUBLE_EQ(s.p50_wait_s, 3);
  EXPECT_DOUBLE_EQ(s.p95_wait_s, 3.9);
  EXPECT_DOUBLE_EQ(s.mean_jct_s, 17.5);
  EXPECT_DOUBLE_EQ(s.makespan_s, 25);   // max end 30 - min submit 5 (completed only)
  EXPECT_DOUBLE_EQ(s.utilization, 0.25);
  EXPECT_DOUBLE_EQ(s.energy_J, 1500);
  EXPECT_DOUBLE_EQ(s.cost_CNY, 3);
  EXPECT_DOUBLE_EQ(s.carbon_kg, 0.75);
  EXPECT_DOUBLE_EQ(s.bytes_moved, 158);
  // finish() resets: the next run starts from zero.
  RunSummary again = acc.finish(RunEnd{});
  EXPECT_EQ(again.jobs_submitted, 0u);
}

TEST(Summary, EmptyIsZeroNotNaN) {
  SummaryAccumulator acc;
  acc.add(row(JobStatus::rejected, 1, -1, -1));
  RunSummary s = acc.finish(RunEnd{});
  for (double v : {s.mean_wait_s, s.p50_wait_s, s.p95_wait_s, s.p99_wait_s, s.mean_jct_s,
                   s.makespan_s, s.utilization, s.energy_J, s.cost_CNY, s.carbon_kg,
                   s.bytes_moved}) {
    EXPECT_TRUE(std::isfinite(v));
    EXPECT_EQ(v, 0.0);
  }
  EXPECT_EQ(s.jobs_rejected, 1u);
}

}  // namespace
}  // namespace suanwang

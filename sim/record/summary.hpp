// RunSummary: the headline numbers of one run, and SummaryAccumulator, which
// computes them while job rows stream past.
//
// Definitions (a public contract: written as attributes of /runs/<id>/summary
// and checked against pandas by tests/record/h5py_roundtrip.py):
//   jobs_*            counts of rows by status; jobs_submitted = all rows.
//   *_wait_s          over COMPLETED jobs only: mean and percentiles of wait_s.
//                     Percentiles are numpy's default (method="linear", the
//                     same as pandas Series.quantile): position q*(n-1) in the
//                     sorted values, linearly interpolated.
//   mean_jct_s        over completed jobs, mean of end_s - submit_s.
//   makespan_s        over completed jobs, max end_s - min submit_s.
//   utilization       RunEnd.busy_chip_seconds / RunEnd.chip_seconds_available.
//   energy_J, cost_CNY, carbon_kg
//                     sums over RunEnd.centers (they include idle power, which
//                     no job row carries).
//   bytes_moved       sum over all job rows.
// Every field is 0 (never NaN) when there is nothing to average.
//
// Memory: exact percentiles need every wait. The accumulator keeps the first
// OrderStatistics::kInMemory waits (512 KiB, reserved once) in memory and
// sorts them, as numpy would; past that, blocks of waits go to an unnamed
// temporary file (8 bytes per completed job: 370 MB on disk for 46 million
// jobs) and the percentiles are selected from it exactly (radix selection, 8
// passes of 8 bits, reading the file through the same 512 KiB buffer). RSS
// stays flat whatever the number of jobs: measured, the 8 MiB buffer, its
// doublings and the selection's 11 MiB of scratch were most of what grew
// from a day to a month of bench/scenarios/national_year_2025.lua.
#pragma once

#include <cstdint>
#include <cstdio>
#include <vector>

#include "sim/record/recorder.hpp"

namespace suanwang {

struct RunSummary {
  std::uint64_t jobs_submitted = 0;
  std::uint64_t jobs_completed = 0;
  std::uint64_t jobs_failed = 0;
  std::uint64_t jobs_rejected = 0;
  std::uint64_t jobs_unfinished = 0;
  double mean_wait_s = 0;
  double p50_wait_s = 0;
  double p95_wait_s = 0;
  double p99_wait_s = 0;
  double mean_jct_s = 0;
  double makespan_s = 0;
  double utilization = 0;
  double energy_J = 0;
  double cost_CNY = 0;
  double carbon_kg = 0;
  double bytes_moved = 0;
};

// numpy.percentile(values, 100*q) with the default method="linear".
// `sorted` must be sorted ascending; q in [0, 1]. Empty -> 0.
double percentile_linear(const std::vector<double>& sorted, double q);

// The k-th smallest of many doubles, exactly, in bounded memory (see above).
class OrderStatistics {
 public:
  static constexpr std::size_t kInMemory = std::size_t{1} << 16;
  OrderStatistics() = default;
  OrderStatistics(const OrderStatistics&) = delete;
  OrderStatistics& operator=(const OrderStatistics&) = delete;
  ~OrderStatistics();
  void add(double v) {
    if (mem_.size() == kInMemory) spill();
    if (mem_.capacity() < kInMemory) mem_.reserve(kInMemory);  // once: no doubling
    mem_.push_back(v);
    ++n_;
  }
  std::size_t size() const { return n_; }
  // numpy.percentile(values, 100*q, method="linear") for each q; every value
  // is kept.
  std::vector<double> percentiles(const std::vector<double>& qs);
  void clear();

 private:
  void spill();
  // The values of ascending ranks `ranks` (0-based), from the spill file.
  std::vector<double> select(const std::vector<std::size_t>& ranks);
  std::vector<double> mem_;
  std::FILE* file_ = nullptr;
  std::size_t n_ = 0;
  bool sorted_ = false;
};

class SummaryAccumulator {
 public:
  void add(const JobRecord& row);
  // Computes the summary; the accumulator is reset afterwards (ready for the
  // next run).
  RunSummary finish(const RunEnd& end);
  void reset();

 private:
  RunSummary counts_;
  OrderStatistics waits_;   // completed jobs only (see the memory note above)
  double wait_sum_ = 0, wait_c_ = 0;   // Kahan-compensated sums
  double jct_sum_ = 0, jct_c_ = 0;
  double bytes_sum_ = 0, bytes_c_ = 0;
  double min_submit_ = 0, max_end_ = 0;
};

}  // namespace suanwang

// ClosedLoop: the synthetic workload of the scaling benchmarks, shared by
// bench/engine_scaling (suanwang's engine) and bench/raw_simgrid, so both
// simulate the same job stream.
//
// It holds N jobs in flight: a job enters when the count of jobs entered and
// not yet finished is below N, and the count is topped up at "polls", calendar
// instants spaced so that about max(2, 1% of N) jobs finish between two polls
// (both programs poll at the same rule and draw the same jobs in the same
// order; jobs entering together start together, as the engine's arrival
// batches do). The mean count in flight over the window is reported. Three shapes of job (LoopMode):
//  - jobs:      a vGPU slice (0.1 chip) for Exp(1 h), no data: N jobs computing;
//               placed by the program's least-loaded rule;
//  - transfers: a dataset of LogNormal(median 50 GB, sigma 1, max 2 TB) from an
//               origin drawn by demand to a center drawn uniformly among the
//               others (pinned: no policy), then 1 s of compute, no result:
//               ~N transfers in flight over every (origin, center) route;
//  - mixed:     one chip for Exp(30 min), a 20 GB (LogNormal, sigma 1)
//               dataset in and a 2 GB result out, least-loaded placement: the
//               bench mix in miniature, for cost versus topology size.
// Measurement (LoopWindow): CPU and wall time of the process between the
// `warmup`-th and the (warmup + measure)-th finished job, or fewer when the
// window's CPU time passes max_cpu_s (the count measured is reported).
//
// With SUANWANG_LOOP_TRACE set in the environment, every finished job's
// simulated time goes to stderr ("finished K T"): bench/run.sh compares the
// two programs' traces (same work: equal to the nanosecond with one comm per
// transfer, to rounding with bundles).
//
// Header-only, no SimGrid and no engine: each program drives it from its own
// event loop. Randomness: one std::mt19937_64 seeded by the caller; draws are
// made in the order jobs are issued, so two programs issuing jobs in the same
// order get the same jobs.
#pragma once

#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>
#include <vector>

#include "sim/core/job.hpp"
#include "sim/topology/topology.hpp"

namespace suanwang::bench {

enum class LoopMode { jobs, transfers, mixed };

inline bool parse_loop_mode(const std::string& s, LoopMode* out) {
  if (s == "jobs") *out = LoopMode::jobs;
  else if (s == "transfers") *out = LoopMode::transfers;
  else if (s == "mixed") *out = LoopMode::mixed;
  else return false;
  return true;
}
inline const char* to_string(LoopMode m) {
  return m == LoopMode::jobs ? "jobs" : m == LoopMode::transfers ? "transfers" : "mixed";
}

// CPU seconds of this process so far (user + system).
inline double cpu_seconds() {
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  return static_cast<double>(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
         1e-6 * static_cast<double>(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec);
}
inline double peak_rss_mib() {
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  return static_cast<double>(ru.ru_maxrss) / 1024.0;
}

struct LoopOptions {
  LoopMode mode = LoopMode::jobs;
  long long inflight = 1000;   // N
  long long warmup = -1;       // jobs finished before measuring; -1: min(N, 2000)
  long long measure = 5000;    // jobs finished in the window
  double max_cpu_s = 20;       // the window ends earlier past this much CPU
  std::uint64_t seed = 1;
  long long warmup_jobs() const {
    return std::max<long long>(1, warmup >= 0 ? warmup : std::min<long long>(inflight, 2000));
  }
};

// The job stream.
class LoopJobs {
 public:
  LoopJobs(const topo::Topology& topo, LoopMode mode, std::uint64_t seed) : mode_(mode), rng_(seed) {
    std::vector<double> w;
    for (const topo::City& c : topo.cities) w.push_back(std::max(0.0, c.demand_weight));
    origin_ = std::discrete_distribution<int>(w.begin(), w.end());
    for (int c = 0; c < static_cast<int>(topo.cities.size()); ++c)
      if (topo.cities[c].has_center()) centers_.push_back(c);
  }

  // The next job (submit_s left to the caller; id 0: the engine numbers them).
  Job draw() {
    Job j;
    j.origin = origin_(rng_);
    switch (mode_) {
      case LoopMode::jobs:
        j.kind = JobKind::inference;
        j.gpus = 0.1;
        j.duration_s = exponential(3600.0);
        break;
      case LoopMode::transfers: {
        j.kind = JobKind::training;
        j.gpus = 0.1;
        j.duration_s = 1.0;
        j.dataset_B = std::min(2e12, lognormal(50e9, 1.0));
        // Uniform among the centers other than the origin: every transfer crosses the backbone.
        int c = j.origin;
        while (c == j.origin && centers_.size() > 1)
          c = centers_[std::uniform_int_distribution<std::size_t>(0, centers_.size() - 1)(rng_)];
        j.pinned_center = c;
        break;
      }
      case LoopMode::mixed:
        j.kind = JobKind::finetune;
        j.gpus = 1;
        j.duration_s = exponential(1800.0);
        j.dataset_B = lognormal(20e9, 1.0);
        j.result_B = 2e9;
        break;
    }
    j.walltime_s = j.duration_s;
    return j;
  }

 private:
  double exponential(double mean) { return std::exponential_distribution<double>(1.0 / mean)(rng_); }
  double lognormal(double median, double sigma) {
    return std::lognormal_distribution<double>(std::log(median), sigma)(rng_);
  }
  LoopMode mode_;
  std::mt19937_64 rng_;
  std::discrete_distribution<int> origin_;
  std::vector<int> centers_;
};

// When to top up, and the measurement window.
class LoopWindow {
 public:
  explicit LoopWindow(const LoopOptions& o)
      : o_(o), wall0_(std::chrono::steady_clock::now()), trace_(std::getenv("SUANWANG_LOOP_TRACE") != nullptr) {}

  long long issued() const { return issued_; }
  long long finished() const { return finished_; }
  long long in_flight() const { return issued_ - finished_; }
  bool wants_job() const { return !done_ && in_flight() < o_.inflight; }
  void on_issued() { ++issued_; }

  // A job finished at simulated time now_s; returns true when the window is
  // complete (the caller stops its run).
  bool on_finished(double now_s) {
    if (trace_) std::fprintf(stderr, "finished %lld %.9f\n", finished_, now_s);
    ++finished_;
    if (finished_ == o_.warmup_jobs()) start(now_s);
    if (!measuring_) return false;
    inflight_sum_ += static_cast<double>(in_flight());
    const long long m = finished_ - o_.warmup_jobs();
    if (m >= o_.measure || ((m & 63) == 0 && cpu_seconds() - cpu0_ > o_.max_cpu_s)) {
      end(now_s);
      return true;
    }
    return false;
  }

  // Simulated time of the next poll, called once per poll at now_s: about
  // max(2, 1% of N) jobs finishing in between, at the completion rate seen
  // since the previous poll (since the start at the first ones), within
  // [1 ms, 60 s]. A poll lets one job in even when N are in flight (the one
  // drawn at the previous poll), so fewer than one completion per poll would
  // let the count drift above N; two or more pull it back.
  double next_poll(double now_s) {
    double rate = 0;
    if (now_s > last_poll_s_ && finished_ > last_poll_finished_)
      rate = static_cast<double>(finished_ - last_poll_finished_) / (now_s - last_poll_s_);
    else if (finished_ > 0 && now_s > 0)
      rate = static_cast<double>(finished_) / now_s;
    last_poll_s_ = now_s;
    last_poll_finished_ = finished_;
    if (rate <= 0) return now_s + 1.0;
    const double per_poll = std::max(2.0, 0.01 * static_cast<double>(o_.inflight));
    return now_s + std::clamp(per_poll / rate, 1e-3, 60.0);
  }

  bool done() const { return done_; }

  // One line, key=value, for bench/run.sh.
  void print(const char* program, const char* variant) const {
    const long long m = measured_;
    const double per_us = m > 0 ? 1e6 * cpu_ / static_cast<double>(m) : 0;
    std::printf(
        "%s mode=%s variant=%s inflight=%lld warmup=%lld measured=%lld cpu_s=%.3f wall_s=%.3f "
        "cpu_us_per_job=%.1f wall_us_per_job=%.1f mean_in_flight=%.0f simulated_s=%.1f "
        "setup_cpu_s=%.3f peak_rss_mib=%.1f\n",
        program, to_string(o_.mode), variant, o_.inflight, o_.warmup_jobs(), m, cpu_, wall_,
        per_us, m > 0 ? 1e6 * wall_ / static_cast<double>(m) : 0.0,
        m > 0 ? inflight_sum_ / static_cast<double>(m) : 0.0, sim1_ - sim0_, setup_cpu_,
        peak_rss_mib());
    std::fflush(stdout);
  }

 private:
  void start(double now_s) {
    measuring_ = true;
    setup_cpu_ = cpu_seconds();
    cpu0_ = setup_cpu_;
    wall_start_ = std::chrono::steady_clock::now();
    sim0_ = now_s;
  }
  void end(double now_s) {
    done_ = true;
    measuring_ = false;
    cpu_ = cpu_seconds() - cpu0_;
    wall_ = std::chrono::duration<double>(std::chrono::steady_clock::now() - wall_start_).count();
    measured_ = finished_ - o_.warmup_jobs();
    sim1_ = now_s;
  }

  LoopOptions o_;
  std::chrono::steady_clock::time_point wall0_, wall_start_;
  long long issued_ = 0, finished_ = 0, measured_ = 0, last_poll_finished_ = 0;
  double last_poll_s_ = 0;
  bool measuring_ = false, done_ = false, trace_ = false;
  double cpu0_ = 0, cpu_ = 0, wall_ = 0, setup_cpu_ = 0, sim0_ = 0, sim1_ = 0, inflight_sum_ = 0;
};

}  // namespace suanwang::bench

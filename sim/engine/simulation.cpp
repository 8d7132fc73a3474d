#include "sim/engine/simulation.hpp"

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>

#include <simgrid/s4u.hpp>

#include "sim/core/units.hpp"
#include "sim/core/user_error.hpp"
#include "sim/engine/arrivals.hpp"
#include "sim/engine/engine_state.hpp"
#include "sim/engine/failures.hpp"
#include "sim/engine/meter.hpp"
#include "sim/workload/prefetch_source.hpp"

namespace sg4 = simgrid::s4u;

namespace suanwang {

namespace {

using engine::EngineState;
using engine::Event;
using engine::EventKind;
using engine::Handle;
using engine::Phase;

// Jobs per hand-over from the prefetching worker: large enough that the
// hand-over (a lock and a wake-up) is rare, small enough that the jobs read
// ahead of the simulation (at most three blocks) stay a few hundred KiB.
constexpr std::size_t kPrefetchBlock = 1024;

const char* phase_reason(const engine::ActiveJob& j) {
  if (j.parked) return "transfer waiting for a route at the horizon";
  switch (j.phase) {
    case Phase::dispatching: return "waiting for placement at the horizon";
    case Phase::inbound: return "dataset in transfer at the horizon";
    case Phase::queued: return "queued at the horizon";
    case Phase::running: return "running at the horizon";
    case Phase::outbound: return "result in transfer at the horizon";
  }
  return "unfinished";
}

// Progress on stderr: redrawn in place on a terminal (every 1% of the
// horizon), one line per 10% otherwise. Reads state only, so a quiet run
// gives the same results.
class Progress {
 public:
  Progress(EngineState& st, std::chrono::steady_clock::time_point wall0)
      : st_(st), wall0_(wall0), tty_(::isatty(STDERR_FILENO) != 0), steps_(tty_ ? 100 : 10) {}
  void start() { schedule(1); }
  void on_event() {
    const double f = static_cast<double>(k_) / steps_;
    const double wall =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - wall0_).count();
    std::fprintf(stderr, "%s  %3.0f%%  %s of %s simulated, %llu jobs, %.0f s wall, ETA %.0f s%s",
                 tty_ ? "\r" : "", 100 * f, units::format_duration(st_.now()).c_str(),
                 units::format_duration(st_.sc.duration_s).c_str(),
                 static_cast<unsigned long long>(st_.totals.jobs_submitted), wall, wall * (1 - f) / f,
                 tty_ ? "" : "\n");
    schedule(k_ + 1);
  }
  void finish() const {
    if (tty_) std::fprintf(stderr, "\r%*s\r", 79, "");
  }

 private:
  void schedule(int k) {
    k_ = k;
    if (k < steps_) st_.calendar.schedule(st_.sc.duration_s * k / steps_, EventKind::progress);
  }
  EngineState& st_;
  std::chrono::steady_clock::time_point wall0_;
  bool tty_;
  int steps_;
  int k_ = 0;
};

// One run: the engine's parts and the dispatch of its calendar events.
class Run final : public engine::EventSink {
 public:
  Run(const Scenario& sc, Policy& policy, Recorder& rec, const SimulationOptions& opt,
      std::unique_ptr<JobSource> source, std::chrono::steady_clock::time_point wall0)
      : st_(sc, policy, rec, opt, *this), failures_(st_, sc.seed), meter_(st_),
        arrivals_(st_, std::move(source)), progress_(st_, wall0) {
    for (const auto& s : sc.workload.services) meter_.services().push_back({s});
    st_.service_handles.assign(sc.workload.services.size(), engine::kNoHandle);
  }

  EngineState& state() { return st_; }

  void start() {
    arrivals_.start();
    meter_.start();
    failures_.start();
    if (st_.policy.has_on_tick() && st_.sc.tick_interval_s > 0) {
      next_tick_s_ = st_.sc.tick_interval_s;
      schedule_tick();
    }
    if (!st_.opt.quiet) progress_.start();
  }

  void on_event(const Event& e) override {
    st_.top_level([&] { handle(e); });
  }

  void record_horizon();
  RunEnd finish(double wall_time_s);

 private:
  void handle(const Event& e) {
    switch (e.kind) {
      case EventKind::arrivals: arrivals_.on_event(); break;
      case EventKind::job_end:
        if (current(e)) st_.on_job_end(e.target);
        break;
      case EventKind::flow_start:
        if (current(e)) st_.transfers->on_latency_paid(e.target);
        break;
      case EventKind::sample: meter_.on_sample(); break;
      case EventKind::tick: run_tick(); break;
      case EventKind::failure: failures_.on_event(e.target); break;
      case EventKind::progress: progress_.on_event(); break;
      case EventKind::span_step:
        if (current(e)) st_.spanning->on_step(e.target);
        break;
      case EventKind::lend:
        if (e.gen == st_.colocation->gen(static_cast<int>(e.target)))
          st_.colocation->on_lend_event(static_cast<int>(e.target));
        break;
    }
  }
  // Whether a job event is still meant (not cancelled by a kill, a reroute...).
  bool current(const Event& e) {
    const engine::ActiveJob& j = st_.jobs[e.target];
    return j.in_use && j.gen == e.gen;
  }
  // Ticks at k x interval, as a running sum (like the samples).
  void schedule_tick() {
    if (next_tick_s_ < st_.sc.duration_s) st_.calendar.schedule(next_tick_s_, EventKind::tick);
  }
  void run_tick() {
    next_tick_s_ += st_.sc.tick_interval_s;
    schedule_tick();
    try {
      st_.hooks.on_tick();
    } catch (const UserError& e) {
      st_.policy_failed(engine::kNoHandle, e.what());
    }
    st_.capacity_changed();
  }

  EngineState st_;
  engine::FailureInjector failures_;
  engine::Meter meter_;
  engine::Arrivals arrivals_;
  Progress progress_;
  double next_tick_s_ = 0;
};

// The horizon: meter the last interval, then account for every job still in
// the system, by id, so nothing is silently dropped.
void Run::record_horizon() {
  const double horizon = st_.sc.duration_s;
  st_.transfers->record_horizon();  // first: settling parts and streams below abandons their flows
  meter_.sample(horizon);
  for (std::size_t c = 0; c < st_.net.centers.size(); ++c)
    if (st_.center_down_since[c] >= 0) st_.center_down_total_s[c] += horizon - st_.center_down_since[c];
  st_.spanning->settle(horizon);  // parts are not jobs: charged and recorded, then gone
  std::vector<std::pair<std::uint64_t, Handle>> left;
  for (Handle h = 0; h < st_.jobs.size(); ++h)
    if (st_.jobs[h].in_use) left.emplace_back(st_.jobs[h].job.id, h);
  std::sort(left.begin(), left.end());
  st_.colocation->settle(horizon);
  for (const auto& [id, h] : left) {
    engine::ActiveJob& j = st_.jobs[h];
    if (j.phase == Phase::running) st_.charge_job_energy(j, j.start_s, horizon);
    st_.finish_job(h, JobStatus::unfinished, phase_reason(j));
  }
}

RunEnd Run::finish(double wall_time_s) {
  const double horizon = st_.sc.duration_s;
  RunEnd end;
  end.status = "completed";
  end.simulated_s = horizon;
  end.busy_chip_seconds = st_.busy_chip_seconds;
  for (std::size_t c = 0; c < st_.net.centers.size(); ++c)
    end.chip_seconds_available +=
        st_.net.centers[c].total_chips * (horizon - st_.center_down_total_s[c]);
  end.centers = meter_.totals();
  for (const auto& s : st_.sc.workload.services) end.services.push_back(s.name);
  end.dataset_requests = st_.data->requests();
  end.dataset_served = st_.data->cache_served();
  end.storage_read_B = st_.data->site_read_B();
  end.traffic = st_.traffic();
  end.wall_time_s = wall_time_s;
  progress_.finish();
  return end;
}

RunTotals totals_of(const EngineState& st, const RunEnd& end) {
  RunTotals t = st.totals;
  t.wall_time_s = end.wall_time_s;
  t.simulated_s = end.simulated_s;
  for (const auto& c : end.centers) {
    t.energy_J += c.energy_J;
    t.cost_CNY += c.cost_CNY;
    t.carbon_kg += c.carbon_kg;
  }
  t.busy_chip_seconds = end.busy_chip_seconds;
  t.chip_seconds_available = end.chip_seconds_available;
  return t;
}

}  // namespace

RunTotals run_simulation(const Scenario& sc, Policy& policy, Recorder& recorder, RunInfo info,
                         const SimulationOptions& options) {
  // The stream is drawn ahead on another core (prefetch_source.hpp).
  return run_simulation(sc, policy, recorder, std::move(info), options,
                        std::make_unique<PrefetchSource>(
                            make_job_source(sc.workload, sc.topology, sc.seed, sc.duration_s), kPrefetchBlock));
}

RunTotals run_simulation(const Scenario& sc, Policy& policy, Recorder& recorder, RunInfo info,
                         const SimulationOptions& options, std::unique_ptr<JobSource> source) {
  const auto wall0 = std::chrono::steady_clock::now();
  // SimGrid reads its own options from argv; keep it quiet and deterministic.
  int argc = 2;
  char arg0[] = "suanwang";
  char arg1[] = "--log=root.thres:critical";
  char* argv[] = {arg0, arg1, nullptr};
  sg4::Engine e(&argc, argv);
  configure_wan_model();

  Run run(sc, policy, recorder, options, std::move(source), wall0);
  EngineState& st = run.state();
  std::vector<Platform::Store> stores;
  for (const StorageSite& site : sc.storage.sites) stores.push_back({site.city, site.read_Bps});
  st.platform = std::make_unique<Platform>(sc.topology, *st.routes, stores);
  engine::FlowModelKind flows = engine::FlowModelKind::bundled;
  engine::parse_flow_model(sc.flow_model, &flows);
  st.transfers = std::make_unique<engine::Transfers>(st, flows);
  // The run's identity and network come whole from make_run_info (sim/record/run_info.hpp).
  recorder.begin_run(info);
  run.start();
  e.run_until(sc.duration_s);
  if (st.stopped()) {
    if (st.internal_error()) throw std::runtime_error(st.fatal_error());
    throw UserError(st.fatal_error());
  }
  run.record_horizon();
  st.transfers->cancel_all();
  const RunEnd end = run.finish(
      std::chrono::duration<double>(std::chrono::steady_clock::now() - wall0).count());
  recorder.end_run(end);
  return totals_of(st, end);
}

}  // namespace suanwang

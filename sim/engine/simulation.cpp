#include "sim/core/units.hpp"
#include <unistd.h>
#include "sim/engine/simulation.hpp"

#include <chrono>
#include <cstdio>
#include <optional>

#include <simgrid/plugins/energy.h>
#include <simgrid/s4u.hpp>

#include "sim/core/user_error.hpp"
#include "sim/engine/engine_state.hpp"
#include "sim/engine/failures.hpp"
#include "sim/engine/meter.hpp"

namespace sg4 = simgrid::s4u;

namespace suanwang {

namespace {

// An actor body that ends quietly when a policy error stopped the run.
template <class F>
auto guarded(F body) {
  return [body]() mutable {
    try {
      body();
    } catch (const engine::PolicyAbort&) {
    }
  };
}

using engine::EngineState;
using engine::Handle;

// The arrivals actor: merges the job stream with the inference services'
// deployments and hands each batch of simultaneous arrivals to the dispatcher.
class Arrivals {
 public:
  Arrivals(EngineState& st, std::unique_ptr<JobSource> source)
      : st_(st), source_(std::move(source)) {
    for (std::size_t i = 0; i < st.sc.workload.services.size(); ++i) {
      const ServiceSpec& s = st.sc.workload.services[i];
      Job j;
      j.kind = JobKind::inference;
      j.origin = s.center >= 0 ? s.center : most_demanding_city(st.topo);
      j.pinned_center = s.center;
      j.submit_s = s.start_s;
      j.gpus = s.chips;
      const double stop = s.stop_s >= 0 ? std::min(s.stop_s, st.sc.duration_s) : st.sc.duration_s;
      j.duration_s = std::max(1.0, stop - s.start_s);
      j.walltime_s = j.duration_s;
      j.chip_requirement = s.chip_requirement;
      j.chip = s.chip;
      services_.push_back({j, static_cast<int>(i)});
    }
    std::stable_sort(services_.begin(), services_.end(),
                     [](const auto& a, const auto& b) { return a.first.submit_s < b.first.submit_s; });
  }

  void operator()() {
    std::optional<Job> next = source_->next();
    std::size_t si = 0;
    std::vector<Handle> batch;
    for (;;) {
      const bool have_job = next.has_value();
      const bool have_svc = si < services_.size();
      if (!have_job && !have_svc) return;
      const double t = !have_svc ? next->submit_s
                       : !have_job ? services_[si].first.submit_s
                                   : std::min(next->submit_s, services_[si].first.submit_s);
      if (t >= st_.sc.duration_s) return;
      if (t > sg4::Engine::get_clock()) sg4::this_actor::sleep_until(t);
      if (st_.stopped()) return;
      batch.clear();
      while (si < services_.size() && services_[si].first.submit_s <= t) {
        const Handle h = st_.admit(services_[si].first);
        st_.job(h).service = services_[si].second;
        st_.service_handles[services_[si].second] = h;
        batch.push_back(h);
        ++si;
      }
      while (next && next->submit_s <= t) {
        batch.push_back(st_.admit(*next));
        next = source_->next();
      }
      st_.submit_batch(batch);
      if (st_.stopped()) return;
    }
  }

 private:
  static int most_demanding_city(const topo::Topology& topo) {
    int best = 0;
    for (int i = 1; i < static_cast<int>(topo.cities.size()); ++i)
      if (topo.cities[i].demand_weight > topo.cities[best].demand_weight) best = i;
    return best;
  }
  EngineState& st_;
  std::unique_ptr<JobSource> source_;
  std::vector<std::pair<Job, int>> services_;
};

const char* phase_reason(engine::Phase p) {
  switch (p) {
    case engine::Phase::dispatching: return "waiting for placement at the horizon";
    case engine::Phase::inbound: return "dataset in transfer at the horizon";
    case engine::Phase::queued: return "queued at the horizon";
    case engine::Phase::running: return "running at the horizon";
    case engine::Phase::outbound: return "result in transfer at the horizon";
    case engine::Phase::parked: return "transfer waiting for a route at the horizon";
  }
  return "unfinished";
}

}  // namespace

RunTotals run_simulation(const Scenario& sc, Policy& policy, Recorder& recorder, RunInfo info,
                         const SimulationOptions& options) {
  return run_simulation(sc, policy, recorder, std::move(info), options,
                        make_job_source(sc.workload, sc.topology, sc.seed, sc.duration_s));
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
  sg_host_energy_plugin_init();

  EngineState st(sc, policy, recorder, options);
  st.platform = std::make_unique<Platform>(sc.topology, *st.routes, st.slices);
  st.service_handles.assign(sc.workload.services.size(), engine::kNoHandle);

  // The run's identity and network come whole from make_run_info (sim/record/run_info.hpp).
  const auto& topo = sc.topology;
  recorder.begin_run(info);

  engine::FailureInjector failures(st, sc.seed);
  engine::Meter meter(st);
  for (const auto& s : sc.workload.services) meter.services().push_back({s});
  Arrivals arrivals(st, std::move(source));

  sg4::Host* control = st.platform->control();
  for (std::size_t c = 0; c < st.net.centers.size(); ++c) {
    st.agents.push_back(std::make_unique<engine::CenterAgent>(st, static_cast<int>(c)));
  }
  for (auto& a : st.agents) {
    engine::CenterAgent* agent = a.get();
    sg4::Actor::create("center/" + topo.cities[st.net.centers[agent->center()].city].name, control,
                       guarded([agent] { (*agent)(); }));
  }
  sg4::Actor::create("arrivals", control, guarded([&arrivals] { arrivals(); }));
  sg4::Actor::create("meter", control, guarded([&meter] { meter(); }));
  if (!failures.empty()) sg4::Actor::create("failures", control, guarded([&failures] { failures(); }));
  if (policy.has_on_tick() && sc.tick_interval_s > 0) {
    sg4::Actor::create("tick", control, guarded([&st] {
      for (double t = st.sc.tick_interval_s; t < st.sc.duration_s; t += st.sc.tick_interval_s) {
        sg4::this_actor::sleep_until(t);
        st.run_tick();
        if (st.stopped()) return;
      }
    }));
  }

  if (!options.quiet) {
    // Progress on stderr: redrawn in place on a terminal (every 1% of the
    // horizon), one line per 10% otherwise. Reads state only, so a quiet run
    // gives the same results.
    const bool tty = ::isatty(STDERR_FILENO) != 0;
    sg4::Actor::create("progress", control, guarded([&st, wall0, tty] {
      const int steps = tty ? 100 : 10;
      for (int k = 1; k < steps; ++k) {
        sg4::this_actor::sleep_until(st.sc.duration_s * k / steps);
        if (st.stopped()) return;
        const double f = static_cast<double>(k) / steps;
        const double wall =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - wall0).count();
        std::fprintf(stderr, "%s  %3.0f%%  %s of %s simulated, %llu jobs, %.0f s wall, ETA %.0f s%s",
                     tty ? "\r" : "", 100 * f, units::format_duration(sg4::Engine::get_clock()).c_str(),
                     units::format_duration(st.sc.duration_s).c_str(),
                     static_cast<unsigned long long>(st.totals.jobs_submitted), wall,
                     wall * (1 - f) / f, tty ? "" : "\n");
      }
      if (tty) std::fprintf(stderr, "\r%*s\r", 79, "");
    }));
  }

  e.run_until(sc.duration_s);
  if (st.stopped()) {
    for (auto& a : st.agents) a->cancel_all();
    throw UserError(st.fatal_error());
  }

  // The horizon: meter the last interval, then account for every job still
  // in the system, so nothing is silently dropped.
  const double horizon = sc.duration_s;
  meter.sample(horizon);
  for (std::size_t c = 0; c < st.net.centers.size(); ++c)
    if (st.center_down_since[c] >= 0) st.center_down_total_s[c] += horizon - st.center_down_since[c];
  std::vector<std::pair<std::uint64_t, Handle>> left;
  for (Handle h = 0; h < st.slab_size(); ++h)
    if (st.job(h).in_use) left.emplace_back(st.job(h).job.id, h);
  std::sort(left.begin(), left.end());
  for (const auto& [id, h] : left) {
    engine::ActiveJob& j = st.job(h);
    if (j.phase == engine::Phase::running) st.charge_job_energy(j, j.start_s, horizon);
    st.finish_job(h, JobStatus::unfinished, phase_reason(j.phase));
  }

  RunEnd end;
  end.status = "completed";
  end.simulated_s = horizon;
  end.busy_chip_seconds = st.busy_chip_seconds;
  for (std::size_t c = 0; c < st.net.centers.size(); ++c)
    end.chip_seconds_available +=
        st.net.centers[c].total_chips * (horizon - st.center_down_total_s[c]);
  end.centers = meter.totals();
  for (const auto& s : sc.workload.services) end.services.push_back(s.name);
  const auto wall1 = std::chrono::steady_clock::now();
  end.wall_time_s = std::chrono::duration<double>(wall1 - wall0).count();

  RunTotals t = st.totals;
  t.wall_time_s = end.wall_time_s;
  t.simulated_s = horizon;
  for (const auto& c : end.centers) {
    t.energy_J += c.energy_J;
    t.cost_CNY += c.cost_CNY;
    t.carbon_kg += c.carbon_kg;
  }
  t.busy_chip_seconds = end.busy_chip_seconds;
  t.chip_seconds_available = end.chip_seconds_available;
  recorder.end_run(end);
  for (auto& a : st.agents) a->cancel_all();
  sg4::Actor::kill_all();
  return t;
}

}  // namespace suanwang

// engine_scaling: suanwang's engine under the closed-loop workload of
// bench/closed_loop.hpp (N jobs, N transfers, or N mixed jobs in flight),
// printing the CPU cost per finished job in a measured window.
//
// The scenario file gives everything but the jobs (topology, policy, local
// queue, flow_model, sample interval); its workload is ignored: the jobs come
// from a JobSource that tops the system up to N jobs in flight at each poll
// (run_simulation's JobSource entry point, as the tests use). Finished jobs
// are counted by a Recorder that writes nothing, so the figures are the
// engine's, the policy's and SimGrid's, without HDF5 (bench/run.sh's national
// rows carry the full output). When the window is complete the recorder
// prints it and ends the process at once, as raw_simgrid does: stopping the
// engine instead (halt, cancel every flow, let SimGrid retire them) took 44 s
// more at 50,000 per_transfer comms, none of it part of the measurement.
//
//   engine_scaling SCENARIO.lua --loop jobs|transfers|mixed --inflight N
//                  [--measure M] [--warmup W] [--max-cpu S] [--seed S]
//                  [--set KEY=VALUE ...]
//   e.g. --set flow_model=per_transfer --set topology=/tmp/big_100.graphml
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <simgrid/s4u/Engine.hpp>

#include "bench/closed_loop.hpp"
#include "sim/core/user_error.hpp"
#include "sim/engine/simulation.hpp"
#include "sim/policy/policy_loader.hpp"
#include "sim/record/run_info.hpp"
#include "sim/scenario/scenario.hpp"

using namespace suanwang;

namespace {

// Counts finished jobs; writes nothing. Ends the process with the window.
class CountingRecorder final : public Recorder {
 public:
  CountingRecorder(bench::LoopWindow& w, std::string variant) : w_(w), variant_(std::move(variant)) {}
  void begin_run(const RunInfo&) override {}
  void job(const JobRecord& row) override {
    if (row.status != JobStatus::completed) ++not_completed_;
    if (!w_.on_finished(simgrid::s4u::Engine::get_clock())) return;
    if (not_completed_ > 0)
      std::fprintf(stderr, "engine_scaling: %lld jobs did not complete\n", not_completed_);
    w_.print("suanwang", variant_.c_str());
    std::_Exit(0);  // jobs in flight are left behind on purpose: the process ends
  }
  void center_sample(const CenterSample&) override {}
  void link_sample(const LinkSample&) override {}
  void service_sample(const ServiceSample&) override {}
  void end_run(const RunEnd&) override {}
  long long not_completed() const { return not_completed_; }

 private:
  bench::LoopWindow& w_;
  std::string variant_;
  long long not_completed_ = 0;
};

// Jobs while fewer than N are in flight, all at the current instant; then
// one job at the next poll, which enters the system then (it is counted in
// flight when the engine asks for the job after it, i.e. once admitted) and
// the top-up goes on from there. raw_simgrid's Loop issues the same jobs in
// the same order.
class LoopSource final : public JobSource {
 public:
  LoopSource(const topo::Topology& topo, const bench::LoopOptions& o, bench::LoopWindow& w)
      : jobs_(topo, o.mode, o.seed), w_(w) {}
  std::optional<Job> next() override {
    const double now = simgrid::s4u::Engine::get_clock();
    if (pending_) {  // the poll's job was admitted
      w_.on_issued();
      pending_ = false;
    }
    if (w_.done()) return std::nullopt;
    Job j = jobs_.draw();
    if (w_.wants_job()) {
      j.submit_s = now;
      w_.on_issued();
    } else {
      j.submit_s = w_.next_poll(now);
      pending_ = true;
    }
    return j;
  }

 private:
  bench::LoopJobs jobs_;
  bench::LoopWindow& w_;
  bool pending_ = false;
};

[[noreturn]] void usage(const std::string& why) {
  std::fprintf(stderr,
               "engine_scaling: %s\n"
               "usage: engine_scaling SCENARIO.lua --loop jobs|transfers|mixed --inflight N\n"
               "                      [--measure M] [--warmup W] [--max-cpu S] [--seed S]\n"
               "                      [--set KEY=VALUE ...]\n",
               why.c_str());
  std::exit(2);
}

}  // namespace

int main(int argc, char** argv) {
  std::string file;
  std::vector<Override> overrides;
  bench::LoopOptions lo;
  bool have_mode = false;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    const auto value = [&] {
      if (i + 1 >= argc) usage("option '" + a + "' needs a value");
      return std::string(argv[++i]);
    };
    if (a == "--loop") {
      if (!bench::parse_loop_mode(value(), &lo.mode)) usage("--loop: jobs, transfers or mixed");
      have_mode = true;
    } else if (a == "--inflight") lo.inflight = std::atoll(value().c_str());
    else if (a == "--measure") lo.measure = std::atoll(value().c_str());
    else if (a == "--warmup") lo.warmup = std::atoll(value().c_str());
    else if (a == "--max-cpu") lo.max_cpu_s = std::atof(value().c_str());
    else if (a == "--seed") lo.seed = std::strtoull(value().c_str(), nullptr, 10);
    else if (a == "--set") {
      const std::string kv = value();
      const auto eq = kv.find('=');
      if (eq == std::string::npos) usage("--set KEY=VALUE");
      overrides.push_back({kv.substr(0, eq), kv.substr(eq + 1)});
    } else if (!a.empty() && a[0] == '-') usage("unknown option '" + a + "'");
    else file = a;
  }
  if (file.empty() || !have_mode || lo.inflight <= 0) usage("a scenario, --loop MODE and --inflight N are required");

  try {
    const Scenario sc = load_scenario(file, overrides);
    auto policy = load_policy(sc);
    bench::LoopWindow window(lo);
    CountingRecorder rec(window, sc.flow_model);
    SimulationOptions opt;
    opt.quiet = true;
    run_simulation(sc, *policy, rec, make_run_info(sc, sc.name, {}), opt,
                   std::make_unique<LoopSource>(sc.topology, lo, window));
  } catch (const std::exception& e) {
    std::fprintf(stderr, "engine_scaling: %s\n", e.what());
    return 1;
  }
  std::fprintf(stderr, "engine_scaling: the horizon came before the window ended (raise duration)\n");
  return 1;
}

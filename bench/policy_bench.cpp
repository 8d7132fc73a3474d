// policy_bench: micro-benchmarks of the Lua policy bridge on the national topology.
//
//  1. place: average CPU time (of this thread: steady on a loaded machine) of
//     one LuaPolicy::place() decision (each scans
//     every center of the national topology), for least_loaded and
//     east_data_west_compute, with (a) a static NetState and (b) one pool's
//     free chips changed before every call, as the engine does between
//     decisions (the bridge then refreshes that pool and its center).
//  2. score: LuaPolicy::place_batch() of a 10,000-job batch with the pure
//     score() policy bench/policies/score_only.lua, with 1 and 2 TBB threads
//     (tbb::global_control max_allowed_parallelism), the speedup (wall time:
//     meaningful only on an idle machine), and a check that both give the
//     same decisions.
//
// The jobs come from the bench scenario's workload (bench/scenarios/national_10k.lua),
// the NetState is filled the way sim/engine/engine_state.cpp fills it (static parts,
// best-route latency and bandwidth) with a deterministic half-loaded occupancy.
//
//   policy_bench [--jobs N] [--reps R]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <cstdlib>
#include <limits>
#include <memory>
#include <string>
#include <vector>

#include <oneapi/tbb/global_control.h>

#include "sim/core/user_error.hpp"
#include "sim/policy/lua_policy.hpp"
#include "sim/policy/policy_loader.hpp"
#include "sim/scenario/scenario.hpp"
#include "sim/workload/job_source.hpp"
#include "sim/topology/routes.hpp"

using namespace suanwang;
using Clock = std::chrono::steady_clock;

namespace {

NetState make_net(const topo::Topology& topo, const topo::RouteTable& routes) {
  NetState net = make_idle_net_state(topo);
  const int n = static_cast<int>(topo.cities.size());
  // Deterministic, uneven occupancy around 50%.
  for (CenterState& cs : net.centers) cs.free_chips = 0;
  for (int k = 0; k < static_cast<int>(net.pools.size()); ++k) {
    PoolState& ps = net.pools[k];
    ps.free_chips = ps.total_chips * (0.2 + 0.6 * ((k * 37) % 11) / 10.0);
    ps.queued_jobs = (k * 7) % 5;
    ps.running_jobs = ps.total_chips / 16;
    net.centers[ps.center].free_chips += ps.free_chips;
    net.centers[ps.center].queued_jobs += ps.queued_jobs;
  }
  net.latency_s.assign(static_cast<std::size_t>(n) * n, 0.0);
  net.path_bandwidth_Bps.assign(static_cast<std::size_t>(n) * n,
                                std::numeric_limits<double>::infinity());
  for (int s = 0; s < n; ++s)
    for (int d = 0; d < n; ++d) {
      if (s == d) continue;
      const topo::Route& r = routes.best(s, d);
      net.latency_s[static_cast<std::size_t>(s) * n + d] = r.latency_s;
      net.path_bandwidth_Bps[static_cast<std::size_t>(s) * n + d] = r.bottleneck_Bps;
    }
  return net;
}

std::unique_ptr<LuaPolicy> make_policy(const std::string& path, const std::string& name,
                                       const topo::Topology& topo,
                                       std::uint64_t budget = 1000000) {
  lua::SandboxOptions opt;
  opt.require_dirs = {policies_dir()};
  opt.instruction_budget = budget;
  opt.seed = 1;
  return std::make_unique<LuaPolicy>(path, name, std::map<std::string, ParamValue>{}, opt, topo);
}

// CPU seconds of the calling thread.
double thread_cpu_s() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + 1e-9 * static_cast<double>(ts.tv_nsec);
}

// Average CPU microseconds per place() over the jobs; `churn`: change one pool first.
double bench_place(LuaPolicy& pol, NetState& net, const std::vector<Job>& jobs, bool churn,
                   int reps, int* placed) {
  double best = 1e300;
  for (int r = 0; r < reps; ++r) {
    int ok = 0;
    const double t0 = thread_cpu_s();
    for (std::size_t i = 0; i < jobs.size(); ++i) {
      if (churn) {
        PoolState& ps = net.pools[i % net.pools.size()];
        const double delta = (i & 1) ? 1.0 : -1.0;
        ps.free_chips += delta;
        net.centers[ps.center].free_chips += delta;
        net.now_s += 1.0;
      }
      const Placement p = pol.place(jobs[i], net);
      ok += p.action == Placement::Action::place;
    }
    const double us = 1e6 * (thread_cpu_s() - t0) / static_cast<double>(jobs.size());
    best = std::min(best, us);
    *placed = ok;
  }
  return best;
}

double bench_batch(LuaPolicy& pol, const NetState& net, const std::vector<const Job*>& batch,
                   int threads, int reps, std::vector<Placement>* out) {
  oneapi::tbb::global_control gc(oneapi::tbb::global_control::max_allowed_parallelism, threads);
  double best = 1e300;
  for (int r = 0; r < reps; ++r) {
    const auto t0 = Clock::now();
    *out = pol.place_batch(batch, net);
    best = std::min(best, std::chrono::duration<double>(Clock::now() - t0).count());
  }
  return best;
}

}  // namespace

int main(int argc, char** argv) {
  long long njobs = 10000;
  int reps = 3;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--jobs" && i + 1 < argc) njobs = std::atoll(argv[++i]);
    else if (a == "--reps" && i + 1 < argc) reps = std::max(1, std::atoi(argv[++i]));
    else {
      std::fprintf(stderr, "usage: policy_bench [--jobs N] [--reps R]\n");
      return 2;
    }
  }
  try {
    const std::string bench = SUANWANG_SOURCE_DIR "/bench";
    const Scenario sc = load_scenario(bench + "/scenarios/national_10k.lua");
    const topo::Topology& topo = sc.topology;
    const topo::RouteTable routes(topo);
    NetState net = make_net(topo, routes);

    std::vector<Job> jobs;
    auto src = make_job_source(sc.workload, topo, sc.seed, sc.duration_s);
    while (static_cast<long long>(jobs.size()) < njobs) {
      auto j = src->next();
      if (!j) break;
      jobs.push_back(std::move(*j));
    }
    std::printf("policy_bench: %zu jobs, %zu centers, %zu pools, %zu cities\n", jobs.size(),
                net.centers.size(), net.pools.size(), topo.cities.size());

    // The default instruction budget (a Lua count hook) against none: the
    // price of stopping runaway policies deterministically.
    struct Case { std::string name; std::uint64_t budget; };
    for (const Case& cs : {Case{"least_loaded", 1000000}, Case{"east_data_west_compute", 1000000},
                           Case{"least_loaded_inline", 1000000}, Case{"least_loaded", 0},
                           Case{"east_data_west_compute", 0}, Case{"bridge_floor", 1000000},
                           Case{"room_only", 1000000}}) {
      const std::string name = cs.budget ? cs.name : cs.name + " (no budget)";
      const bool bench_policy = cs.name == "least_loaded_inline" || cs.name == "bridge_floor" ||
                                cs.name == "room_only";
      const std::string file = bench_policy
                                   ? bench + "/policies/" + cs.name + ".lua"
                                   : policies_dir() + "/" + cs.name + ".lua";
      auto pol = make_policy(file, cs.name, topo, cs.budget);
      int placed = 0;
      // Warm-up (view construction, JIT-free Lua but caches).
      bench_place(*pol, net, std::vector<Job>(jobs.begin(), jobs.begin() + std::min<std::size_t>(200, jobs.size())), false, 1, &placed);
      const double st = bench_place(*pol, net, jobs, false, reps, &placed);
      const int placed_static = placed;
      const double ch = bench_place(*pol, net, jobs, true, reps, &placed);
      std::printf("place  %-36s static %6.2f CPU us/decision   1-pool-churn %6.2f CPU us/decision   (placed %d/%zu)\n",
                  name.c_str(), st, ch, placed_static, jobs.size());
    }

    auto pol = make_policy(bench + "/policies/score_only.lua", "score_only", topo);
    std::vector<const Job*> batch;
    for (const Job& j : jobs) batch.push_back(&j);
    std::vector<Placement> p1, p2;
    bench_batch(*pol, net, batch, 2, 1, &p2);  // warm-up: creates the worker sandboxes
    const double t1 = bench_batch(*pol, net, batch, 1, reps, &p1);
    const double t2 = bench_batch(*pol, net, batch, 2, reps, &p2);
    bool same = p1.size() == p2.size();
    for (std::size_t i = 0; same && i < p1.size(); ++i)
      same = p1[i].action == p2[i].action && p1[i].center == p2[i].center;
    std::printf("score  score_only batch of %zu: 1 thread %.3f s wall (%.2f us/job, %.3f us/score)  "
                "2 threads %.3f s  speedup %.2fx  decisions %s\n",
                batch.size(), t1, t1 * 1e6 / batch.size(),
                t1 * 1e6 / batch.size() / net.centers.size(), t2, t1 / t2,
                same ? "identical" : "DIFFER");
    return same ? 0 : 1;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "policy_bench: %s\n", e.what());
    return 1;
  }
}

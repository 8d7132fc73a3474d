// raw_simgrid: the smallest plain SimGrid program doing the work of a bench
// scenario (bench/scenarios/national_*.lua), as the speed baseline of
// `bench/run.sh`.
//
// Same topology (topology/china.graphml), same platform (suanwang::Platform,
// configure_wan_model, energy plugin on), same job stream (make_job_source on
// a WorkloadSpec equal to the bench scenarios' generators, same seed, same
// per-generator max_jobs and horizon), hard-coded least-loaded placement
// (the center with the most free chips among those with a pool where the job
// fits now; otherwise the job waits in one FIFO and is retried when chips free).
// Per job: dataset origin -> center (Comm::sendto_async over route variant 0),
// exec on the pool host (exec_init()->set_host()->set_thread_count()), result
// back. One arrivals actor and one long-lived actor per center, each waiting
// on its async activities with Activity::wait_any: no actor per job, no Lua,
// no recorder, no output but one summary line.
//
//   raw_simgrid --jobs N [--seed S] [--no-energy] [--shards K]
//               [--design waiters|actor-per-job]
//
// --design waiters (default): the long-lived center actors above.
// --design actor-per-job: the arrivals actor creates one actor per job at its
// submit time, which does sendto / exec / sendto, each waited (64 KiB stacks,
// no guard page, as SIMGRID-NOTES recommends). Placement and queueing are the
// same code (place / release on the same FIFO): a job queued at submit gets a
// Semaphore(0) that place() releases, so its actor starts when it would have
// been delivered to a center.
//
// --shards K (default 8): K waiting actors per center, jobs dealt
// round-robin, so each Activity::wait_any list is K times shorter (SimGrid
// 3.32's wait_any costs the list's length per call, with heap allocations;
// SIMGRID-NOTES: ~12 activities per actor is the sweet spot). Measured at 30k
// jobs (~3,600 in flight): K=1 4.4 s CPU, K=4 2.4 s, K=8 2.4 s, identical
// results. suanwang's engine does the same with bounded waiter groups.
//
// Keep the workload below in sync with bench/scenarios/national_*.lua
// (bench_workload()).
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <simgrid/plugins/energy.h>
#include <simgrid/s4u.hpp>

#include "sim/platform/platform.hpp"
#include "sim/workload/job_source.hpp"
#include "sim/topology/graphml_reader.hpp"
#include "sim/topology/routes.hpp"

namespace sg4 = simgrid::s4u;
using namespace suanwang;

namespace {

// ---- the bench workload (mirror of bench/scenarios/national_*.lua) -----------
constexpr double kHour = 3600.0;
constexpr double kGB = 1e9;
// Arrivals per hour of each generator (national_week x 16: ~50% of the
// national chips busy in steady state).
constexpr double kRateTraining = 480, kRateFinetune = 960, kRateInference = 3840;
constexpr double kRateTotal = kRateTraining + kRateFinetune + kRateInference;

const std::vector<double>& diurnal() {  // sim/scenario/scenario_loader.cpp diurnal_curve()
  static const std::vector<double> v = {0.55, 0.40, 0.30, 0.25, 0.25, 0.30, 0.45, 0.70,
                                        0.95, 1.15, 1.25, 1.30, 1.20, 1.25, 1.40, 1.45,
                                        1.45, 1.40, 1.40, 1.50, 1.55, 1.45, 1.15, 0.95};
  return v;
}

Distribution lognormal(double median, double sigma, double max = 0) {
  Distribution d;
  d.kind = Distribution::Kind::lognormal;
  d.mu = std::log(median);
  d.sigma = sigma;
  d.max = max;
  return d;
}
Distribution exponential(double mean) {
  Distribution d;
  d.kind = Distribution::Kind::exponential;
  d.mean = mean;
  return d;
}
Distribution choice(std::vector<double> values, std::vector<double> weights) {
  Distribution d;
  d.kind = Distribution::Kind::choice;
  d.values = std::move(values);
  d.weights = std::move(weights);
  return d;
}

// Horizon of a bench scenario of n jobs: the expected arrival span under the
// diurnal profile (t = 0 is midnight) plus 10%, in whole hours. bench/run.sh
// and the national_*.lua files use the same value (`raw_simgrid --horizon N`).
double bench_horizon(long long n) {
  double expected = 0, t = 0;
  for (int h = 0; expected < n; ++h, t += kHour) expected += kRateTotal * diurnal()[h % 24];
  return std::ceil(t / kHour * 1.1) * kHour;
}

WorkloadSpec bench_workload(long long n) {
  WorkloadSpec w;
  auto share = [n](double rate) { return std::max(1LL, std::llround(n * rate / kRateTotal)); };
  GeneratorSpec t;
  t.kind = JobKind::training;
  t.rate_per_s = kRateTraining / kHour;
  t.profile.hourly = diurnal();
  t.gpus = choice({1, 2, 4, 8, 16, 32, 64, 128, 256}, {40, 12, 12, 14, 9, 6, 4, 2, 1});
  t.duration_s = lognormal(3 * kHour, 1.2, 5 * 86400.0);
  t.walltime_factor = 1.5;
  t.dataset_B = lognormal(200 * kGB, 1.0, 20000 * kGB);
  t.result_B = Distribution::constant_of(20 * kGB);
  t.checkpoint_interval_s = kHour;
  t.max_jobs = share(kRateTraining);
  w.generators.push_back(t);

  GeneratorSpec f;
  f.kind = JobKind::finetune;
  f.rate_per_s = kRateFinetune / kHour;
  f.profile.hourly = diurnal();
  f.gpus = choice({1, 2, 4, 8}, {40, 30, 20, 10});
  f.duration_s = lognormal(45 * 60.0, 0.8);
  f.walltime_factor = 2;
  f.dataset_B = lognormal(20 * kGB, 1.0);
  f.result_B = Distribution::constant_of(2 * kGB);
  f.max_jobs = share(kRateFinetune);
  w.generators.push_back(f);

  GeneratorSpec i;
  i.kind = JobKind::inference;
  i.rate_per_s = kRateInference / kHour;
  i.profile.hourly = diurnal();
  i.gpus = choice({0.25, 0.5, 1}, {50, 30, 20});
  i.duration_s = exponential(20 * 60.0);
  i.dataset_B = Distribution::constant_of(0.5 * kGB);
  i.result_B = Distribution::constant_of(0.05 * kGB);
  i.latency_bound_s = 0.015;
  i.max_jobs = share(kRateInference);
  w.generators.push_back(i);
  return w;
}

// ---- the simulation ----------------------------------------------------------
constexpr int kSlices = 10;  // scenario default vgpu_slices

struct RawJob {
  Job job;
  int center = -1;  // center index
  int pool = -1;    // platform pool index
  long long units = 0;
  int phase = 0;    // 0 dataset in, 1 exec, 2 result out
  sg4::SemaphorePtr go;  // actor-per-job, queued at submit: released by place()
};

struct Center {
  int city = -1;
  std::vector<int> pools;  // platform pool indices
  long long free_units = 0;
};

struct World {
  const topo::Topology* topo = nullptr;
  const Platform* platform = nullptr;
  std::vector<Center> centers;
  std::vector<long long> pool_free;  // per platform pool, in slices
  std::vector<int> pool_center;      // platform pool -> center index
  double ref_flops = 0;
  std::deque<RawJob*> waiting;
  std::uint64_t done = 0, placed = 0, peak_in_flight = 0;
  double bytes = 0;
  class Agent;
  std::vector<std::unique_ptr<Agent>> agents;  // shards per center, center-major
  int shards = 1;
  bool per_job = false;                        // --design actor-per-job
  std::uint64_t rr = 0;                        // round-robin over a center's shards

  long long units_for(double gpus) const {
    if (gpus >= 1.0) return std::llround(gpus) * kSlices;
    return std::max<long long>(1, static_cast<long long>(std::ceil(gpus * kSlices - 1e-9)));
  }

  // Least loaded: most free chips among centers with a pool that fits now.
  bool place(RawJob* j);
  void release(int pool, long long units);
};

int doorbell_token = 0;

class World::Agent {
 public:
  Agent(World& w, int center, int shard) : w_(w), center_(center) {
    mailbox_ = sg4::Mailbox::by_name("center/" + std::to_string(center) + "/" + std::to_string(shard));
  }
  void deliver(RawJob* j) {
    inbox_.push_back(j);
    if (!rung_ && !awake_) {
      rung_ = true;
      mailbox_->put_init(&doorbell_token, 0)->detach();
    }
  }
  void operator()() {
    acts_.push_back(mailbox_->get_async<void>(&payload_));
    jobs_.push_back(nullptr);
    awake_ = true;
    for (;;) {
      drain();
      awake_ = false;
      const ssize_t i = sg4::Activity::wait_any(acts_);
      awake_ = true;
      if (i == 0) {
        rung_ = false;
        acts_[0] = mailbox_->get_async<void>(&payload_);
      } else if (i > 0) {
        RawJob* j = jobs_[i];
        remove(static_cast<std::size_t>(i));
        advance(j);
      }
    }
  }

 private:
  void drain() {
    while (!inbox_.empty()) {
      RawJob* j = inbox_.front();
      inbox_.pop_front();
      j->phase = 0;
      const int city = w_.centers[center_].city;
      if (j->job.dataset_B > 0 && j->job.origin != city)
        add(j, sg4::Comm::sendto_async(w_.platform->sender(j->job.origin),
                                       w_.platform->receiver(city, 0),
                                       static_cast<std::uint64_t>(j->job.dataset_B)));
      else
        advance(j);
    }
  }
  void advance(RawJob* j) {
    const int city = w_.centers[center_].city;
    if (j->phase == 0) {
      if (j->job.dataset_B > 0 && j->job.origin != city) w_.bytes += j->job.dataset_B;
      j->phase = 1;
      const double flops = j->job.duration_s * w_.ref_flops / kSlices;
      add(j, sg4::this_actor::exec_init(flops)
                 ->set_host(w_.platform->pools()[j->pool].host)
                 ->set_thread_count(static_cast<int>(j->units))
                 ->start());
    } else if (j->phase == 1) {
      w_.release(j->pool, j->units);
      j->phase = 2;
      if (j->job.result_B > 0 && j->job.origin != city)
        add(j, sg4::Comm::sendto_async(w_.platform->sender(city),
                                       w_.platform->receiver(j->job.origin, 0),
                                       static_cast<std::uint64_t>(j->job.result_B)));
      else
        finish(j);
    } else {
      w_.bytes += j->job.result_B;
      finish(j);
    }
  }
  void finish(RawJob* j) {
    ++w_.done;
    delete j;
  }
  void add(RawJob* j, sg4::ActivityPtr a) {
    acts_.push_back(std::move(a));
    jobs_.push_back(j);
  }
  void remove(std::size_t i) {
    if (i != acts_.size() - 1) {
      acts_[i] = std::move(acts_.back());
      jobs_[i] = jobs_.back();
    }
    acts_.pop_back();
    jobs_.pop_back();
  }

  World& w_;
  int center_;
  sg4::Mailbox* mailbox_;
  void* payload_ = nullptr;
  bool rung_ = false, awake_ = false;
  std::deque<RawJob*> inbox_;
  std::vector<sg4::ActivityPtr> acts_;
  std::vector<RawJob*> jobs_;
};

bool World::place(RawJob* j) {
  int best = -1, best_pool = -1;
  long long best_free = -1;
  for (int c = 0; c < static_cast<int>(centers.size()); ++c) {
    const Center& ce = centers[c];
    if (ce.free_units <= best_free) continue;
    int fit = -1;
    long long fit_free = -1;
    for (int p : ce.pools)
      if (pool_free[p] >= j->units && pool_free[p] > fit_free) fit = p, fit_free = pool_free[p];
    if (fit < 0) continue;
    best = c, best_pool = fit, best_free = ce.free_units;
  }
  if (best < 0) return false;
  j->center = best;
  j->pool = best_pool;
  pool_free[best_pool] -= j->units;
  centers[best].free_units -= j->units;
  ++placed;
  peak_in_flight = std::max(peak_in_flight, placed - done);
  if (per_job) {
    if (j->go) j->go->release();  // its actor waits in run_job (else not created yet)
  } else {
    agents[static_cast<std::size_t>(best) * shards + (rr++ % shards)]->deliver(j);
  }
  return true;
}

void World::release(int pool, long long units) {
  pool_free[pool] += units;
  centers[pool_center[pool]].free_units += units;
  // Retry the waiting jobs (FIFO, look at most 64 deep to stay O(1)).
  std::size_t looked = 0;
  for (auto it = waiting.begin(); it != waiting.end() && looked < 64; ++looked) {
    if (place(*it)) it = waiting.erase(it);
    else ++it;
  }
}

// --design actor-per-job: the body of a job's actor, the three steps of
// Agent::advance done synchronously (same byte counting, same release point).
void run_job(World& w, RawJob* j) {
  if (j->go) j->go->acquire();  // queued at submit: wait until place() picks it
  const int city = w.centers[j->center].city;
  const bool remote = j->job.origin != city;
  if (j->job.dataset_B > 0 && remote) {
    sg4::Comm::sendto(w.platform->sender(j->job.origin), w.platform->receiver(city, 0),
                      static_cast<std::uint64_t>(j->job.dataset_B));
    w.bytes += j->job.dataset_B;
  }
  sg4::this_actor::exec_init(j->job.duration_s * w.ref_flops / kSlices)
      ->set_host(w.platform->pools()[j->pool].host)
      ->set_thread_count(static_cast<int>(j->units))
      ->start()
      ->wait();
  w.release(j->pool, j->units);
  if (j->job.result_B > 0 && remote) {
    sg4::Comm::sendto(w.platform->sender(city), w.platform->receiver(j->job.origin, 0),
                      static_cast<std::uint64_t>(j->job.result_B));
    w.bytes += j->job.result_B;
  }
  ++w.done;
  delete j;
}

double peak_rss_mib() {
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  return ru.ru_maxrss / 1024.0;
}

[[noreturn]] void usage(const char* why) {
  std::fprintf(stderr, "raw_simgrid: %s\nusage: raw_simgrid --jobs N [--seed S] [--no-energy] [--shards K]\n"
               "                   [--design waiters|actor-per-job]\n",
               why);
  std::exit(2);
}

}  // namespace

int main(int argc, char** argv) {
  long long n = -1;
  std::uint64_t seed = 1;
  bool energy = true;
  int shards = 8;  // actors per center (each waits on its share of the activities)
  bool per_job = false;  // --design actor-per-job
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--jobs" && i + 1 < argc) n = std::atoll(argv[++i]);
    else if (a == "--seed" && i + 1 < argc) seed = std::strtoull(argv[++i], nullptr, 10);
    else if (a == "--no-energy") energy = false;
    else if (a == "--shards" && i + 1 < argc) shards = std::max(1, std::atoi(argv[++i]));
    else if (a == "--design" && i + 1 < argc) {
      const std::string d = argv[++i];
      if (d != "waiters" && d != "actor-per-job") usage(("unknown design '" + d + "'").c_str());
      per_job = d == "actor-per-job";
    }
    else if (a == "--horizon" && i + 1 < argc) {
      const long long m = std::atoll(argv[++i]);
      std::printf("%.0f\n", bench_horizon(m));
      for (const auto& g : bench_workload(m).generators) std::printf("%lld\n", g.max_jobs);
      return 0;
    }
    else usage(("unknown or incomplete option '" + a + "'").c_str());
  }
  if (n <= 0) usage("--jobs N (N > 0) is required");

  const auto wall0 = std::chrono::steady_clock::now();
  int sg_argc = 2;
  char arg0[] = "raw_simgrid";
  char arg1[] = "--log=root.thres:critical";
  char* sg_argv[] = {arg0, arg1, nullptr};
  sg4::Engine e(&sg_argc, sg_argv);
  if (per_job) {  // many actors alive: small stacks, no guard page (before the platform)
    sg4::Engine::set_config("contexts/stack-size:64");
    sg4::Engine::set_config("contexts/guard-size:0");
  }
  configure_wan_model();
  if (energy) sg_host_energy_plugin_init();

  const topo::Topology topo = topo::load_topology(SUANWANG_SOURCE_DIR "/topology/china.graphml");
  const topo::RouteTable routes(topo);
  const Platform platform(topo, routes, kSlices);

  World w;
  w.topo = &topo;
  w.platform = &platform;
  w.ref_flops = topo.accelerators[topo.accelerator_index("a100")].fp16_flops;
  w.pool_free.resize(platform.pools().size());
  for (std::size_t p = 0; p < platform.pools().size(); ++p)
    w.pool_free[p] = static_cast<long long>(platform.pools()[p].chips) * kSlices;
  for (int c = 0; c < static_cast<int>(topo.cities.size()); ++c) {
    if (platform.pools_of_city(c).empty()) continue;
    Center ce;
    ce.city = c;
    ce.pools = platform.pools_of_city(c);
    w.pool_center.resize(platform.pools().size(), -1);
    for (int p : ce.pools) ce.free_units += w.pool_free[p], w.pool_center[p] = static_cast<int>(w.centers.size());
    w.centers.push_back(ce);
  }
  w.shards = shards;
  w.per_job = per_job;
  for (std::size_t c = 0; c < w.centers.size() && !per_job; ++c)
    for (int k = 0; k < shards; ++k)
      w.agents.push_back(std::make_unique<World::Agent>(w, static_cast<int>(c), k));

  const double horizon = bench_horizon(n);
  auto source = make_job_source(bench_workload(n), topo, seed, horizon);
  std::uint64_t submitted = 0;

  sg4::Host* control = platform.control();
  for (std::size_t c = 0; c < w.agents.size(); ++c) {
    World::Agent* a = w.agents[c].get();
    sg4::Actor::create("agent/" + std::to_string(c), control, [a] {
      try {
        (*a)();
      } catch (const std::exception& ex) {
        std::fprintf(stderr, "raw_simgrid: center actor: %s\n", ex.what());
        std::_Exit(1);
      }
    });
  }
  sg4::Actor::create("arrivals", control, [&] {
    while (std::optional<Job> job = source->next()) {
      if (job->submit_s > sg4::Engine::get_clock()) sg4::this_actor::sleep_until(job->submit_s);
      auto* j = new RawJob;
      j->job = std::move(*job);
      j->units = w.units_for(j->job.gpus);
      ++submitted;
      if (!w.waiting.empty() || !w.place(j)) {
        if (per_job) j->go = sg4::Semaphore::create(0);
        w.waiting.push_back(j);
      }
      if (per_job)
        sg4::Actor::create("job", control, [&w, j] {
          try {
            run_job(w, j);
          } catch (const std::exception& ex) {
            std::fprintf(stderr, "raw_simgrid: job actor: %s\n", ex.what());
            std::_Exit(1);
          }
        });
    }
    // Keep a timer pending up to the horizon, as suanwang's meter does: the
    // center actors block on their doorbells forever (killing them as daemons
    // in the middle of wait_any trips an assertion of SimGrid 3.32).
    sg4::this_actor::sleep_until(horizon);
  });
  e.run_until(horizon);
  const double simulated = sg4::Engine::get_clock();
  const double wall =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - wall0).count();

  std::printf(
      "raw_simgrid jobs=%llu completed=%llu simulated_s=%.0f simulated_days=%.2f wall_s=%.3f "
      "jobs_per_s=%.0f peak_rss_mib=%.1f bytes_moved=%.3e peak_in_flight=%llu design=%s\n",
      static_cast<unsigned long long>(submitted), static_cast<unsigned long long>(w.done),
      simulated, simulated / 86400.0, wall, submitted / wall, peak_rss_mib(), w.bytes,
      static_cast<unsigned long long>(w.peak_in_flight), per_job ? "actor-per-job" : "waiters");
  std::fflush(stdout);
  // Jobs still in flight at the horizon are leaked on purpose: the process ends.
  std::_Exit(0);
}

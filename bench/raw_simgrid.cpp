// raw_simgrid: the smallest plain SimGrid program doing the work of the bench
// scenarios, as the speed baseline of bench/run.sh.
//
// It is built the way suanwang's engine is (sim/engine), without its code:
//  - no actors: everything runs in SimGrid's maestro, from kernel timers
//    (simgrid::kernel::timer::Timer::set: one per arrival batch, per compute
//    end and per transfer latency) and from s4u::Activity::on_completion;
//  - compute is a timed interval (work / chip speed), its energy computed
//    from the chips' power model like sim/engine/pool_power.hpp (idle power
//    for the whole pool, busy minus idle per busy vGPU slice);
//  - one SimGrid comm per transfer, on suanwang's platform (sim/platform:
//    links without latency, network/optim:Full), started once the route's
//    latency has been waited on a timer: plain max-min sharing, exactly what
//    the engine's per_transfer flow model does (its default, bundled, gives
//    the same times with one comm per busy route).
// Placement is hard-coded least-loaded, as policies/least_loaded.lua with the
// engine's pool choice: the center with the most free chips among those with
// a pool where the job fits now, then its pool with the most free units net
// of its queue. Chips are taken when the dataset has arrived, from a FIFO
// queue per pool (the engine's local queue, without EASY's backfilling); a
// job no center has room for waits in one FIFO, retried (64 deep) whenever
// chips free. No Lua; by default no output but one summary line.
//
//   raw_simgrid --jobs N [--seed S] [--topology FILE.graphml] [--output FILE.h5]
//       the bench mix (bench/scenarios/national_mix.lua: the same generators
//       through make_job_source, same seed, same horizon, the same inference
//       service holding 256 chips in Shanghai); with --output, every job that
//       ends writes its row of the run format's jobs table through suanwang's
//       own recorder (sim/record: the same columns, chunks, deflate level and
//       writer thread as `suanwang run`), so the two programs can be compared
//       doing the same work, results included. Jobs still in flight at the
//       horizon are left out (suanwang writes them as unfinished).
//   raw_simgrid --loop jobs|transfers|mixed --inflight N [--measure M]
//               [--warmup W] [--max-cpu S] [--seed S] [--topology FILE]
//       the closed-loop scaling workload of bench/closed_loop.hpp;
//   raw_simgrid --horizon N
//       prints the bench horizon for N jobs and each generator's max_jobs.
//
// Keep bench_workload() in step with bench/scenarios/national_mix.lua.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <simgrid/kernel/Timer.hpp>
#include <simgrid/s4u.hpp>

#include "bench/closed_loop.hpp"
#include "sim/core/malloc_tuning.hpp"
#include "sim/platform/platform.hpp"
#include "sim/record/hdf5_recorder.hpp"
#include "sim/record/run_info.hpp"
#include "sim/topology/graphml_reader.hpp"
#include "sim/topology/routes.hpp"
#include "sim/workload/job_source.hpp"

namespace sg4 = simgrid::s4u;
using simgrid::kernel::timer::Timer;
using namespace suanwang;

namespace {

// ---- the bench workload (mirror of bench/scenarios/national_mix.lua) ---------
constexpr double kHour = 3600.0;
constexpr double kGB = 1e9;
// Arrivals per hour of each generator (national_week x 16).
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
// diurnal profile (t = 0 is midnight) plus 10%, in whole hours (the values
// written in bench/scenarios/national_*.lua).
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
constexpr const char* kServiceCity = "Shanghai";  // the mix's chat-east service
constexpr double kServiceChips = 256;

// ---- the simulation ----------------------------------------------------------
constexpr int kSlices = 10;  // the scenarios' vgpu_slices

struct RawJob {
  Job job;
  int pool = -1;
  long long units = 0;
  bool computed = false;   // its compute is done (a transfer now is the result)
  double start_s = 0;
  sg4::CommPtr comm;       // the transfer in progress
  // For its row (--output): compute end, transfers, energy.
  double end_s = -1;
  double transfer_t0_s = 0, transfer_s = 0, bytes_B = 0;
  double energy_J = 0, cost_CNY = 0, carbon_kg = 0;
};

// An accelerator pool: capacity in vGPU slices, and its power model
// (sim/engine/pool_power.hpp's, with no outages).
struct RawPool {
  int center = -1, city = -1, accel = -1;
  long long total = 0, free = 0;
  std::deque<RawJob*> queue;    // arrived, waiting for chips (FIFO)
  long long queued_units = 0;
  double speed = 1;             // chip FLOP/s over the reference chip's
  double busy_W = 0, idle_W = 0;
  double idle_pool_W = 0, extra_W_per_unit = 0;
  double last_s = 0, busy_unit_s = 0;
  void set_used(double now, long long used_before) {
    busy_unit_s += static_cast<double>(used_before) * (now - last_s);
    last_s = now;
  }
  double it_energy_J(double now) const {
    const double used = static_cast<double>(total - free);
    return idle_pool_W * now + extra_W_per_unit * (busy_unit_s + used * (now - last_s));
  }
};

struct RawCenter {
  int city = -1;
  std::vector<int> pools;
  long long free = 0;
  int queued = 0;  // jobs in its pools' queues
};

class World {
 public:
  World(const topo::Topology& topo, const topo::RouteTable& routes, const Platform& platform)
      : topo_(topo), routes_(routes), platform_(platform) {
    const double ref = topo.accelerators[topo.accelerator_index("a100")].fp16_flops;
    for (int c = 0; c < static_cast<int>(topo.cities.size()); ++c) {
      const topo::City& city = topo.cities[c];
      if (!city.has_center()) continue;
      RawCenter ce;
      ce.city = c;
      for (const topo::Pool& p : city.pools) {
        const topo::Accelerator& a = topo.accelerators[p.accel];
        RawPool rp;
        rp.center = static_cast<int>(centers_.size());
        rp.city = c;
        rp.accel = p.accel;
        rp.total = rp.free = static_cast<long long>(p.count) * kSlices;
        rp.speed = a.fp16_flops / ref;
        rp.busy_W = a.busy_W;
        rp.idle_W = a.idle_W;
        rp.idle_pool_W = p.count * a.idle_W;
        rp.extra_W_per_unit = (a.busy_W - a.idle_W) / kSlices;
        ce.pools.push_back(static_cast<int>(pools_.size()));
        ce.free += rp.total;
        pools_.push_back(rp);
      }
      centers_.push_back(ce);
    }
    inbox_.resize(centers_.size());
  }

  // Called for every job that finishes (the closed loop counts them).
  std::function<void(double)> on_finished;
  // When set, every job that ends writes its row here (--output).
  Recorder* recorder = nullptr;

  static long long units_for(double gpus) {
    if (gpus >= 1.0) return std::llround(gpus) * kSlices;
    return std::max<long long>(1, static_cast<long long>(std::ceil(gpus * kSlices - 1e-9)));
  }

  // Jobs arriving together: each placed now or waiting (the engine's
  // submit_batch), then delivered to their centers.
  void submit_batch(const std::vector<Job>& jobs) {
    for (const Job& job : jobs) {
      auto* j = new RawJob;
      j->job = job;
      j->units = units_for(job.gpus);
      ++submitted_;
      if (!place(j)) waiting_.push_back(j);
    }
    flush();
  }

  // An inference service: holds its chips at its city until the horizon.
  void deploy_service(int city, double chips) {
    const long long units = units_for(chips);
    const int pool = pool_for(center_of_city(city), units);
    if (pool < 0) return;
    take(pool, units);
  }

  // A comm reported its end (from on_completion).
  void on_comm_done(RawJob* j) {
    retired_.push_back(std::move(j->comm));
    j->comm = nullptr;
    j->transfer_s += now() - j->transfer_t0_s;
    if (!j->computed) arrive(j);
    else finish(j);
    flush();
  }
  void drop_retired() { retired_.clear(); }

  // The horizon: energy of the pools (and of the jobs still running) up to it.
  void print_summary(double horizon, double wall, double cpu) const {
    double it_J = 0, fac_J = 0, cost = 0, carbon = 0;
    for (const RawPool& p : pools_) {
      const topo::City& c = topo_.cities[p.city];
      const double e = p.it_energy_J(horizon);
      it_J += e;
      fac_J += e * c.pue;
      cost += e * c.pue * c.price_cny_per_J;
      carbon += e * c.pue * topo_.grids[c.grid_index].carbon_kg_per_J;
    }
    std::printf(
        "raw_simgrid jobs=%llu completed=%llu simulated_s=%.0f simulated_days=%.2f wall_s=%.3f "
        "cpu_s=%.3f jobs_per_s=%.0f peak_rss_mib=%.1f bytes_moved=%.3e peak_in_flight=%llu "
        "energy_MWh=%.1f job_energy_MWh=%.1f cost_CNY=%.0f carbon_t=%.1f\n",
        static_cast<unsigned long long>(submitted_), static_cast<unsigned long long>(done_), horizon,
        horizon / 86400.0, wall, cpu, static_cast<double>(submitted_) / wall, bench::peak_rss_mib(),
        bytes_, static_cast<unsigned long long>(peak_in_flight_), fac_J / 3.6e9, job_J_ / 3.6e9,
        cost, carbon / 1000.0);
    (void)it_J;
  }

 private:
  int center_of_city(int city) const {
    for (int c = 0; c < static_cast<int>(centers_.size()); ++c)
      if (centers_[c].city == city) return c;
    return -1;
  }
  // Whether center c has a pool with `units` free now.
  bool has_room(int c, long long units) const {
    for (int p : centers_[c].pools)
      if (pools_[p].free >= units) return true;
    return false;
  }
  // The pool of center c a job goes to: the most free units net of the
  // queue, among pools large enough (EngineState::pick_pool's rule).
  int pool_for(int c, long long units) const {
    int best = -1;
    for (int p : centers_[c].pools) {
      if (pools_[p].total < units) continue;
      if (best < 0 || pools_[p].free - pools_[p].queued_units > pools_[best].free - pools_[best].queued_units)
        best = p;
    }
    return best;
  }
  void take(int pool, long long units) {
    RawPool& p = pools_[pool];
    p.set_used(now(), p.total - p.free);
    p.free -= units;
    centers_[p.center].free -= units;
  }
  void give_back(int pool, long long units) {
    RawPool& p = pools_[pool];
    p.set_used(now(), p.total - p.free);
    p.free += units;
    centers_[p.center].free += units;
  }
  static double now() { return sg4::Engine::get_clock(); }

  // Least loaded (policies/least_loaded.lua): most free chips among centers
  // where the job fits now, ties to the fewer queued jobs, then the lower
  // index; a pinned job: its center, when it fits there now. The job is
  // delivered to its center by the next flush().
  bool place(RawJob* j) {
    int best = -1;
    if (j->job.pinned_center >= 0) {
      const int c = center_of_city(j->job.pinned_center);
      best = c >= 0 && has_room(c, j->units) ? c : -1;
    } else {
      for (int c = 0; c < static_cast<int>(centers_.size()); ++c) {
        if (!has_room(c, j->units)) continue;
        if (best < 0 || centers_[c].free > centers_[best].free ||
            (centers_[c].free == centers_[best].free && centers_[c].queued < centers_[best].queued))
          best = c;
      }
    }
    if (best < 0) return false;
    j->pool = pool_for(best, j->units);
    ++placed_;
    peak_in_flight_ = std::max(peak_in_flight_, placed_ - done_);
    if (inbox_[best].empty()) inbox_order_.push_back(best);
    inbox_[best].push_back(j);
    return true;
  }

  // Placed jobs reach their centers, center by center in the order of their
  // first delivery (EngineState::flush_deliveries): the dataset moves, or the
  // job queues at once.
  void flush() {
    for (const int c : inbox_order_) {
      for (RawJob* j : inbox_[c]) {
        const int city = centers_[c].city;
        if (j->job.dataset_B > 0 && j->job.origin != city) transfer(j, j->job.origin, city, j->job.dataset_B);
        else arrive(j);
      }
      inbox_[c].clear();
    }
    inbox_order_.clear();
  }

  // The job is at its center: it queues for its pool's chips.
  void arrive(RawJob* j) {
    RawPool& p = pools_[j->pool];
    p.queue.push_back(j);
    p.queued_units += j->units;
    ++centers_[p.center].queued;
    start_queued(j->pool);
  }
  void start_queued(int pool) {
    RawPool& p = pools_[pool];
    while (!p.queue.empty() && p.queue.front()->units <= p.free) {
      RawJob* j = p.queue.front();
      p.queue.pop_front();
      p.queued_units -= j->units;
      --centers_[p.center].queued;
      take(pool, j->units);
      start_compute(j);
    }
  }

  // Waits the route's latency on a timer, then moves the bytes as one comm.
  void transfer(RawJob* j, int src, int dst, double bytes) {
    bytes_ += bytes;
    j->bytes_B += bytes;
    j->transfer_t0_s = now();
    Timer::set(now() + routes_.best(src, dst).latency_s, [this, j, src, dst, bytes] {
      j->comm = sg4::Comm::sendto_init(platform_.sender(src), platform_.receiver(dst, 0));
      j->comm->set_payload_size(static_cast<std::uint64_t>(bytes));
      j->comm->set_data(j);
      j->comm->start();
    });
  }

  void start_compute(RawJob* j) {
    j->start_s = now();
    Timer::set(now() + j->job.duration_s / pools_[j->pool].speed, [this, j] { end_compute(j); });
  }

  void end_compute(RawJob* j) {
    const RawPool& p = pools_[j->pool];
    const topo::City& c = topo_.cities[p.city];
    const double chips = static_cast<double>(j->units) / kSlices;
    j->end_s = now();
    j->energy_J = chips * p.busy_W * (j->end_s - j->start_s) * c.pue;
    j->cost_CNY = j->energy_J * c.price_cny_per_J;
    j->carbon_kg = j->energy_J * topo_.grids[c.grid_index].carbon_kg_per_J;
    job_J_ += j->energy_J;
    const int pool = j->pool;
    give_back(pool, j->units);
    j->computed = true;
    if (j->job.result_B > 0 && j->job.origin != p.city) transfer(j, p.city, j->job.origin, j->job.result_B);
    else finish(j);
    start_queued(pool);
    retry_waiting();
    flush();
  }

  // Chips were freed: the first 256 waiting jobs are placed again, those
  // still without room go to the back (EngineState::capacity_changed).
  void retry_waiting() {
    const std::size_t k = std::min<std::size_t>(256, waiting_.size());
    std::vector<RawJob*> batch(waiting_.begin(), waiting_.begin() + static_cast<std::ptrdiff_t>(k));
    waiting_.erase(waiting_.begin(), waiting_.begin() + static_cast<std::ptrdiff_t>(k));
    for (RawJob* j : batch)
      if (!place(j)) waiting_.push_back(j);
  }

  void finish(RawJob* j) {
    ++done_;
    if (recorder != nullptr) record(*j);
    delete j;
    if (on_finished) on_finished(now());
  }

  // The job's row: what this program models (a flat pool, no data tier,
  // no outages); the other columns keep their defaults.
  void record(const RawJob& j) {
    const RawPool& p = pools_[j.pool];
    JobRecord r;
    r.id = j.job.id;
    r.kind = j.job.kind;
    r.origin = j.job.origin;
    r.center = p.city;
    r.pool = j.pool;
    r.chip = topo_.accelerators[p.accel].id;
    r.submit_s = j.job.submit_s;
    r.start_s = j.start_s;
    r.end_s = j.end_s;
    r.wait_s = j.start_s - j.job.submit_s;
    r.gpus = j.job.gpus;
    r.transfer_s = j.transfer_s;
    r.bytes_moved = j.bytes_B;
    r.energy_J = j.energy_J;
    r.cost_CNY = j.cost_CNY;
    r.carbon_kg = j.carbon_kg;
    r.status = JobStatus::completed;
    recorder->job(r);
  }

  const topo::Topology& topo_;
  const topo::RouteTable& routes_;
  const Platform& platform_;
  std::vector<RawPool> pools_;
  std::vector<RawCenter> centers_;
  std::deque<RawJob*> waiting_;
  std::vector<std::vector<RawJob*>> inbox_;  // per center: placed, not yet delivered
  std::vector<int> inbox_order_;
  std::vector<sg4::CommPtr> retired_;  // finished comms, dropped at the next completion
  std::uint64_t submitted_ = 0, placed_ = 0, done_ = 0, peak_in_flight_ = 0;
  double bytes_ = 0, job_J_ = 0;
};

// One slot for SimGrid's completion signal: every comm is a job's transfer.
void connect_completions(World& w) {
  sg4::Activity::on_completion_cb([&w](const sg4::Activity& a) {
    // SimGrid still uses a comm after reporting it: finished comms are kept
    // until the next report (never dropped inside their own callback).
    w.drop_retired();
    if (a.get_state() != sg4::Activity::State::FINISHED) return;
    if (auto* j = a.get_data<RawJob>()) w.on_comm_done(j);
  });
}

// The bench mix: arrivals from make_job_source, one timer per arrival instant.
class Arrivals {
 public:
  Arrivals(World& w, std::unique_ptr<JobSource> source) : w_(w), source_(std::move(source)) {}
  void start() {
    next_ = source_->next();
    arm();
  }

 private:
  void arm() {
    if (next_) Timer::set(next_->submit_s, [this] { fire(); });
  }
  void fire() {
    const double t = sg4::Engine::get_clock();
    batch_.clear();
    while (next_ && next_->submit_s <= t) {
      batch_.push_back(*next_);
      next_ = source_->next();
    }
    arm();
    w_.submit_batch(batch_);
  }
  World& w_;
  std::unique_ptr<JobSource> source_;
  std::optional<Job> next_;
  std::vector<Job> batch_;
};

// The closed loop of bench/closed_loop.hpp, with engine_scaling's job order:
// at a poll, the job drawn at the previous poll enters, then jobs enter while
// fewer than N are in flight, then the next poll's job is drawn.
class Loop {
 public:
  Loop(World& w, const topo::Topology& topo, const bench::LoopOptions& o)
      : w_(w), jobs_(topo, o.mode, o.seed), window_(o) {
    w.on_finished = [this](double now) {
      if (window_.on_finished(now)) {
        window_.print("raw_simgrid", "per_transfer");
        std::_Exit(0);  // jobs in flight are left behind on purpose: the process ends
      }
    };
  }
  void start() { poll(); }

 private:
  void poll() {
    const double t = sg4::Engine::get_clock();
    std::vector<Job> batch;
    if (pending_) {
      window_.on_issued();
      pending_->submit_s = t;
      batch.push_back(*pending_);
      pending_.reset();
    }
    for (;;) {
      Job j = jobs_.draw();
      if (!window_.wants_job()) {
        pending_ = j;
        break;
      }
      j.submit_s = t;
      window_.on_issued();
      batch.push_back(j);
    }
    Timer::set(window_.next_poll(t), [this] { poll(); });
    w_.submit_batch(batch);
  }
  World& w_;
  bench::LoopJobs jobs_;
  bench::LoopWindow window_;
  std::optional<Job> pending_;
};

[[noreturn]] void usage(const std::string& why) {
  std::fprintf(stderr,
               "raw_simgrid: %s\n"
               "usage: raw_simgrid --jobs N [--seed S] [--topology FILE.graphml] [--output FILE.h5]\n"
               "       raw_simgrid --loop jobs|transfers|mixed --inflight N [--measure M] [--warmup W]\n"
               "                   [--max-cpu S] [--seed S] [--topology FILE.graphml]\n"
               "       raw_simgrid --horizon N\n",
               why.c_str());
  std::exit(2);
}

}  // namespace

int main(int argc, char** argv) {
  keep_large_buffers();  // as suanwang's main: the same allocator settings for the same work
  long long n = -1;
  std::uint64_t seed = 1;
  std::string topology = SUANWANG_SOURCE_DIR "/topology/china.graphml";
  std::string output;
  bool loop = false;
  bench::LoopOptions lo;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    const auto value = [&] {
      if (i + 1 >= argc) usage("option '" + a + "' needs a value");
      return std::string(argv[++i]);
    };
    if (a == "--jobs") n = std::atoll(value().c_str());
    else if (a == "--seed") seed = std::strtoull(value().c_str(), nullptr, 10);
    else if (a == "--topology") topology = value();
    else if (a == "--output") output = value();
    else if (a == "--loop") {
      if (!bench::parse_loop_mode(value(), &lo.mode)) usage("--loop: jobs, transfers or mixed");
      loop = true;
    } else if (a == "--inflight") lo.inflight = std::atoll(value().c_str());
    else if (a == "--measure") lo.measure = std::atoll(value().c_str());
    else if (a == "--warmup") lo.warmup = std::atoll(value().c_str());
    else if (a == "--max-cpu") lo.max_cpu_s = std::atof(value().c_str());
    else if (a == "--horizon") {
      const long long m = std::atoll(value().c_str());
      std::printf("%.0f\n", bench_horizon(m));
      for (const auto& g : bench_workload(m).generators) std::printf("%lld\n", g.max_jobs);
      return 0;
    } else usage("unknown option '" + a + "'");
  }
  lo.seed = seed;
  if (loop) {
    if (lo.inflight <= 0) usage("--inflight N (N > 0) is required");
  } else if (n <= 0) {
    usage("--jobs N (N > 0) or --loop MODE is required");
  }

  const auto wall0 = std::chrono::steady_clock::now();
  int sg_argc = 2;
  char arg0[] = "raw_simgrid";
  char arg1[] = "--log=root.thres:critical";
  char* sg_argv[] = {arg0, arg1, nullptr};
  sg4::Engine e(&sg_argc, sg_argv);
  configure_wan_model();

  const topo::Topology topo = topo::load_topology(topology);
  const topo::RouteTable routes(topo);
  const Platform platform(topo, routes);
  World w(topo, routes, platform);
  connect_completions(w);

  if (loop) {
    Loop l(w, topo, lo);
    l.start();
    e.run_until(100 * 365 * 86400.0);
    std::fprintf(stderr, "raw_simgrid: the closed loop ended before its window\n");
    return 1;
  }

  const double horizon = bench_horizon(n);
  const int service_city = topo.city_index(kServiceCity);
  if (service_city >= 0) w.deploy_service(service_city, kServiceChips);
  std::unique_ptr<Hdf5Recorder> recorder;
  if (!output.empty()) {
    Hdf5Options ho;
    ho.force = true;
    recorder = std::make_unique<Hdf5Recorder>(output, ho);
    RunInfo info;
    info.run_id = info.scenario_name = "raw_simgrid";
    info.seed = seed;
    info.duration_s = horizon;
    info.network = make_network_info(topo);
    recorder->begin_run(info);
    w.recorder = recorder.get();
  }
  Arrivals arrivals(w, make_job_source(bench_workload(n), topo, seed, horizon));
  arrivals.start();
  e.run_until(horizon);
  if (recorder) {
    RunEnd end;
    end.simulated_s = horizon;
    recorder->end_run(end);
    recorder->commit();
  }
  const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - wall0).count();
  w.print_summary(horizon, wall, bench::cpu_seconds());
  std::fflush(stdout);
  // Jobs and comms in flight at the horizon are left behind on purpose: the process ends.
  std::_Exit(0);
}

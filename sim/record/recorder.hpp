// Recorder: everything a run reports, as a stream of events.
//
// The engine calls these in simulated-time order; an implementation writes
// them somewhere (Hdf5Recorder: an HDF5 file; MemoryRecorder: vectors, for
// tests). A Recorder must not hold per-job rows beyond what it needs for the
// summary (see SummaryAccumulator): a 10-million-job run streams through it.
// Calls come from one thread. Units SI; CNY for money, kg for CO2.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "sim/core/job.hpp"
#include "sim/core/traffic.hpp"

namespace suanwang {

// The network a run simulates, as plain data: the topology with the
// scenario's overrides applied (written under /runs/<id>/network, so the file
// needs nothing else to be read). Built by make_network_info (run_info.hpp).
//
// Indices are those of every other record of the run: cities in topology
// order (JobRecord.origin and .center), pools grouped by center with centers
// in city order and pools in each city's order (JobRecord.pool), centers =
// the cities that have pools, in city order (CenterSample.center,
// CenterTotals.center), links in topology order (LinkSample columns).
// Units SI: degrees for lat/lon, CNY/J, kg/J, W, B, B/s, s, m, FLOP/s.
struct CityInfo {
  std::string name;             // ASCII id, "Shanghai"
  std::string name_zh;          // UTF-8, "" if not given
  std::string province;
  double lat_deg = 0, lon_deg = 0;
  std::string grid;             // grid region id
  double carbon_kg_per_J = 0;   // grid factor in effect (series, year, area below), before green power
  std::string carbon_series;    // "province" | "region" | "national" | ...
  int carbon_year = 0;
  std::string carbon_area;      // the area the factor is published for ("Beijing", "north", "China")
  double green_share = 0;       // share of green power (0..1)
  bool green_power = false;     // the run charges (1 - green_share) x the grid factor
  std::string carbon_profile;   // the hourly profile applied, "" when none
  double price_CNY_per_J = 0;   // overrides applied, before the time-of-use profile
  double pue = 1;
  double demand_weight = 0;
  std::string hub;              // East-Data-West-Compute hub, "" if none
  bool interconnect = false;
};

struct PoolInfo {
  int city = -1;                // city index of its center
  std::string chip, vendor, family;  // family: "domestic" | "imported"
  int count = 0;                // chips
  double fp16_flops = 0;        // per chip, dense FP16 FLOP/s
  double memory_B = 0;          // per chip
  double busy_W = 0, idle_W = 0;  // per chip, IT power
  bool cuda = false;
  int servers = 0;              // 0: a flat pool
  int per_server = 0;           // 0: flat, or a listed mix of servers
};

struct LinkInfo {
  std::string name;             // "A-B/carrier"
  int a = -1, b = -1;           // city indices
  std::string carrier;
  double bandwidth_Bps = 0;     // each direction
  double latency_s = 0;         // one way
  double length_m = 0;          // 0 when the topology gave the latency directly
};

struct NetworkInfo {
  std::string topology_file;
  std::vector<CityInfo> cities;
  std::vector<PoolInfo> pools;  // grouped by center, centers in city order
  std::vector<LinkInfo> links;

  // City indices of the centers, in center order (the distinct pool cities).
  std::vector<int> center_cities() const;
  // "City/chip": a pool's id in the jobs table and in network/pools.
  std::string pool_name(std::size_t pool) const;
};

// The data tier as simulated: the dataset catalog and the storage sites.
struct DatasetInfo {
  std::string name;
  double size_B = 0;
  double weight = 1;
  std::vector<int> homes;       // city indices of its storage sites
};
struct StorageInfo {
  int city = -1;
  double read_Bps = 0;
  double capacity_B = 0;        // infinity when not given
};

// Everything that identifies a run; written as attributes of /runs/<run_id>
// (and its network as /runs/<run_id>/network). Built by make_run_info
// (run_info.hpp) for real runs and failed sweep points alike.
struct RunInfo {
  std::string run_id;                          // the scenario name, or a sweep point id
  std::string scenario_name;
  std::string scenario_file;
  std::string scenario_text;
  std::string policy_name;
  std::string policy_text;
  std::uint64_t seed = 0;
  double duration_s = 0;                       // simulated horizon
  double sample_interval_s = 0;
  std::map<std::string, std::string> parameters;  // every resolved parameter
  std::map<std::string, std::string> sweep_point; // axis -> value, sweeps only
  NetworkInfo network;
  std::vector<DatasetInfo> datasets;           // the catalog, in order (empty: none)
  std::vector<StorageInfo> storage;            // storage sites, in scenario order
  bool record_flows = false;                   // the run writes a flows table (FlowRecord)
};

// One row of the jobs table. Written once per job, when it ends (or at the
// horizon with status unfinished). Times are -1 when the event did not happen.
struct JobRecord {
  std::uint64_t id = 0;
  JobKind kind = JobKind::training;
  int origin = -1;        // city index
  int center = -1;        // city index of the center that ran it last, -1: none
  int pool = -1;          // pool index, -1: none
  std::string chip;       // chip id of that pool, "" if none
  double submit_s = 0;
  double start_s = -1;    // last (re)start of execution
  double end_s = -1;      // end of execution (completed) or of the job (failed)
  double wait_s = -1;     // start_s - submit_s, excluding nothing: includes transfers
  double gpus = 0;
  double transfer_s = 0;  // time spent moving dataset + result, retries included
  double transfer_delay_s = 0;  // extra time caused by link failures (retries, waits)
  double bytes_moved = 0; // dataset + result bytes actually sent, retries included
  double energy_J = 0;    // facility energy (IT x PUE) attributed to this job
  double cost_CNY = 0;
  double carbon_kg = 0;
  int restarts = 0;       // kills by center outages
  int server = -1;        // first server of its last allocation (pools made of servers), or -1
  int servers = 0;        // servers it last held (>1: a gang), 0 on a flat pool
  int preemptions = 0;    // evictions from chips a service lent it
  double lost_chip_s = 0; // chip-seconds of work lost to kills and evictions
  int dataset = -1;       // index into RunInfo::datasets, -1: input from its origin
  int cache_hit = -1;     // 1: its center's cache served it, 0: a storage site, -1: no catalog data
  int data_from = -1;     // city index of the storage site last read, -1: none
  double data_wait_s = 0; // reaching its center -> data there
  double stall_s = 0;     // chips waiting for streamed reads after the compute
  // Training that spans centers (sim/engine/spanning.hpp):
  int parts = 0;          // centers its last placement spanned: 1, 2+ when split; 0 if never placed
  double sync_B = 0;      // gradient bytes its parts sent each other over the backbone, retries included
  double span_slowdown = -1;  // multi-center rounds' time / the same iterations in one center; -1: never split
  JobStatus status = JobStatus::completed;
  std::string reason;     // why failed / rejected / unfinished; "" when completed
};

// One part of a multi-center job's placement, written when the part ends
// (the job finished, the part was killed or given back, or the horizon).
enum class PartOutcome : std::uint8_t {
  completed = 0,   // the job ran to its end
  killed = 1,      // an outage at one of the job's centers killed every part
  released = 2,    // the other parts did not start within span_hold: chips given back
  unfinished = 3,  // still there at the horizon
};
inline const char* to_string(PartOutcome o) {
  switch (o) {
    case PartOutcome::completed: return "completed";
    case PartOutcome::killed: return "killed";
    case PartOutcome::released: return "released";
    case PartOutcome::unfinished: return "unfinished";
  }
  return "?";
}

struct PartRecord {
  std::uint64_t job = 0;
  int attempt = 1;         // the job's placement on parts this part belongs to, from 1
  int part = 0;            // index in ring order, from 0
  int center = -1;         // city index
  int pool = -1;           // pool index
  double gpus = 0;
  double start_s = -1;     // its chips allocated; -1 if it never started
  double end_s = -1;       // its chips given back (or the horizon)
  double held_idle_s = 0;  // holding its chips idle, waiting for the other parts to start
  double sync_B = 0;       // gradient bytes it sent to the next part, retries included
  double sync_delay_s = 0; // extra time its sends took because of link failures
  double energy_J = 0;     // facility energy of its chips while the job ran
  PartOutcome outcome = PartOutcome::completed;
};

enum class FlowOutcome : std::uint8_t {
  completed = 0,   // its last byte arrived
  lost = 1,        // stopped early: a link or center failed, its part was released, its job evicted
  unfinished = 2,  // still moving at the horizon
};
inline const char* to_string(FlowOutcome o) {
  switch (o) {
    case FlowOutcome::completed: return "completed";
    case FlowOutcome::lost: return "lost";
    case FlowOutcome::unfinished: return "unfinished";
  }
  return "?";
}

// One flow of bytes on the network: an attempt of a transfer from the moment
// its route's latency was paid (runs with record_flows only).
struct FlowRecord {
  std::uint64_t job = 0;
  TrafficPurpose purpose = TrafficPurpose::dataset;
  int src = -1, dst = -1;    // city indices
  bool from_storage = false; // read from the storage site in src
  int variant = 0;           // route variant
  double start_s = 0, end_s = 0;
  double bytes = 0;          // to move
  double moved_B = 0;        // moved (= bytes when completed)
  FlowOutcome outcome = FlowOutcome::completed;
};

// Time-series sample of one center, every sample_interval_s.
struct CenterSample {
  double time_s = 0;
  int center = -1;          // center index
  double busy_chips = 0;
  int queue_length = 0;     // jobs in local queues
  int running_jobs = 0;
  double power_W = 0;       // facility power (IT x PUE), averaged over the interval
  double energy_J = 0;      // facility energy so far
  bool up = true;
  double fragmented_chips = 0;  // free chips the recent job mix cannot use (servers only)
  double cache_used_B = 0;      // bytes in its dataset cache
};

// Time-series sample of all links at once, every sample_interval_s.
struct LinkSample {
  double time_s = 0;
  std::vector<double> utilization;   // per link, mean over the interval, 0..1 (max of directions)
  std::vector<double> bytes;         // per link, bytes carried during the interval
  std::vector<std::uint8_t> up;      // per link, 1 = up at sample time
};

// One inference service's request-latency statistics per sample interval.
struct ServiceSample {
  double time_s = 0;
  int service = -1;
  double request_rate_per_s = 0;
  double p50_latency_s = 0, p95_latency_s = 0, p99_latency_s = 0;
  double slo_violation_fraction = 0;
  double utilization = 0;
  double lent_chips = 0;      // chips it lent to preemptible jobs (colocation), at sample time
  double borrowed_chips = 0;  // of those, chips running preemptible jobs
};

struct CenterTotals {
  int center = -1;
  double energy_J = 0, it_energy_J = 0, cost_CNY = 0, carbon_kg = 0;
  double busy_chip_seconds = 0;
  std::uint64_t jobs_completed = 0;
  double cache_B = 0;
  std::uint64_t cache_hits = 0, cache_misses = 0, cache_evictions = 0;
};

// End-of-run facts the recorder cannot derive from the job rows.
struct RunEnd {
  std::string status = "completed";   // "completed" | "failed: <why>"
  double wall_time_s = 0;
  double simulated_s = 0;             // clock at the end
  double chip_seconds_available = 0;  // sum over pools of chips x up time
  double busy_chip_seconds = 0;
  std::vector<CenterTotals> centers;
  std::vector<std::string> services;  // service index -> name
  // Per dataset of RunInfo::datasets: requests, and those a cache served.
  std::vector<std::uint64_t> dataset_requests, dataset_served;
  std::vector<double> storage_read_B;  // per storage site of RunInfo::storage
  std::vector<TrafficCell> traffic;    // non-zero cells
};

class Recorder {
 public:
  virtual ~Recorder() = default;
  virtual void begin_run(const RunInfo& info) = 0;
  virtual void job(const JobRecord& row) = 0;
  virtual void center_sample(const CenterSample& s) = 0;
  virtual void link_sample(const LinkSample& s) = 0;
  virtual void service_sample(const ServiceSample& s) = 0;
  // A part of a multi-center job (none in runs without them).
  virtual void part(const PartRecord& /*row*/) {}
  // A flow that ended (runs with RunInfo::record_flows only).
  virtual void flow(const FlowRecord& /*row*/) {}
  // Completes the run: summary attributes, totals. After this, no more calls.
  virtual void end_run(const RunEnd& end) = 0;
};

}  // namespace suanwang

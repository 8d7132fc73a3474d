// Scenario: one experiment, read from a Lua file into plain C++ data.
//
// After load_scenario() returns, no Lua is involved: the engine, recorder and
// sweep runner read this struct. All values SI; paths resolved against the
// scenario file's folder. See README "Scenario reference" for each key, its
// unit and default (that table is the public contract; this struct mirrors it).
// The initial values below are the defaults: the reader takes them from here.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <variant>
#include <vector>

#include "sim/core/units.hpp"
#include "sim/topology/topology.hpp"
#include "sim/workload/workload_spec.hpp"

namespace suanwang {

// A scalar handed to the policy through `params`, keyed by dotted path
// ("weights.carbon"). Nested tables are flattened; the policy bridge rebuilds them.
using ParamValue = std::variant<bool, double, std::string>;

// How a pool's local queue starts jobs (sim/engine/local_queue.hpp).
enum class QueueDiscipline : std::uint8_t { fcfs, easy, easy_servers, none };
const char* to_string(QueueDiscipline d);

// Which server(s) of a pool made of servers a job gets
// (sim/engine/node_placement.hpp says what each does).
enum class NodePolicy : std::uint8_t { random_fit, best_fit, worst_fit, dot_product, packing, fgd };
const char* to_string(NodePolicy p);
bool parse_node_policy(const std::string& text, NodePolicy* out);
const std::vector<std::string>& node_policy_names();

struct LinkFailure {        // scheduled
  std::string link;         // "Beijing-Wuhan/ct", or "carrier:ct" for a whole backbone (link_name.hpp)
  double at_s = 0;
  double for_s = 0;         // 0: never repaired
};
struct CenterOutage {
  std::string city;
  double at_s = 0;
  double for_s = 0;
};
struct RandomFailures {     // exponential MTBF/MTTR per element
  double link_mtbf_s = 0, link_mttr_s = 0;      // 0: off
  double center_mtbf_s = 0, center_mttr_s = 0;  // 0: off
};
struct FailureSpec {
  std::vector<LinkFailure> links;
  std::vector<CenterOutage> centers;
  RandomFailures random;
  int max_restarts = 10;    // a job killed more often than this fails
};

// An object store in a city: where datasets live (their homes). Reads from
// it share its read bandwidth (a link between the store and the city's
// backbone gateway), wherever the reader is.
struct StorageSite {
  int city = -1;                  // city index
  double read_Bps = 0;            // > 0
  double capacity_B = 0;          // > 0; infinity when not given
};

// The data tier: storage sites (homes of the catalog's datasets,
// WorkloadSpec::datasets) and the centers' caches.
struct StorageSpec {
  std::vector<StorageSite> sites;     // at most one per city
  std::vector<double> cache_B;        // per city: its center's cache capacity, 0: none
};

struct SweepAxis {
  std::string key;                    // dotted scenario key ("params.alpha", "policy")
  std::vector<std::string> values;    // rendered as --set values
};

struct Scenario {
  std::string name;
  std::string file;           // path as given
  std::string text;           // full text of the scenario file
  std::string dir;            // folder of the file: relative paths resolve here
  std::string topology_path;
  topo::Topology topology;    // loaded, with the `centers` overrides applied
  double duration_s = units::kSecondsPerWeek;
  std::uint64_t seed = 1;
  std::string policy_path;    // resolved .lua file (built-ins live in policies/)
  std::string policy_name;    // "least_loaded" or the file stem
  std::map<std::string, ParamValue> params;
  QueueDiscipline local_queue = QueueDiscipline::fcfs;
  std::string reference_chip = "a100";
  WorkloadSpec workload;
  StorageSpec storage;
  FailureSpec failures;
  std::string output_path;    // HDF5 target
  double sample_interval_s = units::kSecondsPerHour;  // time-series sampling
  bool record_flows = false;  // a row per network flow in the result (the flows table)
  double tick_interval_s = 0;       // policy on_tick period, 0: never
  std::vector<double> price_profile_hourly;  // time-of-use multipliers, empty: flat
  std::string on_policy_error = "abort";     // "abort" | "reject" (record the job rejected)
  std::uint64_t instruction_budget = 1000000;// Lua VM instructions per hook call
  double hook_time_limit_s = 10;              // wall time per hook call (0: none)
  double policy_memory_B = 256e6;            // bytes per policy Lua state (0: none)
  int vgpu_slices = 10;       // a chip is split into this many shares for fractional jobs
  // How concurrent transfers share the backbone in SimGrid: "bundled" (one
  // comm per busy route, the default) or "per_transfer" (one comm per
  // transfer, the reference). Same transfer times; see sim/engine/flow_model.hpp.
  std::string flow_model = "bundled";
  // Pools made of servers ("chip:NxG", or a center's `nodes` list): how a
  // job gets its server(s), and how much slower a job spread over several
  // servers runs (per kind, a fraction: 0.05 = 5% longer).
  NodePolicy node_placement = NodePolicy::best_fit;
  double spread_slowdown[3] = {0, 0, 0};  // indexed by JobKind
  // GPU sharing in pools made of servers: "node_bound" (a job's chips, or its
  // share of a chip, come from one server: today's reality) or "pooled"
  // (remote vGPU over the center network: a job's units may come from any
  // server, at the price of running pooling_slowdown slower, a fraction).
  bool gpu_pooling = false;
  double pooling_slowdown = 0;
  // Training that spans centers (sim/engine/spanning.hpp): a multi-center
  // job runs in rounds of whole iterations worth about span_round_s of
  // compute; parts that started may hold their chips span_hold_s waiting for
  // the others, then the job goes back to the policy.
  double span_round_s = 60;
  double span_hold_s = units::kSecondsPerHour;
  std::vector<SweepAxis> sweep;
  int replications = 1;
  // Every resolved parameter as text, for the HDF5 run attributes.
  std::map<std::string, std::string> resolved;
};

// Dotted-key override from the command line: --set duration=3d --set params.alpha=0.5
struct Override {
  std::string key;
  std::string value;
};

// Reads, validates and resolves a scenario, loading its topology (so city
// names in the workload resolve to indices) and applying `centers`
// overrides. Unknown keys are errors with a suggestion ("duraton: unknown
// key, did you mean duration?"). Throws UserError.
Scenario load_scenario(const std::string& path, const std::vector<Override>& overrides = {});

}  // namespace suanwang

// The HDF5 run format: layout information shared by every writer and reader.
//
// This header is the one home of the layout (names of groups, datasets and
// attributes; the fields of every table with their units and descriptions).
// Writers: Hdf5Recorder (a run), write_failed_run (a sweep point that did not
// complete), write_sweep (a sweep's /sweep and /sweep_summary), copy_run
// (sweeps and `suanwang merge`). Readers: Hdf5Reader, the sweep runner and
// merge, and the Python module scripts/suanwang/ (which mirrors the names
// below; everything else it learns from the file's own attributes).
//
// Layout, format_version 1.5 (1.0 plus the network tables and the per-field
// `description.<field>` attributes in 1.1; the node model's columns in 1.2:
// jobs.server/servers/preemptions/lost_chip_s, centers.fragmented_chips,
// pools.servers/per_server, services.lent_chips/borrowed_chips; in 1.3 the
// carbon accounting of each city: cities.carbon_series/carbon_year/carbon_area/
// green_share/green_power/carbon_profile, and the data tier: jobs.dataset/
// cache_hit/data_from/data_wait_s/stall_s, centers.cache_used_B,
// center_totals.cache_*, and the datasets, storage and traffic tables;
// training that spans centers in 1.4: jobs.parts/sync_B/span_slowdown and
// the parts table; in 1.5 the seal, a user block of 512 bytes holding a
// checksum of the rest, see result_seal.hpp; in 1.6 the optional flows
// table):
//
//   bytes 0..511               the seal (one line of text, NUL padded)
//   /                          attrs suanwang_version, git_revision, format_version,
//                              created (ISO 8601 UTC)
//   /runs/<run_id>             attrs: see run_attr below; param.<key> (str) per
//                              resolved scenario value, sweep.<axis> (str) per
//                              sweep setting. A completed run has every member
//                              below; a run that failed before it started
//                              (a failed sweep point) has the attributes only.
//   /runs/<id>/jobs            compound table, one row per job (kJobFields)
//   /runs/<id>/parts           compound table, one row per part of a multi-center
//                              job and placement (kPartFields); no rows without them
//   /runs/<id>/flows           compound table, one row per flow of bytes on the network
//                              (kFlowFields); only in runs with record_flows = true
//   /runs/<id>/centers/<city>  compound series, one row per sample (kCenterFields)
//   /runs/<id>/links/          time_s (n), utilization, bytes (n x links, f64),
//                              up (n x links, u8), names (links, str) (kLinkSeries);
//                              column k is row k of network/links
//   /runs/<id>/services/<name> compound series (kServiceFields)
//   /runs/<id>/summary         group whose attributes are the headline numbers
//                              (kSummaryAttrs), plus `description`
//   /runs/<id>/center_totals   compound table, one row per center (kCenterTotalsFields)
//   /runs/<id>/datasets        compound table, the dataset catalog (kDatasetFields)
//   /runs/<id>/storage         compound table, one row per storage site (kStorageFields)
//   /runs/<id>/traffic         compound table, bytes city -> city by purpose (kTrafficFields)
//   /runs/<id>/network/        the network as simulated (overrides applied):
//                              cities, pools, links (kCityFields, kPoolFields,
//                              kNetworkLinkFields); attrs description, topology_file
//   /sweep                     group, attrs: see sweep_attr (sweeps and merges only)
//   /sweep_summary             compound table, one row per point-group: group,
//                              one str field per axis, runs, completed, failed,
//                              then <metric>_mean and <metric>_ci95 per kSweepMetrics
//
// Every dataset has string attributes `description` and `units`; a compound
// table's `units` is a comma-separated list in field order, and each field f
// has `units.<f>` and `description.<f>`. Strings are UTF-8: attributes are
// variable-length; in compound tables, names from closed sets are fixed-length
// NULL-padded (sized from the data), `reason` is fixed at kReasonBytes, and
// sweep axis values are variable-length. Units are SI (s, B, B/s, W, J, m,
// FLOP/s), money in CNY, CO2 in kg; the network tables give price and carbon
// per kWh (as people quote them) and say so in their names.
//
// Changing anything here is changing a public contract: bump kFormatVersion,
// update README "HDF5 output" and scripts/suanwang/.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "sim/record/summary.hpp"

namespace suanwang::run_format {

inline constexpr const char* kFormatVersion = "1.6";

// ---- attributes every dataset carries
inline constexpr const char* kDescription = "description";
inline constexpr const char* kUnits = "units";
inline constexpr const char* kUnitsPrefix = "units.";              // + field name
inline constexpr const char* kDescriptionPrefix = "description.";  // + field name

// ---- the root
namespace root_attr {
inline constexpr const char* suanwang_version = "suanwang_version";
inline constexpr const char* git_revision = "git_revision";
inline constexpr const char* format_version = "format_version";
inline constexpr const char* created = "created";
}  // namespace root_attr

inline constexpr const char* kRuns = "runs";
// "runs/<id>": the path of a run group, relative to the root.
std::string run_path(std::string_view run_id);

// ---- a run group's attributes
namespace run_attr {
inline constexpr const char* scenario_name = "scenario_name";
inline constexpr const char* scenario_file = "scenario_file";
inline constexpr const char* scenario_text = "scenario_text";  // the file's full text
inline constexpr const char* policy_name = "policy_name";
inline constexpr const char* policy_text = "policy_text";
inline constexpr const char* seed = "seed";                    // u64
inline constexpr const char* duration_s = "duration_s";
inline constexpr const char* sample_interval_s = "sample_interval_s";
inline constexpr const char* git_revision = "git_revision";
inline constexpr const char* suanwang_version = "suanwang_version";
inline constexpr const char* status = "status";
// Written when the run ends (absent on a failed sweep point):
inline constexpr const char* wall_time_s = "wall_time_s";
inline constexpr const char* simulated_s = "simulated_s";
inline constexpr const char* chip_seconds_available = "chip_seconds_available";
inline constexpr const char* busy_chip_seconds = "busy_chip_seconds";
inline constexpr const char* param_prefix = "param.";   // + resolved scenario key
inline constexpr const char* sweep_prefix = "sweep.";   // + sweep axis key (or "seed")
}  // namespace run_attr

// Values of run_attr::status.
inline constexpr const char* kStatusRunning = "running";     // only while being written
inline constexpr const char* kStatusCompleted = "completed";
inline constexpr const char* kStatusFailedPrefix = "failed: ";  // + why

// ---- members of a run group
namespace run_member {
inline constexpr const char* jobs = "jobs";
inline constexpr const char* parts = "parts";
inline constexpr const char* flows = "flows";
inline constexpr const char* centers = "centers";
inline constexpr const char* links = "links";
inline constexpr const char* services = "services";
inline constexpr const char* summary = "summary";
inline constexpr const char* center_totals = "center_totals";
inline constexpr const char* network = "network";
inline constexpr const char* datasets = "datasets";
inline constexpr const char* storage = "storage";
inline constexpr const char* traffic = "traffic";
}  // namespace run_member

namespace network_member {
inline constexpr const char* cities = "cities";
inline constexpr const char* pools = "pools";
inline constexpr const char* links = "links";
}  // namespace network_member
inline constexpr const char* kTopologyFileAttr = "topology_file";  // attr of network/

// ---- compound tables
enum class FieldKind { u64, i32, u8, f64, fixed_str, vlen_str };

// One field of a compound table. Fixed-length strings are sized by the writer
// from the values (at least 1 byte), except where a width is given.
struct FieldSpec {
  const char* name;
  FieldKind kind;
  const char* units;        // "" for strings
  const char* description;
  std::size_t width = 0;    // fixed_str only: bytes; 0 = from the data
};

// `reason` is fixed-width so that merging runs copies compressed chunks as
// they are (a variable-length field would convert every row through the
// global heap, 30x slower); longer texts end in "..." (clip_reason).
inline constexpr std::size_t kReasonBytes = 256;
// `reason` cut to kReasonBytes at a UTF-8 character boundary, marked "...".
std::string clip_reason(const std::string& reason);

// Columns of the jobs table, in file order (kJobFields[job_col::x]).
namespace job_col {
enum : std::size_t {
  id, kind, origin, center, pool, chip, submit_s, start_s, end_s, wait_s, gpus, transfer_s,
  transfer_delay_s, bytes_moved, energy_J, cost_CNY, carbon_kg, restarts, server, servers, preemptions,
  lost_chip_s, dataset, cache_hit, data_from, data_wait_s, stall_s, parts, sync_B, span_slowdown, status,
  reason, n_fields
};
}  // namespace job_col

inline constexpr FieldSpec kJobFields[job_col::n_fields] = {
    {"id", FieldKind::u64, "1", "job id, unique in the run, arrival order from 1"},
    {"kind", FieldKind::fixed_str, "", "training | finetune | inference"},
    {"origin", FieldKind::fixed_str, "", "city where the job was submitted (network/cities name)"},
    {"center", FieldKind::fixed_str, "", "city of the center that ran it last; \"\" if none"},
    {"pool", FieldKind::fixed_str, "", "pool that ran it last, \"City/chip\" (network/pools name); \"\" if none"},
    {"chip", FieldKind::fixed_str, "", "chip id of that pool; \"\" if none"},
    {"submit_s", FieldKind::f64, "s", "arrival time"},
    {"start_s", FieldKind::f64, "s", "last (re)start of execution; -1 if it never started"},
    {"end_s", FieldKind::f64, "s", "end of execution (completed) or of the job (failed); -1 if none"},
    {"wait_s", FieldKind::f64, "s", "start_s - submit_s (dataset transfer included); -1 if it never started"},
    {"gpus", FieldKind::f64, "chips", "chips requested; below 1: a vGPU share of one chip"},
    {"transfer_s", FieldKind::f64, "s", "time spent moving the dataset in and the result back, retries included (a multi-center job: the longest of its parts' datasets)"},
    {"transfer_delay_s", FieldKind::f64, "s", "extra transfer time caused by link failures (retries, waits for a route; a multi-center job: the longest of its parts', gradient exchanges included)"},
    {"bytes_moved", FieldKind::f64, "B", "dataset, result and (multi-center jobs) gradient-exchange bytes sent over the backbone, retries included"},
    {"energy_J", FieldKind::f64, "J", "facility energy (IT x PUE) of its execution"},
    {"cost_CNY", FieldKind::f64, "CNY", "electricity cost of energy_J (time-of-use price)"},
    {"carbon_kg", FieldKind::f64, "kg", "CO2 of energy_J as charged: the center's grid factor x (1 - green share, if green_power) x the hour's multiplier (if hourly)"},
    {"restarts", FieldKind::i32, "1", "times it was killed by a center outage and resubmitted"},
    {"server", FieldKind::i32, "1", "index (network/pools' servers, from 0) of the first server it last ran on; -1 on a flat pool or if it never started"},
    {"servers", FieldKind::i32, "1", "servers it last held: 1, or more for a gang of whole servers; 0 on a flat pool or if it never started"},
    {"preemptions", FieldKind::i32, "1", "times it was evicted from chips an inference service had lent it (colocation)"},
    {"lost_chip_s", FieldKind::f64, "chip*s", "chip-seconds of work lost to kills and evictions (since the last checkpoint)"},
    {"dataset", FieldKind::fixed_str, "", "its dataset (a name of the datasets table); \"\" when its input came from its origin"},
    {"cache_hit", FieldKind::i32, "1", "1 when its center's cache served its dataset (present, or being filled for another job), 0 when read from a storage site, -1 without a catalog dataset"},
    {"data_from", FieldKind::fixed_str, "", "city of the storage site its dataset was last read from; \"\" when a cache served it or it has no catalog dataset"},
    {"data_wait_s", FieldKind::f64, "s", "time between reaching its center and its data being there (its own transfer or a shared cache fill)"},
    {"stall_s", FieldKind::f64, "s", "time its chips waited for its streamed reads after its compute was done"},
    {"parts", FieldKind::i32, "1", "centers its last placement spanned: 1 for one center, 2 or more for a training job split over several (see the parts table); 0 if never placed"},
    {"sync_B", FieldKind::f64, "B", "gradient bytes its parts sent each other over the backbone (multi-center jobs), retries included"},
    {"span_slowdown", FieldKind::f64, "1", "time its multi-center rounds took / the same iterations in one center at its slowest part's speed (1 = no penalty); -1 if it never ran split"},
    {"status", FieldKind::fixed_str, "", "completed | failed | rejected | unfinished (at the horizon)"},
    {"reason", FieldKind::fixed_str, "", "why failed, rejected or unfinished (\"\" when completed); at most 256 bytes, longer texts end in \"...\"", kReasonBytes},
};
inline constexpr const char* kJobsDescription =
    "One row per job, written when it ends (or at the horizon as unfinished). Times are "
    "simulated seconds, -1 when the event did not happen; names are \"\" when none.";

// Columns of the parts table (format 1.4): one row per part of a multi-center
// job and placement, written when the part ends.
namespace part_col {
enum : std::size_t {
  job, attempt, part, center, pool, gpus, start_s, end_s, held_idle_s, sync_B, sync_delay_s, energy_J,
  outcome, n_fields
};
}  // namespace part_col
inline constexpr FieldSpec kPartFields[part_col::n_fields] = {
    {"job", FieldKind::u64, "1", "id of its job (jobs table)"},
    {"attempt", FieldKind::i32, "1", "which placement of the job on several centers it belongs to, from 1 (a job killed by an outage is placed again)"},
    {"part", FieldKind::i32, "1", "index of the part in ring order, from 0: part i sends its gradient share to part i+1"},
    {"center", FieldKind::fixed_str, "", "city of its center (network/cities name)"},
    {"pool", FieldKind::fixed_str, "", "pool it ran in, \"City/chip\" (network/pools name)"},
    {"gpus", FieldKind::f64, "chips", "chips of the job in this part"},
    {"start_s", FieldKind::f64, "s", "when its chips were allocated; -1 if it never started"},
    {"end_s", FieldKind::f64, "s", "when it gave its chips back (the job ended, was killed, or the horizon); -1 if it never started"},
    {"held_idle_s", FieldKind::f64, "s", "time it held its chips idle, waiting for the other parts to start (idle power, not busy chip-seconds)"},
    {"sync_B", FieldKind::f64, "B", "gradient bytes it sent to the next part over the backbone, retries included"},
    {"sync_delay_s", FieldKind::f64, "s", "extra time its gradient sends took because of link failures (retries, waits for a route)"},
    {"energy_J", FieldKind::f64, "J", "facility energy (IT x PUE) of its chips while the job ran"},
    {"outcome", FieldKind::fixed_str, "", "completed (the job ran to its end) | killed (an outage at one of the job's centers) | released (the other parts did not start within span_hold) | unfinished (the horizon)"},
};
inline constexpr const char* kPartsDescription =
    "Parts of the training jobs that ran over several centers (data parallel, one part per "
    "center, a gradient exchange over the backbone every iteration): one row per part and "
    "placement, written when the part ends. Empty when no job was split.";

// Columns of the flows table (format 1.6, scenarios with record_flows =
// true): one row per flow, i.e. per attempt of a transfer that moved bytes
// on the network (SimGrid's sharing), written when it ends. A replay of these
// rows (start_s, from, to, variant, moved_B) on the same platform gives the
// same end_s: bench/raw_replay.
namespace flow_col {
enum : std::size_t { job, purpose, src, dst, from_storage, variant, start_s, end_s, bytes, moved_B, outcome, n_fields };
}  // namespace flow_col
inline constexpr FieldSpec kFlowFields[flow_col::n_fields] = {
    {"job", FieldKind::u64, "1", "id of the job it moves bytes for (jobs table)"},
    {"purpose", FieldKind::fixed_str, "", "dataset | result | cache_fill | stream | sync (as in the traffic table)"},
    {"src", FieldKind::fixed_str, "", "city the bytes leave (network/cities name)"},
    {"dst", FieldKind::fixed_str, "", "city the bytes reach"},
    {"from_storage", FieldKind::i32, "1", "1 when read from the storage site in src (its read link first, then the route), 0 from the city"},
    {"variant", FieldKind::i32, "1", "route variant it took, from 0 (the shortest); another after a link failure"},
    {"start_s", FieldKind::f64, "s", "when its first byte moved (the route's latency paid)"},
    {"end_s", FieldKind::f64, "s", "when it ended: its last byte arrived, it was lost, or the horizon"},
    {"bytes", FieldKind::f64, "B", "bytes it had to move"},
    {"moved_B", FieldKind::f64, "B", "bytes it moved (= bytes when completed)"},
    {"outcome", FieldKind::fixed_str, "", "completed | lost (stopped before its end: a link of its route failed and the transfer started over, its center failed, its part of a multi-center job was released, or its job was evicted from lent chips) | unfinished (still moving at the horizon)"},
};
inline constexpr const char* kFlowsDescription =
    "Every flow of bytes on the network (record_flows = true): one row per attempt of a "
    "transfer once its route's latency was paid, written when it ends. Rows come in the "
    "order flows ended.";

namespace center_col {
enum : std::size_t {
  time_s, busy_chips, queue_length, running_jobs, power_W, energy_J, up, fragmented_chips, cache_used_B,
  n_fields
};
}  // namespace center_col
inline constexpr FieldSpec kCenterFields[center_col::n_fields] = {
    {"time_s", FieldKind::f64, "s", "sample time (end of the interval)"},
    {"busy_chips", FieldKind::f64, "chips", "chips busy at sample time (fractional with vGPU shares)"},
    {"queue_length", FieldKind::i32, "jobs", "jobs in the center's local queues"},
    {"running_jobs", FieldKind::i32, "jobs", "jobs running"},
    {"power_W", FieldKind::f64, "W", "facility power (IT x PUE), mean over the interval"},
    {"energy_J", FieldKind::f64, "J", "facility energy since the start of the run"},
    {"up", FieldKind::u8, "1", "1 when the center is up at sample time, 0 during an outage"},
    {"fragmented_chips", FieldKind::f64, "chips", "free chips of its pools made of servers that the recent job mix could not use (Weng et al., ATC'23: per server, the free GPU share lost to each typical request shape, weighted by its share of arrivals); 0 for flat pools"},
    {"cache_used_B", FieldKind::f64, "B", "bytes of datasets in the center's cache (present or being filled)"},
};
// + the center's city name.
std::string center_series_description(const std::string& city);

namespace service_col {
enum : std::size_t {
  time_s, request_rate_per_s, p50_latency_s, p95_latency_s, p99_latency_s, slo_violation_fraction,
  utilization, lent_chips, borrowed_chips, n_fields
};
}  // namespace service_col
inline constexpr FieldSpec kServiceFields[service_col::n_fields] = {
    {"time_s", FieldKind::f64, "s", "sample time (end of the interval)"},
    {"request_rate_per_s", FieldKind::f64, "1/s", "mean request rate over the interval, all origins"},
    {"p50_latency_s", FieldKind::f64, "s", "median response time (network round trip + wait + service)"},
    {"p95_latency_s", FieldKind::f64, "s", "95th percentile of the response time"},
    {"p99_latency_s", FieldKind::f64, "s", "99th percentile of the response time"},
    {"slo_violation_fraction", FieldKind::f64, "1", "fraction of requests slower than the SLO"},
    {"utilization", FieldKind::f64, "1", "offered load / capacity of the chips serving (M/M/c)"},
    {"lent_chips", FieldKind::f64, "chips", "chips the service lent to preemptible jobs at sample time (colocation; 0 otherwise)"},
    {"borrowed_chips", FieldKind::f64, "chips", "of the lent chips, those running preemptible jobs at sample time"},
};
inline constexpr const char* kServiceDescription =
    "Request statistics of one inference service per sample interval (M/M/c per interval)";

// The datasets of links/: one row per sample, one column per link.
struct DatasetSpec {
  const char* name;
  const char* units;
  const char* description;
};
namespace link_series {
inline constexpr DatasetSpec time_s = {"time_s", "s", "Sample times of the link datasets (rows)"};
inline constexpr DatasetSpec utilization = {
    "utilization", "1",
    "Per link (columns, see names): mean utilization over the interval, 0..1, max of the two "
    "directions"};
inline constexpr DatasetSpec bytes = {"bytes", "B",
                                      "Per link (columns, see names): bytes carried during the interval"};
inline constexpr DatasetSpec up = {"up", "1", "Per link (columns, see names): 1 when up at sample time"};
inline constexpr DatasetSpec names = {
    "names", "", "Link names (\"A-B/carrier\"), the columns of utilization, bytes and up"};
}  // namespace link_series

namespace totals_col {
enum : std::size_t {
  center, energy_J, it_energy_J, cost_CNY, carbon_kg, busy_chip_seconds, jobs_completed, cache_B, cache_hits,
  cache_misses, cache_evictions, n_fields
};
}  // namespace totals_col
inline constexpr FieldSpec kCenterTotalsFields[totals_col::n_fields] = {
    {"center", FieldKind::fixed_str, "", "city of the center"},
    {"energy_J", FieldKind::f64, "J", "facility energy (IT x PUE) over the run, idle power included"},
    {"it_energy_J", FieldKind::f64, "J", "IT energy (chips) over the run, idle power included"},
    {"cost_CNY", FieldKind::f64, "CNY", "electricity cost of energy_J"},
    {"carbon_kg", FieldKind::f64, "kg", "CO2 of energy_J"},
    {"busy_chip_seconds", FieldKind::f64, "chip*s", "integral of busy chips over time"},
    {"jobs_completed", FieldKind::u64, "jobs", "jobs that completed there"},
    {"cache_B", FieldKind::f64, "B", "capacity of its dataset cache (0: none)"},
    {"cache_hits", FieldKind::u64, "1", "requests for a dataset its cache held"},
    {"cache_misses", FieldKind::u64, "1", "requests for a dataset its cache did not hold (being filled counts as a miss)"},
    {"cache_evictions", FieldKind::u64, "1", "datasets its cache dropped to make room (least recently used first)"},
};
inline constexpr const char* kCenterTotalsDescription =
    "Per center over the whole run: facility energy (IT x PUE), IT energy, electricity cost, "
    "carbon, busy chip-seconds, completed jobs";

// ---- the data tier (format 1.3): /runs/<id>/datasets, storage, traffic
namespace dataset_col {
enum : std::size_t { name, size_B, weight, homes, requests, cache_served, n_fields };
}  // namespace dataset_col
inline constexpr FieldSpec kDatasetFields[dataset_col::n_fields] = {
    {"name", FieldKind::fixed_str, "", "dataset name, as in the jobs table's dataset column"},
    {"size_B", FieldKind::f64, "B", "size"},
    {"weight", FieldKind::f64, "1", "popularity weight: jobs of data = \"catalog\" draw datasets in proportion"},
    {"homes", FieldKind::fixed_str, "", "cities of the storage sites holding it, separated by ';'"},
    {"requests", FieldKind::u64, "1", "times a job asked for it at a center (staged jobs on arrival, streaming jobs at each start)"},
    {"cache_served", FieldKind::u64, "1", "of those, times a center's cache served it"},
};
inline constexpr const char* kDatasetsDescription =
    "The scenario's dataset catalog, in catalog order, with how often jobs asked for each";

namespace storage_col {
enum : std::size_t { city, read_Bps, capacity_B, read_B, n_fields };
}  // namespace storage_col
inline constexpr FieldSpec kStorageFields[storage_col::n_fields] = {
    {"city", FieldKind::fixed_str, "", "city of the storage site"},
    {"read_Bps", FieldKind::f64, "B/s", "read bandwidth, shared by every read from it"},
    {"capacity_B", FieldKind::f64, "B", "capacity (inf when not given)"},
    {"read_B", FieldKind::f64, "B", "bytes read from it during the run (stagings, cache fills, streams)"},
};
inline constexpr const char* kStorageDescription = "Storage sites (homes of the datasets) and what was read from each";

namespace traffic_col {
enum : std::size_t { src, dst, purpose, bytes, n_fields };
}  // namespace traffic_col
inline constexpr FieldSpec kTrafficFields[traffic_col::n_fields] = {
    {"src", FieldKind::fixed_str, "", "city the bytes left from (a storage site's city for reads from storage)"},
    {"dst", FieldKind::fixed_str, "", "city they went to (src = dst: read from the city's own storage site)"},
    {"purpose", FieldKind::fixed_str, "", "dataset | result | cache_fill | stream | sync"},
    {"bytes", FieldKind::f64, "B", "bytes sent over the whole run, retries included"},
};
inline constexpr const char* kTrafficDescription =
    "Traffic matrix of the run: bytes sent from city to city by purpose (non-zero cells only)";

// ---- the network as simulated (format 1.1)
namespace city_col {
enum : std::size_t {
  name, name_zh, province, lat_deg, lon_deg, grid, carbon_kg_per_kWh, carbon_series, carbon_year,
  carbon_area, green_share, green_power, carbon_profile, price_CNY_per_kWh, pue, demand_weight, hub,
  interconnect, n_fields
};
}  // namespace city_col
inline constexpr FieldSpec kCityFields[city_col::n_fields] = {
    {"name", FieldKind::fixed_str, "", "city id, as in the jobs table and the center series"},
    {"name_zh", FieldKind::fixed_str, "", "Chinese name (UTF-8); \"\" if not given"},
    {"province", FieldKind::fixed_str, "", "province; \"\" if not given"},
    {"lat_deg", FieldKind::f64, "deg", "latitude, degrees north"},
    {"lon_deg", FieldKind::f64, "deg", "longitude, degrees east"},
    {"grid", FieldKind::fixed_str, "", "power grid region id"},
    {"carbon_kg_per_kWh", FieldKind::f64, "kg/kWh", "grid CO2 emission factor in effect (MEE/NBS series carbon_series, year carbon_year, published for carbon_area), before green power"},
    {"carbon_series", FieldKind::fixed_str, "", "MEE/NBS factor series: province, region, national, ..."},
    {"carbon_year", FieldKind::i32, "year", "year of the factor"},
    {"carbon_area", FieldKind::fixed_str, "", "the province, region or nation the factor is published for"},
    {"green_share", FieldKind::f64, "1", "share of the center's electricity bought as green power (0..1)"},
    {"green_power", FieldKind::u8, "1", "1 when the run charges (1 - green_share) x carbon_kg_per_kWh"},
    {"carbon_profile", FieldKind::fixed_str, "", "hourly carbon profile applied (topology/carbon_hourly.csv); \"\" when none"},
    {"price_CNY_per_kWh", FieldKind::f64, "CNY/kWh", "electricity price after the scenario's overrides, before the time-of-use profile"},
    {"pue", FieldKind::f64, "1", "power usage effectiveness of the center (facility / IT power)"},
    {"demand_weight", FieldKind::f64, "1", "relative weight of jobs originating here"},
    {"hub", FieldKind::fixed_str, "", "East-Data-West-Compute hub; \"\" if none"},
    {"interconnect", FieldKind::u8, "1", "1 when carriers exchange traffic here (national interconnection point)"},
};
inline constexpr const char* kCitiesDescription =
    "Cities of the network as simulated, in topology order (the indices the engine used)";

namespace pool_col {
enum : std::size_t {
  name, center, chip, vendor, family, count, fp16_flops, memory_B, busy_W, idle_W, cuda, servers,
  per_server, n_fields
};
}  // namespace pool_col
inline constexpr FieldSpec kPoolFields[pool_col::n_fields] = {
    {"name", FieldKind::fixed_str, "", "pool id \"City/chip\", as in the jobs table's pool column"},
    {"center", FieldKind::fixed_str, "", "city of its center"},
    {"chip", FieldKind::fixed_str, "", "accelerator id"},
    {"vendor", FieldKind::fixed_str, "", "accelerator vendor"},
    {"family", FieldKind::fixed_str, "", "domestic | imported"},
    {"count", FieldKind::i32, "chips", "chips in the pool"},
    {"fp16_flops", FieldKind::f64, "FLOP/s", "dense FP16 throughput of one chip"},
    {"memory_B", FieldKind::f64, "B", "memory of one chip"},
    {"busy_W", FieldKind::f64, "W", "power of one chip running flat out (IT, before PUE)"},
    {"idle_W", FieldKind::f64, "W", "power of one idle chip (IT, before PUE)"},
    {"cuda", FieldKind::u8, "1", "1 when the chip runs CUDA code"},
    {"servers", FieldKind::i32, "1", "servers the pool is made of; 0 for a flat pool (a bag of chips)"},
    {"per_server", FieldKind::i32, "chips", "chips per server; 0 for a flat pool or a listed mix of servers"},
};
inline constexpr const char* kPoolsDescription =
    "Accelerator pools as simulated (the scenario's centers overrides applied), grouped by "
    "center in city order; a center is a city with at least one pool";

namespace netlink_col {
enum : std::size_t { name, a, b, carrier, bandwidth_Bps, latency_s, length_m, n_fields };
}  // namespace netlink_col
inline constexpr FieldSpec kNetworkLinkFields[netlink_col::n_fields] = {
    {"name", FieldKind::fixed_str, "", "link id \"A-B/carrier\", as in links/names"},
    {"a", FieldKind::fixed_str, "", "city at one end"},
    {"b", FieldKind::fixed_str, "", "city at the other end"},
    {"carrier", FieldKind::fixed_str, "", "carrier backbone (ct, cm, cu, ...)"},
    {"bandwidth_Bps", FieldKind::f64, "B/s", "capacity in each direction"},
    {"latency_s", FieldKind::f64, "s", "one-way latency"},
    {"length_m", FieldKind::f64, "m", "fibre route length; 0 when the topology gave the latency directly"},
};
inline constexpr const char* kNetworkLinksDescription =
    "Backbone links as simulated, in topology order: row k is column k of links/utilization, "
    "links/bytes and links/up";
inline constexpr const char* kNetworkDescription =
    "The network this run simulated (topology with the scenario's overrides applied): cities, "
    "accelerator pools, backbone links";

// ---- summary attributes
// One attribute of /runs/<id>/summary: a count (u64) or a value (f64) of
// RunSummary (definitions in summary.hpp).
struct SummaryAttr {
  const char* name;
  const char* units;
  std::uint64_t RunSummary::*count;  // exactly one of count and value is set
  double RunSummary::*value;
};
inline constexpr SummaryAttr kSummaryAttrs[] = {
    {"jobs_submitted", "jobs", &RunSummary::jobs_submitted, nullptr},
    {"jobs_completed", "jobs", &RunSummary::jobs_completed, nullptr},
    {"jobs_failed", "jobs", &RunSummary::jobs_failed, nullptr},
    {"jobs_rejected", "jobs", &RunSummary::jobs_rejected, nullptr},
    {"jobs_unfinished", "jobs", &RunSummary::jobs_unfinished, nullptr},
    {"mean_wait_s", "s", nullptr, &RunSummary::mean_wait_s},
    {"p50_wait_s", "s", nullptr, &RunSummary::p50_wait_s},
    {"p95_wait_s", "s", nullptr, &RunSummary::p95_wait_s},
    {"p99_wait_s", "s", nullptr, &RunSummary::p99_wait_s},
    {"mean_jct_s", "s", nullptr, &RunSummary::mean_jct_s},
    {"makespan_s", "s", nullptr, &RunSummary::makespan_s},
    {"utilization", "1", nullptr, &RunSummary::utilization},
    {"energy_J", "J", nullptr, &RunSummary::energy_J},
    {"cost_CNY", "CNY", nullptr, &RunSummary::cost_CNY},
    {"carbon_kg", "kg", nullptr, &RunSummary::carbon_kg},
    {"bytes_moved", "B", nullptr, &RunSummary::bytes_moved},
};
// The summary group's `description`: what the numbers are and their units.
std::string summary_description();
// The SummaryAttr named `name`, or nullptr.
const SummaryAttr* find_summary_attr(std::string_view name);

// ---- sweeps
inline constexpr const char* kSweep = "sweep";
inline constexpr const char* kSweepSummary = "sweep_summary";
namespace sweep_attr {
inline constexpr const char* scenario_name = "scenario_name";
inline constexpr const char* scenario_file = "scenario_file";
inline constexpr const char* fingerprint = "fingerprint";    // 16 hex digits
inline constexpr const char* axes = "axes";                  // str array, plan order
inline constexpr const char* axis_prefix = "axis.";          // + key: values joined with ','
inline constexpr const char* replications = "replications";
inline constexpr const char* base_seed = "base_seed";
inline constexpr const char* points_total = "points_total";  // whole plan
inline constexpr const char* points_in_file = "points_in_file";
inline constexpr const char* points_completed = "points_completed";
inline constexpr const char* points_failed = "points_failed";
inline constexpr const char* shard = "shard";                // "I/N", or "merged"
}  // namespace sweep_attr
inline constexpr const char* kSweepDescription =
    "Parameter sweep: one run per point under /runs, statistics per point-group in "
    "/sweep_summary";

// The summary attributes /sweep_summary aggregates over replications, in
// column order.
inline constexpr const char* kSweepMetrics[] = {
    "mean_wait_s", "p95_wait_s", "mean_jct_s", "utilization",
    "energy_J",    "cost_CNY",   "carbon_kg",  "jobs_completed",
};
inline constexpr std::size_t kNumSweepMetrics = sizeof(kSweepMetrics) / sizeof(kSweepMetrics[0]);
// Leading and trailing fixed fields of /sweep_summary (axis fields go between).
inline constexpr FieldSpec kSweepGroupField = {
    "group", FieldKind::u64, "1", "index of the point-group (same axis values), plan order"};
inline constexpr FieldSpec kSweepCountFields[] = {
    {"runs", FieldKind::u64, "1", "points of the group in the file"},
    {"completed", FieldKind::u64, "1", "points that completed"},
    {"failed", FieldKind::u64, "1", "points that failed"},
};
std::string sweep_axis_description(const std::string& axis);
std::string sweep_mean_description(const std::string& metric);
std::string sweep_ci95_description(const std::string& metric);
inline constexpr const char* kSweepSummaryDescription =
    "Per point-group (same axis values across replications): number of runs, completed and "
    "failed points, and for each metric the mean over completed replications (M_mean) and the "
    "95% confidence half-width (M_ci95, Student t with n-1 degrees of freedom, 0 when n <= 1)";

}  // namespace suanwang::run_format

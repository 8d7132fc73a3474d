#include "sim/record/run_format.hpp"

#include "sim/core/text.hpp"

namespace suanwang::run_format {

namespace {

constexpr bool same(const char* a, const char* b) {
  while (*a && *a == *b) ++a, ++b;
  return *a == *b;
}

// The column enums index the field tables: keep them in step.
static_assert(same(kJobFields[job_col::id].name, "id"));
static_assert(same(kJobFields[job_col::kind].name, "kind"));
static_assert(same(kJobFields[job_col::origin].name, "origin"));
static_assert(same(kJobFields[job_col::center].name, "center"));
static_assert(same(kJobFields[job_col::pool].name, "pool"));
static_assert(same(kJobFields[job_col::chip].name, "chip"));
static_assert(same(kJobFields[job_col::submit_s].name, "submit_s"));
static_assert(same(kJobFields[job_col::start_s].name, "start_s"));
static_assert(same(kJobFields[job_col::end_s].name, "end_s"));
static_assert(same(kJobFields[job_col::wait_s].name, "wait_s"));
static_assert(same(kJobFields[job_col::gpus].name, "gpus"));
static_assert(same(kJobFields[job_col::transfer_s].name, "transfer_s"));
static_assert(same(kJobFields[job_col::transfer_delay_s].name, "transfer_delay_s"));
static_assert(same(kJobFields[job_col::bytes_moved].name, "bytes_moved"));
static_assert(same(kJobFields[job_col::energy_J].name, "energy_J"));
static_assert(same(kJobFields[job_col::cost_CNY].name, "cost_CNY"));
static_assert(same(kJobFields[job_col::carbon_kg].name, "carbon_kg"));
static_assert(same(kJobFields[job_col::restarts].name, "restarts"));
static_assert(same(kJobFields[job_col::server].name, "server"));
static_assert(same(kJobFields[job_col::servers].name, "servers"));
static_assert(same(kJobFields[job_col::preemptions].name, "preemptions"));
static_assert(same(kJobFields[job_col::lost_chip_s].name, "lost_chip_s"));
static_assert(same(kJobFields[job_col::dataset].name, "dataset"));
static_assert(same(kJobFields[job_col::cache_hit].name, "cache_hit"));
static_assert(same(kJobFields[job_col::data_from].name, "data_from"));
static_assert(same(kJobFields[job_col::data_wait_s].name, "data_wait_s"));
static_assert(same(kJobFields[job_col::stall_s].name, "stall_s"));
static_assert(same(kJobFields[job_col::parts].name, "parts"));
static_assert(same(kJobFields[job_col::sync_B].name, "sync_B"));
static_assert(same(kJobFields[job_col::span_slowdown].name, "span_slowdown"));
static_assert(same(kJobFields[job_col::status].name, "status"));

static_assert(same(kPartFields[part_col::job].name, "job"));
static_assert(same(kPartFields[part_col::attempt].name, "attempt"));
static_assert(same(kPartFields[part_col::part].name, "part"));
static_assert(same(kPartFields[part_col::center].name, "center"));
static_assert(same(kPartFields[part_col::pool].name, "pool"));
static_assert(same(kPartFields[part_col::gpus].name, "gpus"));
static_assert(same(kPartFields[part_col::start_s].name, "start_s"));
static_assert(same(kPartFields[part_col::end_s].name, "end_s"));
static_assert(same(kPartFields[part_col::held_idle_s].name, "held_idle_s"));
static_assert(same(kPartFields[part_col::sync_B].name, "sync_B"));
static_assert(same(kPartFields[part_col::sync_delay_s].name, "sync_delay_s"));
static_assert(same(kPartFields[part_col::energy_J].name, "energy_J"));
static_assert(same(kPartFields[part_col::outcome].name, "outcome"));
static_assert(same(kFlowFields[flow_col::job].name, "job"));
static_assert(same(kFlowFields[flow_col::purpose].name, "purpose"));
static_assert(same(kFlowFields[flow_col::src].name, "src"));
static_assert(same(kFlowFields[flow_col::dst].name, "dst"));
static_assert(same(kFlowFields[flow_col::from_storage].name, "from_storage"));
static_assert(same(kFlowFields[flow_col::variant].name, "variant"));
static_assert(same(kFlowFields[flow_col::start_s].name, "start_s"));
static_assert(same(kFlowFields[flow_col::end_s].name, "end_s"));
static_assert(same(kFlowFields[flow_col::bytes].name, "bytes"));
static_assert(same(kFlowFields[flow_col::moved_B].name, "moved_B"));
static_assert(same(kFlowFields[flow_col::outcome].name, "outcome"));
static_assert(same(kJobFields[job_col::reason].name, "reason"));

static_assert(same(kCenterFields[center_col::time_s].name, "time_s"));
static_assert(same(kCenterFields[center_col::busy_chips].name, "busy_chips"));
static_assert(same(kCenterFields[center_col::queue_length].name, "queue_length"));
static_assert(same(kCenterFields[center_col::running_jobs].name, "running_jobs"));
static_assert(same(kCenterFields[center_col::power_W].name, "power_W"));
static_assert(same(kCenterFields[center_col::energy_J].name, "energy_J"));
static_assert(same(kCenterFields[center_col::up].name, "up"));
static_assert(same(kCenterFields[center_col::fragmented_chips].name, "fragmented_chips"));
static_assert(same(kCenterFields[center_col::cache_used_B].name, "cache_used_B"));

static_assert(same(kServiceFields[service_col::time_s].name, "time_s"));
static_assert(same(kServiceFields[service_col::request_rate_per_s].name, "request_rate_per_s"));
static_assert(same(kServiceFields[service_col::p50_latency_s].name, "p50_latency_s"));
static_assert(same(kServiceFields[service_col::p95_latency_s].name, "p95_latency_s"));
static_assert(same(kServiceFields[service_col::p99_latency_s].name, "p99_latency_s"));
static_assert(same(kServiceFields[service_col::slo_violation_fraction].name, "slo_violation_fraction"));
static_assert(same(kServiceFields[service_col::utilization].name, "utilization"));
static_assert(same(kServiceFields[service_col::lent_chips].name, "lent_chips"));
static_assert(same(kServiceFields[service_col::borrowed_chips].name, "borrowed_chips"));

static_assert(same(kCenterTotalsFields[totals_col::center].name, "center"));
static_assert(same(kCenterTotalsFields[totals_col::energy_J].name, "energy_J"));
static_assert(same(kCenterTotalsFields[totals_col::it_energy_J].name, "it_energy_J"));
static_assert(same(kCenterTotalsFields[totals_col::cost_CNY].name, "cost_CNY"));
static_assert(same(kCenterTotalsFields[totals_col::carbon_kg].name, "carbon_kg"));
static_assert(same(kCenterTotalsFields[totals_col::busy_chip_seconds].name, "busy_chip_seconds"));
static_assert(same(kCenterTotalsFields[totals_col::jobs_completed].name, "jobs_completed"));
static_assert(same(kCenterTotalsFields[totals_col::cache_B].name, "cache_B"));
static_assert(same(kCenterTotalsFields[totals_col::cache_hits].name, "cache_hits"));
static_assert(same(kCenterTotalsFields[totals_col::cache_misses].name, "cache_misses"));
static_assert(same(kCenterTotalsFields[totals_col::cache_evictions].name, "cache_evictions"));

static_assert(same(kDatasetFields[dataset_col::name].name, "name"));
static_assert(same(kDatasetFields[dataset_col::size_B].name, "size_B"));
static_assert(same(kDatasetFields[dataset_col::weight].name, "weight"));
static_assert(same(kDatasetFields[dataset_col::homes].name, "homes"));
static_assert(same(kDatasetFields[dataset_col::requests].name, "requests"));
static_assert(same(kDatasetFields[dataset_col::cache_served].name, "cache_served"));
static_assert(same(kStorageFields[storage_col::city].name, "city"));
static_assert(same(kStorageFields[storage_col::read_Bps].name, "read_Bps"));
static_assert(same(kStorageFields[storage_col::capacity_B].name, "capacity_B"));
static_assert(same(kStorageFields[storage_col::read_B].name, "read_B"));
static_assert(same(kTrafficFields[traffic_col::src].name, "src"));
static_assert(same(kTrafficFields[traffic_col::dst].name, "dst"));
static_assert(same(kTrafficFields[traffic_col::purpose].name, "purpose"));
static_assert(same(kTrafficFields[traffic_col::bytes].name, "bytes"));

static_assert(same(kCityFields[city_col::name].name, "name"));
static_assert(same(kCityFields[city_col::name_zh].name, "name_zh"));
static_assert(same(kCityFields[city_col::province].name, "province"));
static_assert(same(kCityFields[city_col::lat_deg].name, "lat_deg"));
static_assert(same(kCityFields[city_col::lon_deg].name, "lon_deg"));
static_assert(same(kCityFields[city_col::grid].name, "grid"));
static_assert(same(kCityFields[city_col::carbon_kg_per_kWh].name, "carbon_kg_per_kWh"));
static_assert(same(kCityFields[city_col::carbon_series].name, "carbon_series"));
static_assert(same(kCityFields[city_col::carbon_year].name, "carbon_year"));
static_assert(same(kCityFields[city_col::carbon_area].name, "carbon_area"));
static_assert(same(kCityFields[city_col::green_share].name, "green_share"));
static_assert(same(kCityFields[city_col::green_power].name, "green_power"));
static_assert(same(kCityFields[city_col::carbon_profile].name, "carbon_profile"));
static_assert(same(kCityFields[city_col::price_CNY_per_kWh].name, "price_CNY_per_kWh"));
static_assert(same(kCityFields[city_col::pue].name, "pue"));
static_assert(same(kCityFields[city_col::demand_weight].name, "demand_weight"));
static_assert(same(kCityFields[city_col::hub].name, "hub"));
static_assert(same(kCityFields[city_col::interconnect].name, "interconnect"));

static_assert(same(kPoolFields[pool_col::name].name, "name"));
static_assert(same(kPoolFields[pool_col::center].name, "center"));
static_assert(same(kPoolFields[pool_col::chip].name, "chip"));
static_assert(same(kPoolFields[pool_col::vendor].name, "vendor"));
static_assert(same(kPoolFields[pool_col::family].name, "family"));
static_assert(same(kPoolFields[pool_col::count].name, "count"));
static_assert(same(kPoolFields[pool_col::fp16_flops].name, "fp16_flops"));
static_assert(same(kPoolFields[pool_col::memory_B].name, "memory_B"));
static_assert(same(kPoolFields[pool_col::busy_W].name, "busy_W"));
static_assert(same(kPoolFields[pool_col::idle_W].name, "idle_W"));
static_assert(same(kPoolFields[pool_col::cuda].name, "cuda"));
static_assert(same(kPoolFields[pool_col::servers].name, "servers"));
static_assert(same(kPoolFields[pool_col::per_server].name, "per_server"));

static_assert(same(kNetworkLinkFields[netlink_col::name].name, "name"));
static_assert(same(kNetworkLinkFields[netlink_col::a].name, "a"));
static_assert(same(kNetworkLinkFields[netlink_col::b].name, "b"));
static_assert(same(kNetworkLinkFields[netlink_col::carrier].name, "carrier"));
static_assert(same(kNetworkLinkFields[netlink_col::bandwidth_Bps].name, "bandwidth_Bps"));
static_assert(same(kNetworkLinkFields[netlink_col::latency_s].name, "latency_s"));
static_assert(same(kNetworkLinkFields[netlink_col::length_m].name, "length_m"));

constexpr bool metrics_are_summary_attrs() {
  for (const char* m : kSweepMetrics) {
    bool found = false;
    for (const SummaryAttr& a : kSummaryAttrs) found = found || same(a.name, m);
    if (!found) return false;
  }
  return true;
}
static_assert(metrics_are_summary_attrs(), "every sweep metric is a summary attribute");

}  // namespace

std::string run_path(std::string_view run_id) { return std::string(kRuns) + "/" + std::string(run_id); }

std::string clip_reason(const std::string& raw) {
  const std::string reason = text::valid_utf8(raw);
  if (reason.size() <= kReasonBytes) return reason;
  return std::string(text::utf8_prefix(reason, kReasonBytes - 3)) + "...";
}

std::string center_series_description(const std::string& city) {
  return "Samples of center " + city +
         " every sample_interval_s; power_W is the facility power averaged over the interval, "
         "energy_J the facility energy so far.";
}

std::string summary_description() {
  std::string s =
      "Headline numbers of the run (waits and JCT over completed jobs, 0 when none; energy, "
      "cost and carbon are center totals, idle power included). Units:";
  for (const SummaryAttr& a : kSummaryAttrs) s += std::string(" ") + a.name + " [" + a.units + "]";
  return s;
}

const SummaryAttr* find_summary_attr(std::string_view name) {
  for (const SummaryAttr& a : kSummaryAttrs)
    if (name == a.name) return &a;
  return nullptr;
}

std::string sweep_axis_description(const std::string& axis) {
  return "value of sweep axis " + axis + " (as given to --set)";
}
std::string sweep_mean_description(const std::string& metric) {
  return "mean of summary attribute " + metric + " over the group's completed points";
}
std::string sweep_ci95_description(const std::string& metric) {
  return "95% confidence half-width of " + metric + " (Student t, n-1 dof; 0 when n <= 1)";
}

}  // namespace suanwang::run_format

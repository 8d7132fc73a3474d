#include "sim/cli/run_summary.hpp"

#include "sim/core/units.hpp"

namespace suanwang::cli {

void print_run_summary(std::FILE* out, const Scenario& sc, const RunTotals& t, const RunSummary& s,
                       const std::string& output_path) {
  const double speed = t.wall_time_s > 0 ? static_cast<double>(t.jobs_submitted) / t.wall_time_s : 0;
  std::fprintf(out, "%s: %s simulated in %.1f s wall (%.0f jobs/s), policy %s, seed %llu\n",
               sc.name.c_str(), units::format_duration(t.simulated_s).c_str(), t.wall_time_s, speed,
               sc.policy_name.c_str(), static_cast<unsigned long long>(sc.seed));
  std::fprintf(out, "  jobs         %llu submitted, %llu completed, %llu failed, %llu rejected, %llu unfinished\n",
               static_cast<unsigned long long>(s.jobs_submitted),
               static_cast<unsigned long long>(s.jobs_completed),
               static_cast<unsigned long long>(s.jobs_failed),
               static_cast<unsigned long long>(s.jobs_rejected),
               static_cast<unsigned long long>(s.jobs_unfinished));
  std::fprintf(out, "  wait         mean %s, p50 %s, p95 %s, p99 %s; mean JCT %s\n",
               units::format_duration(s.mean_wait_s).c_str(), units::format_duration(s.p50_wait_s).c_str(),
               units::format_duration(s.p95_wait_s).c_str(), units::format_duration(s.p99_wait_s).c_str(),
               units::format_duration(s.mean_jct_s).c_str());
  std::fprintf(out, "  utilisation  %.1f%% of chip time\n", 100 * s.utilization);
  std::fprintf(out, "  energy       %.1f MWh facility, %.0f CNY, %.1f t CO2\n", s.energy_J / 3.6e9, s.cost_CNY,
               s.carbon_kg / 1e3);
  std::fprintf(out, "  network      %s moved\n", units::format_bytes(s.bytes_moved).c_str());
  std::fprintf(out, "  results      %s\n", output_path.c_str());
}

}  // namespace suanwang::cli

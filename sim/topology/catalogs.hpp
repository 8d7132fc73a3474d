// Catalogs: the accelerator and carbon tables that give a topology's chip and
// grid ids their physical meaning (watts, FLOP/s, kg CO2).
//
// Both are small CSV files with a header row; columns are found by name, so
// extra columns (sources, notes) are allowed. Values are converted to SI on
// load: TFLOPS -> FLOP/s, GB -> bytes, kg/kWh -> kg/J. Every malformed row is
// a UserError naming the file, the line and the column.
#pragma once

#include <string>
#include <vector>

#include "sim/topology/topology.hpp"

namespace suanwang::topo {

// Columns: chip, vendor, family (domestic|imported), fp16_tflops, memory_gb,
// busy_w, idle_w, cuda (1|0|yes|no); optional server_cpu_cores and
// server_memory_gb (the host of a typical server of the chip; empty = not
// modelled); optional fp16_source, memory_source, busy_source, idle_source
// (a value whose source starts with "estimate" is listed in
// Accelerator::estimated). Invariant: 0 <= idle_W <= busy_W, fp16_flops > 0,
// ids unique.
std::vector<Accelerator> load_accelerators(const std::string& csv_path);

// The carbon catalog (carbon.hpp) from three files:
//   factors: series, area, year, kg_co2_per_kwh (>= 0), source; one row per
//            (series, area, year); the `region` series must exist (its areas
//            are the valid grid ids);
//   hourly:  profile, hour (0..23), multiplier (>= 0), source: 24 rows per
//            profile, mean 1 within 1%;
//   areas:   area, profile: which areas (province, else region) follow a profile.
// hourly and areas may be "" (no profiles).
CarbonCatalog load_carbon_catalog(const std::string& factors_csv, const std::string& hourly_csv,
                                  const std::string& areas_csv);

// The grid regions of a catalog: the areas of its `region` series.
std::vector<GridRegion> grid_regions(const CarbonCatalog& catalog);

// Splits one CSV line (double quotes protect commas). Exposed for tests.
std::vector<std::string> split_csv_line(const std::string& line);

}  // namespace suanwang::topo

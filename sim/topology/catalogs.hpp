// Catalogs: the accelerator and grid-region tables that give a topology's chip
// and grid ids their physical meaning (watts, FLOP/s, kg CO2).
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
// modelled). Invariant: 0 <= idle_W <= busy_W, fp16_flops > 0, ids unique.
std::vector<Accelerator> load_accelerators(const std::string& csv_path);

// Columns: grid, kg_co2_per_kwh (>= 0). Ids unique.
std::vector<GridRegion> load_grids(const std::string& csv_path);

// Splits one CSV line (double quotes protect commas). Exposed for tests.
std::vector<std::string> split_csv_line(const std::string& line);

}  // namespace suanwang::topo

// print_run_summary: the few lines a person reads after `suanwang run`.
// The HDF5 file has everything; this says where it is and what it shows.
#pragma once

#include <cstdio>
#include <string>

#include "sim/engine/simulation.hpp"
#include "sim/record/summary.hpp"
#include "sim/scenario/scenario.hpp"

namespace suanwang::cli {

void print_run_summary(std::FILE* out, const Scenario& sc, const RunTotals& totals,
                       const RunSummary& summary, const std::string& output_path);

}  // namespace suanwang::cli

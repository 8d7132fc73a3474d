// Readers of the scenario keys of training that spans centers
// (sim/core/span.hpp, sim/engine/spanning.hpp):
//
//   workload[i].span = { gradient = "140GB", iteration = "12.6s",
//                        overlap = 0, allreduce = "hierarchical" }
//     on a training generator: its jobs may be split over several centers.
//     gradient (bytes > 0, required): bytes all-reduced per iteration;
//     iteration (duration > 0, required): one iteration on the reference chip
//     with all the job's GPUs in one center; overlap (fraction 0..1, default
//     0); allreduce ("hierarchical" | "ring", default "hierarchical").
//   span_round (duration > 0, default 60s): a multi-center job runs in rounds
//     of whole iterations worth about this much compute each;
//   span_hold (duration > 0, default 1h): how long the parts that have
//     started may hold their chips waiting for the others before the job
//     gives every part back to the policy.
// The defaults live in workload_spec.hpp / scenario.hpp. Every error names
// its key path (one line, exit 2), the same for `check` and `run`.
#pragma once

#include "sim/core/job.hpp"
#include "sim/lua/lua_table_reader.hpp"
#include "sim/scenario/scenario.hpp"

namespace suanwang {

// The generator's `span` table (kind already read); a disabled SpanSpec when absent.
SpanSpec read_span(lua::TableReader& generator, JobKind kind);
// span_round and span_hold at the root.
void read_span_settings(lua::TableReader& root, Scenario& sc);

}  // namespace suanwang

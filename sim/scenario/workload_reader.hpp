// read_workload: the scenario's `workload` list -> WorkloadSpec.
//
// Each entry is a generator (the default: synthetic arrivals at `rate`), a
// trace (it has `trace = "path"`) or a service (it has `service = "name"`);
// README "Scenario reference" lists every key with its unit and default (the
// defaults themselves live in workload_spec.hpp). City names resolve against
// the topology; trace paths against the scenario's folder.
#pragma once

#include <vector>

#include "sim/lua/lua_table_reader.hpp"
#include "sim/scenario/load_context.hpp"
#include "sim/workload/workload_spec.hpp"

namespace suanwang {

// `datasets` is the scenario's catalog (storage_reader.hpp), kept in the
// result; generators with data = "catalog" draw from it.
WorkloadSpec read_workload(lua::TableReader& root, const LoadContext& lc, std::vector<DatasetSpec> datasets);

// The arrival candidates generator `g` draws over a run of `horizon_s`
// (thinning: at its profile's peak rate, over its span; with max_jobs, about
// as many as reaching it takes). The one rule behind kMaxGeneratorDraws
// (size_limits.hpp), checked where a generator is read and again after
// rate_scale.
double generator_draws(const GeneratorSpec& g, double horizon_s);

}  // namespace suanwang

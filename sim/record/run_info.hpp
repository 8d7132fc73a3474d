// Building the RunInfo of a run from its loaded Scenario: the one filler of
// what a run file says about its run (attributes and network), used by
// `suanwang run`, by the sweep runner for points that failed (so a failed
// point records its own policy, parameters and seed) and by tests.
#pragma once

#include <map>
#include <string>

#include "sim/record/recorder.hpp"
#include "sim/scenario/scenario.hpp"
#include "sim/topology/topology.hpp"

namespace suanwang {

// The network as simulated: every city, pool (after the scenario's centers
// overrides, which load_scenario has applied to the topology) and link, in
// the engine's index order (see NetworkInfo).
NetworkInfo make_network_info(const topo::Topology& topology);

// Scenario name, file and text, policy name and text (read from
// sc.policy_path: UserError when unreadable), seed, horizon, sample
// interval, resolved parameters, the network, and the given run id and sweep
// point (axis -> value, as passed to --sweep-point).
RunInfo make_run_info(const Scenario& sc, const std::string& run_id,
                      const std::map<std::string, std::string>& sweep_point = {});

}  // namespace suanwang

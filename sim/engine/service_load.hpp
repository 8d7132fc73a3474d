// A deployed inference service under load (internal to the engine): its
// request latency for a request rate and the chips serving it, and the
// fewest chips that keep a share of requests within its SLO. Shared by the
// meter's samples and the colocation's sizing, so both see one model
// (service_model.hpp: M/M/c per interval, network round trip per origin).
#pragma once

#include "sim/engine/active_job.hpp"
#include "sim/engine/service_model.hpp"
#include "sim/workload/workload_spec.hpp"

namespace suanwang::engine {

class EngineState;

// Latency of `spec` deployed as `deployment` (running in its pool) when
// `chips` of its chips serve `rate_per_s` requests/s.
ServiceLatency service_latency(const EngineState& st, const ServiceSpec& spec, const ActiveJob& deployment,
                               double chips, double rate_per_s);

// The fewest whole chips (at least one, at most `held_chips`) with which at
// least `target` of the requests at `rate_per_s` meet the SLO; `held_chips`
// when even all of them do not.
double chips_needed(const EngineState& st, const ServiceSpec& spec, const ActiveJob& deployment, double held_chips,
                    double rate_per_s, double target);

}  // namespace suanwang::engine

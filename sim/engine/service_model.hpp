// ServiceModel: request latency of an inference deployment, analytically.
//
// A deployment is c identical servers (chips, or one server for a fractional
// share) each serving mu requests/s, fed by Poisson requests at lambda/s from
// several origins. Over one sample interval lambda is taken constant (the
// diurnal curve's value at the interval's middle) and the queue is M/M/c in
// steady state: P(wait > t) = C(c, a) exp(-(c mu - lambda) t) with C the
// Erlang-C probability. A request from origin o sees
//   latency = RTT(o) + W + S,  W ~ Erlang-C wait, S ~ Exp(mu)
// and the deployment's latency distribution is the mixture over origins
// weighted by their share of requests. Percentiles come from inverting that
// mixture CDF numerically (bisection on the closed-form CDF); the SLO
// violation fraction is 1 - CDF(slo). Overload (lambda >= c mu) has no steady
// state: every request violates and latencies are reported as +infinity.
// Why: simulating each of billions of requests as an actor or activity would
// cost far more than the rest of the run and add nothing the closed form
// does not give exactly for this queue.
#pragma once

#include <vector>

namespace suanwang {

struct ServiceOrigin {
  double rtt_s = 0;     // network round trip origin <-> center
  double weight = 0;    // share of requests (need not sum to 1)
};

struct ServiceLatency {
  double p50_s = 0, p95_s = 0, p99_s = 0;
  double slo_violation = 0;  // fraction of requests over the SLO
  double utilization = 0;    // lambda / (c mu)
};

// Erlang-C probability that an arrival waits, M/M/c with offered load a = lambda/mu.
double erlang_c(int servers, double offered_load);

ServiceLatency evaluate_service(double lambda_per_s, double mu_per_s, int servers,
                                const std::vector<ServiceOrigin>& origins, double slo_s);

}  // namespace suanwang

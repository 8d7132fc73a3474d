#include "sim/engine/service_model.hpp"

#include <cmath>
#include <limits>

namespace suanwang {

double erlang_c(int servers, double a) {
  if (servers <= 0) return 1.0;
  const double rho = a / servers;
  if (rho >= 1.0) return 1.0;
  // Erlang-B by its stable recursion, then C = B / (1 - rho (1 - B)).
  double b = 1.0;
  for (int k = 1; k <= servers; ++k) b = a * b / (k + a * b);
  return b / (1.0 - rho * (1.0 - b));
}

namespace {

// P(W + S <= x) for W the M/M/c wait (atom 1-C at 0, Exp(theta) with mass C)
// and S ~ Exp(mu), theta = c mu - lambda.
double response_cdf(double x, double C, double theta, double mu) {
  if (x <= 0) return 0.0;
  const double fs = 1.0 - std::exp(-mu * x);  // no wait
  double fw;
  if (std::fabs(theta - mu) < 1e-12 * mu) {
    // Sum of two Exp(mu): Erlang-2.
    fw = 1.0 - std::exp(-mu * x) * (1.0 + mu * x);
  } else {
    fw = 1.0 - (theta * std::exp(-mu * x) - mu * std::exp(-theta * x)) / (theta - mu);
  }
  return (1.0 - C) * fs + C * fw;
}

}  // namespace

ServiceLatency evaluate_service(double lambda, double mu, int servers,
                                const std::vector<ServiceOrigin>& origins, double slo_s) {
  ServiceLatency out;
  const double inf = std::numeric_limits<double>::infinity();
  out.utilization = servers > 0 && mu > 0 ? lambda / (servers * mu) : inf;
  if (!(out.utilization < 1.0)) {
    out.p50_s = out.p95_s = out.p99_s = inf;
    out.slo_violation = 1.0;
    return out;
  }
  double total_w = 0;
  for (const auto& o : origins) total_w += o.weight;
  if (total_w <= 0 || lambda <= 0) {
    out.p50_s = out.p95_s = out.p99_s = 0;
    out.slo_violation = 0;
    return out;
  }
  const double C = erlang_c(servers, lambda / mu);
  const double theta = servers * mu - lambda;
  auto cdf = [&](double x) {
    double f = 0;
    for (const auto& o : origins) f += o.weight * response_cdf(x - o.rtt_s, C, theta, mu);
    return f / total_w;
  };
  auto quantile = [&](double q) {
    double lo = 0, hi = 1.0;
    while (cdf(hi) < q) hi *= 2;
    for (int it = 0; it < 100 && hi - lo > 1e-9 * hi; ++it) {
      const double mid = 0.5 * (lo + hi);
      (cdf(mid) < q ? lo : hi) = mid;
    }
    return 0.5 * (lo + hi);
  };
  out.p50_s = quantile(0.50);
  out.p95_s = quantile(0.95);
  out.p99_s = quantile(0.99);
  out.slo_violation = 1.0 - cdf(slo_s);
  return out;
}

}  // namespace suanwang

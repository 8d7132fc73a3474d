// The analytic inference-service model against closed forms.
#include <gtest/gtest.h>

#include <cmath>

#include "sim/engine/service_model.hpp"

namespace suanwang {
namespace {

TEST(ServiceModel, ErlangCMatchesKnownValues) {
  // M/M/1: C = rho.
  EXPECT_NEAR(erlang_c(1, 0.7), 0.7, 1e-12);
  // M/M/2, a = 1: C = 1/3.
  EXPECT_NEAR(erlang_c(2, 1.0), 1.0 / 3.0, 1e-12);
  EXPECT_DOUBLE_EQ(erlang_c(3, 3.5), 1.0);  // overload
}

TEST(ServiceModel, MM1ResponseTimeIsExponential) {
  // M/M/1 response time ~ Exp(mu - lambda): median ln2/(mu-lambda).
  const double lambda = 6, mu = 10;
  const auto r = evaluate_service(lambda, mu, 1, {{0.0, 1.0}}, 0.5);
  EXPECT_NEAR(r.p50_s, std::log(2.0) / (mu - lambda), 1e-6);
  EXPECT_NEAR(r.p99_s, std::log(100.0) / (mu - lambda), 1e-6);
  EXPECT_NEAR(r.slo_violation, std::exp(-(mu - lambda) * 0.5), 1e-9);
  EXPECT_NEAR(r.utilization, 0.6, 1e-12);
}

TEST(ServiceModel, NetworkRoundTripShiftsLatency) {
  const auto a = evaluate_service(6, 10, 1, {{0.0, 1.0}}, 1.0);
  const auto b = evaluate_service(6, 10, 1, {{0.040, 1.0}}, 1.0);
  EXPECT_NEAR(b.p50_s - a.p50_s, 0.040, 1e-6);
}

TEST(ServiceModel, OverloadViolatesEverything) {
  const auto r = evaluate_service(12, 10, 1, {{0.0, 1.0}}, 1.0);
  EXPECT_DOUBLE_EQ(r.slo_violation, 1.0);
  EXPECT_TRUE(std::isinf(r.p99_s));
}

}  // namespace
}  // namespace suanwang

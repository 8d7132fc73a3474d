#include "sim/workload/distribution.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numbers>

namespace suanwang {
namespace {

// Choice weights that cannot be used as given (missing, mismatched, or not
// summing to something positive) fall back to equal weights rather than
// silently always picking one value; the scenario layer is expected to have
// rejected such input already.
bool weights_usable(const Distribution& d, double* total) {
  if (d.weights.size() != d.values.size()) return false;
  double t = 0;
  for (double w : d.weights) {
    if (!(w >= 0) || !std::isfinite(w)) return false;
    t += w;
  }
  *total = t;
  return t > 0;
}

double clamp_to_max(const Distribution& d, double x) { return d.max > 0 ? std::min(x, d.max) : x; }

// Standard normal CDF.
double phi(double x) { return 0.5 * std::erfc(-x / std::numbers::sqrt2); }

}  // namespace

double uniform01(Rng& rng) {
  // Top 53 bits fill a double's mantissa exactly, so every value is a
  // multiple of 2^-53 in [0, 1) and the result is identical on every platform.
  return static_cast<double>(rng() >> 11) * 0x1.0p-53;
}

double sample_exponential(Rng& rng, double mean) {
  // log1p keeps precision for small u; u < 1 so the log is finite.
  return -mean * std::log1p(-uniform01(rng));
}

double sample_normal(Rng& rng) {
  // One value per call (the sine partner is discarded): keeping no state
  // between calls means a sample depends only on the engine's position.
  // 1 - u lies in (0, 1], so the log is finite.
  double u1 = 1.0 - uniform01(rng);
  double u2 = uniform01(rng);
  return std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * std::numbers::pi * u2);
}

Distribution Distribution::constant_of(double v) {
  Distribution d;
  d.kind = Kind::constant;
  d.value = v;
  return d;
}

double Distribution::sample(Rng& rng) const {
  switch (kind) {
    case Kind::constant:
      return clamp_to_max(*this, value);
    case Kind::exponential:
      return clamp_to_max(*this, sample_exponential(rng, mean));
    case Kind::lognormal:
      return clamp_to_max(*this, std::exp(mu + sigma * sample_normal(rng)));
    case Kind::uniform:
      return min + (max - min) * uniform01(rng);
    case Kind::choice: {
      if (values.empty()) return 0;
      double u = uniform01(rng);
      double total = 0;
      if (!weights_usable(*this, &total)) {
        auto i = static_cast<std::size_t>(u * static_cast<double>(values.size()));
        return clamp_to_max(*this, values[std::min(i, values.size() - 1)]);
      }
      double target = u * total;
      double cumulative = 0;
      for (std::size_t i = 0; i < values.size(); ++i) {
        cumulative += weights[i];
        if (target < cumulative) return clamp_to_max(*this, values[i]);
      }
      // Rounding in the running sum can leave target just past the end; the
      // last value with positive weight is the right answer then.
      for (std::size_t i = values.size(); i-- > 0;)
        if (weights[i] > 0) return clamp_to_max(*this, values[i]);
      return clamp_to_max(*this, values.back());
    }
  }
  return 0;
}

double Distribution::expected_value() const {
  switch (kind) {
    case Kind::constant:
      return clamp_to_max(*this, value);
    case Kind::exponential:
      // E[min(X, M)] = mean * (1 - exp(-M / mean)) for an exponential X.
      if (max > 0 && mean > 0) return mean * -std::expm1(-max / mean);
      return mean;
    case Kind::lognormal: {
      // The clamp matters: a heavy tail cut at max can lower the mean a lot,
      // and load estimates should match what sample() actually produces.
      // E[min(X, M)] = e^(mu + s^2/2) Phi((ln M - mu - s^2)/s) + M (1 - Phi((ln M - mu)/s)).
      double unclamped = std::exp(mu + 0.5 * sigma * sigma);
      if (!(max > 0)) return unclamped;
      if (!(sigma > 0)) return std::min(std::exp(mu), max);
      double lm = std::log(max);
      return unclamped * phi((lm - mu - sigma * sigma) / sigma) +
             max * (1.0 - phi((lm - mu) / sigma));
    }
    case Kind::uniform:
      return 0.5 * (min + max);
    case Kind::choice: {
      if (values.empty()) return 0;
      double total = 0;
      bool weighted = weights_usable(*this, &total);
      double sum = 0;
      for (std::size_t i = 0; i < values.size(); ++i)
        sum += (weighted ? weights[i] : 1.0) * clamp_to_max(*this, values[i]);
      return sum / (weighted ? total : static_cast<double>(values.size()));
    }
  }
  return 0;
}

namespace {

// Extremes of the transforms above: uniform01() lies in [0, 1 - 2^-53], so
// -log1p(-u) is at most 53 ln 2, and sample_normal()'s radius
// sqrt(-2 ln(1 - u)) at most sqrt(106 ln 2).
constexpr double kMaxExponentialMultiple = 36.7368005696771;  // 53 ln 2
constexpr double kMaxNormal = 8.57167043674378;                // sqrt(106 ln 2)

}  // namespace

double Distribution::lowest() const {
  switch (kind) {
    case Kind::constant: return clamp_to_max(*this, value);
    case Kind::exponential: return 0;
    case Kind::lognormal: return clamp_to_max(*this, std::exp(mu - sigma * kMaxNormal));
    case Kind::uniform: return min;
    case Kind::choice: {
      double lo = std::numeric_limits<double>::infinity();
      for (double v : values) lo = std::min(lo, clamp_to_max(*this, v));
      return values.empty() ? 0 : lo;
    }
  }
  return 0;
}

double Distribution::highest() const {
  switch (kind) {
    case Kind::constant: return clamp_to_max(*this, value);
    case Kind::exponential: return clamp_to_max(*this, mean * kMaxExponentialMultiple);
    case Kind::lognormal: return clamp_to_max(*this, std::exp(mu + sigma * kMaxNormal));
    case Kind::uniform: return min + (max - min);
    case Kind::choice: {
      double hi = -std::numeric_limits<double>::infinity();
      for (double v : values) hi = std::max(hi, clamp_to_max(*this, v));
      return values.empty() ? 0 : hi;
    }
  }
  return 0;
}

}  // namespace suanwang

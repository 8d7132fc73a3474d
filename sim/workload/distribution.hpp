// Distribution: a random quantity of a workload (job size, duration, bytes).
//
// Plain data plus sample(); the scenario layer builds one from a Lua table
// such as { dist = "lognormal", median = "2h", sigma = 1.5 } or a bare value
// (constant). All values are SI. Sampling draws from the Rng given, so a
// workload is reproducible from its seed.
#pragma once

#include <cstdint>
#include <random>
#include <vector>

namespace suanwang {

// The one random engine of the workload layer: 64-bit Mersenne twister,
// chosen because its output sequence is specified by the C++ standard (the
// same seed gives the same numbers with every compiler). Distributions are
// sampled with our own transforms, not std::*_distribution, whose algorithms
// are implementation-defined.
using Rng = std::mt19937_64;

// Uniform in [0, 1) from 53 random bits: portable across standard libraries.
double uniform01(Rng& rng);
double sample_exponential(Rng& rng, double mean);
double sample_normal(Rng& rng);  // standard normal, Box-Muller

struct Distribution {
  enum class Kind : std::uint8_t { constant, exponential, lognormal, uniform, choice };
  Kind kind = Kind::constant;
  double value = 0;          // constant
  double mean = 0;           // exponential
  double mu = 0, sigma = 0;  // lognormal: log-space mean and std-dev
  double min = 0, max = 0;   // uniform; also optional clamp for others (max 0 = none)
  std::vector<double> values, weights;  // choice: values with relative weights

  static Distribution constant_of(double v);
  double sample(Rng& rng) const;
  double expected_value() const;  // for load estimates and summaries
  // The smallest and largest values sample() can return (max applied), from
  // the extremes of the 53-bit uniforms it draws: a reader checks these once
  // instead of every draw failing later (a lognormal with a huge sigma
  // reaches infinity and zero; an exponential reaches 36.7 x its mean).
  double lowest() const;
  double highest() const;
};

}  // namespace suanwang

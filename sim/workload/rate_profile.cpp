// RateProfile: piecewise-constant arrival-rate modulation.
//
// multiplier(t) = hourly[slot of day] * daily[slot of week], each factor 1
// when its vector is empty. t = 0 is the start of hour 0 of day 0 of the
// simulation (day 0 is whatever weekday the scenario says the run starts on).
// A vector of n entries splits its period (day or week) into n equal slots,
// so the conventional 24 hourly / 7 daily entries are hours and days; other
// sizes (e.g. 48 half-hours) work the same way. Negative or non-finite
// entries count as 0. The function is a step function, so max_multiplier()
// is exact, which is what the thinning generator needs.
#include <algorithm>
#include <cmath>

#include "sim/core/units.hpp"
#include "sim/workload/workload_spec.hpp"

namespace suanwang {
namespace {

double entry(const std::vector<double>& v, std::size_t i) {
  double x = v[i];
  return (std::isfinite(x) && x > 0) ? x : 0.0;
}

double slot_value(const std::vector<double>& v, double t_s, double period_s) {
  if (v.empty()) return 1.0;
  double phase = std::fmod(t_s, period_s);
  if (phase < 0) phase += period_s;
  auto n = v.size();
  auto i = static_cast<std::size_t>(phase / period_s * static_cast<double>(n));
  return entry(v, std::min(i, n - 1));
}

double max_value(const std::vector<double>& v) {
  if (v.empty()) return 1.0;
  double m = 0;
  for (std::size_t i = 0; i < v.size(); ++i) m = std::max(m, entry(v, i));
  return m;
}

}  // namespace

double RateProfile::multiplier(double t_s) const {
  return slot_value(hourly, t_s, units::kSecondsPerDay) * slot_value(daily, t_s, units::kSecondsPerWeek);
}

double RateProfile::max_multiplier() const { return max_value(hourly) * max_value(daily); }

double RateProfile::mean_multiplier() const {
  const auto mean = [](const std::vector<double>& v) {
    if (v.empty()) return 1.0;
    double sum = 0;
    for (std::size_t i = 0; i < v.size(); ++i) sum += entry(v, i);
    return sum / static_cast<double>(v.size());
  };
  return mean(hourly) * mean(daily);
}

}  // namespace suanwang

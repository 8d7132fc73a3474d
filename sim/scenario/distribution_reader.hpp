// read_distribution: a workload quantity from the scenario, as a Distribution.
//
// The value at `key` is absent (the constant `def`), a bare value (a
// constant: a number in SI or a string with a unit of `dim`), or a table
//   { dist = "constant", value = v }
//   { dist = "exp" | "exponential", mean = m [, max = clamp] }
//   { dist = "lognormal", median = m | mu = log-of-SI-value, sigma = s [, max = clamp] }
//   { dist = "uniform", min = a, max = b }
//   { dist = "choice", values = { ... } [, weights = { ... }] }
// Every value drawn must satisfy `bound`; for gpus that is > 0 and either a
// share of one chip (<= 1) or whole chips.
#pragma once

#include <string>

#include "sim/core/units.hpp"
#include "sim/lua/lua_table_reader.hpp"
#include "sim/workload/distribution.hpp"

namespace suanwang {

enum class Bound { positive, nonnegative, gpus };

Distribution read_distribution(lua::TableReader& r, const std::string& key, units::Dimension dim, double def,
                               Bound bound);

}  // namespace suanwang

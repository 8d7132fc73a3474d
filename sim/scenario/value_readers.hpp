// Readers of one scenario value with its range check, shared by every part of
// the scenario file: quantities (a number in SI or a string with a unit) that
// must be > 0 or >= 0, whole numbers with a floor, lists of numbers >= 0, and
// the 24-hour / 7-day curves of rate and price profiles. A value out of range
// is a UserError naming its key and the value.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "sim/core/units.hpp"
#include "sim/lua/lua_table_reader.hpp"

namespace suanwang {

double positive_quantity(lua::TableReader& r, const std::string& key, units::Dimension dim, double def);
double nonneg_quantity(lua::TableReader& r, const std::string& key, units::Dimension dim, double def);
// A whole number in [min, max]: the range of what it is stored in, at least,
// so nothing is silently cut (replications = 2^32 + 1 is an error, not 1).
long long integer_in(lua::TableReader& r, const std::string& key, long long min, long long max, long long def);

// A count for messages: "1.2e+07" style above a million, digits below.
std::string format_count(double n);

// The numbers of the list `list` (whose key path is `path`), each >= 0.
std::vector<double> nonneg_numbers(const lua::TableReader& r, const lua::Node& list, const std::string& path);

// A curve at `key`: absent (flat), one of the `names` ("flat" gives {}; "diurnal"
// the built-in day: low at night, the evening peak at 20:00, mean 1), or a
// list of exactly `len` numbers >= 0.
std::vector<double> read_curve(lua::TableReader& r, const std::string& key, std::size_t len,
                               const std::vector<std::string>& names);

}  // namespace suanwang

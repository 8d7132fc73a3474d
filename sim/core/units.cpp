#include "sim/core/units.hpp"

#include <charconv>
#include <cmath>
#include <cstdio>
#include <string>
#include <system_error>

#include "sim/core/user_error.hpp"

namespace suanwang::units {
namespace {

struct Unit {
  const char* name;
  double factor;  // SI value of one of this unit
};

// One table per dimension, in the order the header documents them, so the
// error message lists units exactly as a user would read them in the header.
constexpr Unit kDuration[] = {{"s", 1},           {"sec", 1},       {"ms", 1e-3},
                              {"us", 1e-6},       {"ns", 1e-9},     {"min", kSecondsPerMinute},
                              {"h", kSecondsPerHour}, {"d", kSecondsPerDay}, {"w", kSecondsPerWeek}};
constexpr Unit kBytes[] = {{"B", 1},
                           {"KB", 1e3},
                           {"MB", 1e6},
                           {"GB", 1e9},
                           {"TB", 1e12},
                           {"PB", 1e15},
                           {"KiB", 1024.0},
                           {"MiB", 1024.0 * 1024},
                           {"GiB", 1024.0 * 1024 * 1024},
                           {"TiB", 1024.0 * 1024 * 1024 * 1024},
                           {"PiB", 1024.0 * 1024 * 1024 * 1024 * 1024}};
// Link speeds are quoted in bits, storage throughput in bytes; both end up
// in bytes per second.
constexpr Unit kBandwidth[] = {{"bps", 1.0 / kBitsPerByte},  {"Kbps", 1e3 / kBitsPerByte},
                               {"Mbps", 1e6 / kBitsPerByte}, {"Gbps", 1e9 / kBitsPerByte},
                               {"Tbps", 1e12 / kBitsPerByte}, {"B/s", 1},
                               {"KB/s", 1e3},     {"MB/s", 1e6},     {"GB/s", 1e9}};
constexpr Unit kRate[] = {{"/s", 1},
                          {"/min", 1.0 / kSecondsPerMinute},
                          {"/h", 1.0 / kSecondsPerHour},
                          {"/d", 1.0 / kSecondsPerDay},
                          {"/w", 1.0 / kSecondsPerWeek}};
constexpr Unit kPower[] = {{"W", 1}, {"kW", 1e3}, {"MW", 1e6}};
constexpr Unit kEnergy[] = {{"J", 1},       {"kJ", 1e3},          {"MJ", 1e6},
                            {"Wh", kSecondsPerHour}, {"kWh", kJoulePerKWh}, {"MWh", kJoulePerKWh * 1e3}};
constexpr Unit kPrice[] = {{"CNY/kWh", 1.0 / kJoulePerKWh}, {"CNY/MWh", 1.0 / (kJoulePerKWh * 1e3)}};
constexpr Unit kLength[] = {{"m", 1}, {"km", 1e3}};
constexpr Unit kFraction[] = {{"%", 1e-2}};

struct DimInfo {
  const Unit* units;
  std::size_t count;
  const char* name;
  const char* example;  // "a duration like ..." : article included for grammar
};

template <std::size_t N>
constexpr DimInfo info(const Unit (&u)[N], const char* name, const char* example) {
  return {u, N, name, example};
}

const DimInfo& dim_info(Dimension dim) {
  static const DimInfo table[] = {
      info(kDuration, "duration", "a duration like \"30d\", \"3.5h\", \"12ms\""),
      info(kBytes, "bytes", "a size like \"200GB\", \"4KiB\", \"1.5TB\""),
      info(kBandwidth, "bandwidth", "a bandwidth like \"400Gbps\", \"10 Mbps\", \"1 GB/s\""),
      info(kRate, "rate", "a rate like \"6/h\", \"0.5/s\", \"100/d\""),
      info(kPower, "power", "a power like \"350W\", \"1.2kW\", \"20MW\""),
      info(kEnergy, "energy", "an energy like \"5kWh\", \"3.6MJ\", \"100J\""),
      info(kPrice, "price", "a price like \"0.45 CNY/kWh\", \"450 CNY/MWh\""),
      info(kLength, "length", "a length like \"1200km\", \"500m\""),
      info(kFraction, "fraction", "a fraction like \"20%\" or \"0.2\""),
  };
  return table[static_cast<int>(dim)];
}

constexpr Dimension kAllDims[] = {Dimension::duration, Dimension::bytes,  Dimension::bandwidth,
                                  Dimension::rate,     Dimension::power,  Dimension::energy,
                                  Dimension::price,    Dimension::length, Dimension::fraction};

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }

std::string_view trim(std::string_view s) {
  while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
  return s;
}

[[noreturn]] void fail(std::string_view text, Dimension dim, std::string_view what,
                       const std::string& detail) {
  const DimInfo& d = dim_info(dim);
  std::string msg = "expected ";
  msg += d.example;
  msg += "; got \"";
  msg += text;
  msg += "\"";
  if (!detail.empty()) msg += " (" + detail + ")";
  msg += " [accepted units:";
  for (std::size_t i = 0; i < d.count; ++i) {
    msg += ' ';
    msg += d.units[i].name;
  }
  if (dim != Dimension::fraction) msg += ", or a bare number in SI";
  msg += "]";
  throw UserError("", std::string(what), msg);
}

// Tells the user *why* a known unit was refused, which is the common mistake
// (a size pasted where a duration belongs).
std::string other_dimension_of(std::string_view unit, Dimension dim) {
  for (Dimension other : kAllDims) {
    if (other == dim) continue;
    const DimInfo& d = dim_info(other);
    for (std::size_t i = 0; i < d.count; ++i)
      if (unit == d.units[i].name)
        return "\"" + std::string(unit) + "\" is a " + d.name + " unit, not " + dim_info(dim).name;
  }
  return {};
}

std::string trim_number(double x, int decimals) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, x);
  std::string s(buf);
  if (s.find('.') != std::string::npos) {
    while (s.back() == '0') s.pop_back();
    if (s.back() == '.') s.pop_back();
  }
  if (s == "-0") s = "0";
  return s;
}

// Three significant figures without exponent notation: summaries are read by
// people, and "1.23e+03" is not how anyone writes a duration.
std::string human_number(double x) {
  double a = std::fabs(x);
  int decimals = a >= 100 ? 0 : a >= 10 ? 1 : 2;
  return trim_number(x, decimals);
}

// Picks the largest unit not exceeding |value| (the smallest one for tiny
// values) from a table sorted ascending.
std::string format_with(double value, const Unit* units, std::size_t n, const char* sep) {
  if (std::isnan(value)) return "nan";
  if (std::isinf(value)) return value > 0 ? "inf" : "-inf";
  std::size_t pick = 0;
  double a = std::fabs(value);
  for (std::size_t i = 0; i < n; ++i)
    if (a >= units[i].factor) pick = i;
  if (a == 0) {
    // Zero reads most naturally in the base unit.
    for (std::size_t i = 0; i < n; ++i)
      if (units[i].factor == 1) pick = i;
  }
  double scaled = value / units[pick].factor;
  // Rounding may carry into the next unit (999.7 ms -> "1000ms"); move up.
  if (pick + 1 < n && std::fabs(std::stod(human_number(scaled))) * units[pick].factor >=
                          units[pick + 1].factor) {
    ++pick;
    scaled = value / units[pick].factor;
  }
  return human_number(scaled) + sep + units[pick].name;
}

}  // namespace

const char* dimension_name(Dimension dim) { return dim_info(dim).name; }

double parse(std::string_view text, Dimension dim, std::string_view what) {
  std::string_view s = trim(text);
  if (s.empty()) fail(text, dim, what, "empty value");

  // from_chars is locale-independent (a "," decimal locale must not change
  // scenario meaning) but rejects a leading '+', which people do write.
  std::string_view num = s;
  if (num.front() == '+') num.remove_prefix(1);
  double value = 0;
  auto [end, ec] = std::from_chars(num.data(), num.data() + num.size(), value,
                                   std::chars_format::general);
  if (ec == std::errc::result_out_of_range) fail(text, dim, what, "number out of range");
  if (ec != std::errc() || end == num.data()) fail(text, dim, what, "no number");
  if (!std::isfinite(value)) fail(text, dim, what, "not a finite number");
  if (num.data() != s.data() && (num.front() == '-' || num.front() == '+'))
    fail(text, dim, what, "malformed sign");

  // Whitespace anywhere in the unit is insignificant: "6 / h" and
  // "0.45 CNY / kWh" mean the same as their compact forms.
  std::string unit;
  for (const char* p = end; p != num.data() + num.size(); ++p)
    if (!is_space(*p)) unit += *p;

  if (unit.empty()) return value;  // bare number: already SI (or a plain fraction)

  const DimInfo& d = dim_info(dim);
  for (std::size_t i = 0; i < d.count; ++i)
    if (unit == d.units[i].name) {
      // Finite after scaling too: "1e308 PB" is not a size.
      const double si = value * d.units[i].factor;
      if (!std::isfinite(si)) fail(text, dim, what, "out of range once converted to SI units");
      return si;
    }

  std::string detail = other_dimension_of(unit, dim);
  if (detail.empty()) detail = "unknown unit \"" + unit + "\"";
  fail(text, dim, what, detail);
}

std::string format_duration(double seconds) {
  // Weeks are left out: "30d" is how people think of a simulated month.
  static constexpr Unit units[] = {{"ns", 1e-9},
                                   {"us", 1e-6},
                                   {"ms", 1e-3},
                                   {"s", 1},
                                   {"min", kSecondsPerMinute},
                                   {"h", kSecondsPerHour},
                                   {"d", kSecondsPerDay}};
  return format_with(seconds, units, std::size(units), "");
}

std::string format_bytes(double bytes) {
  static constexpr Unit units[] = {{"B", 1},     {"KB", 1e3},  {"MB", 1e6},
                                   {"GB", 1e9},  {"TB", 1e12}, {"PB", 1e15}};
  return format_with(bytes, units, std::size(units), " ");
}

std::string format_bandwidth(double bytes_per_second) {
  // Shown in bits per second, the way links are specified and quoted.
  static constexpr Unit units[] = {{"bps", 1},    {"Kbps", 1e3},  {"Mbps", 1e6},
                                   {"Gbps", 1e9}, {"Tbps", 1e12}};
  return format_with(bytes_per_second * 8, units, std::size(units), " ");
}

}  // namespace suanwang::units

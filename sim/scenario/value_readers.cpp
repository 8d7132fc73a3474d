#include "sim/scenario/value_readers.hpp"

#include <cmath>
#include <cstdio>

#include "sim/core/text.hpp"

namespace suanwang {

namespace {

using lua::format_number;
using lua::Node;

// Built-in diurnal curve (hour of day of simulated time, t = 0 is 00:00 China
// Standard Time): low at night (0.25 at 03:00-04:00), a morning ramp, a
// working-day plateau and the evening peak (1.55 at 20:00). Mean exactly 1.
const std::vector<double>& diurnal_curve() {
  static const std::vector<double> v = {0.55, 0.40, 0.30, 0.25, 0.25, 0.30, 0.45, 0.70,
                                        0.95, 1.15, 1.25, 1.30, 1.20, 1.25, 1.40, 1.45,
                                        1.45, 1.40, 1.40, 1.50, 1.55, 1.45, 1.15, 0.95};
  return v;
}

std::string quoted_list(const std::vector<std::string>& v) {
  std::vector<std::string> q;
  for (const auto& x : v) q.push_back(text::quote(x, '"'));
  return text::join(q);
}

}  // namespace

double positive_quantity(lua::TableReader& r, const std::string& key, units::Dimension dim, double def) {
  const double v = r.quantity(key, dim, def);
  if (!(v > 0)) r.fail(key, "must be > 0 (got " + format_number(v) + ")");
  return v;
}

double nonneg_quantity(lua::TableReader& r, const std::string& key, units::Dimension dim, double def) {
  const double v = r.quantity(key, dim, def);
  if (!(v >= 0)) r.fail(key, "must be >= 0 (got " + format_number(v) + ")");
  return v;
}

long long integer_in(lua::TableReader& r, const std::string& key, long long min, long long max, long long def) {
  const long long v = r.integer(key, def);
  if (v < min) r.fail(key, "must be >= " + std::to_string(min) + " (got " + std::to_string(v) + ")");
  if (v > max) r.fail(key, "must be <= " + std::to_string(max) + " (got " + std::to_string(v) + ")");
  return v;
}

std::string format_count(double n) {
  char b[32];
  std::snprintf(b, sizeof b, n < 1e6 ? "%.0f" : "%.3g", n);
  return b;
}

std::vector<double> nonneg_numbers(const lua::TableReader& r, const Node& list, const std::string& path) {
  std::vector<double> out;
  for (std::size_t i = 0; i < list.items.size(); ++i) {
    const std::string p = path + "[" + std::to_string(i + 1) + "]";
    const Node& n = list.items[i];
    if (n.type != Node::Type::number) r.fail_at(p, "expected a number");
    if (!(n.number >= 0) || !std::isfinite(n.number))
      r.fail_at(p, "must be a finite number >= 0 (got " + format_number(n.number) + ")");
    out.push_back(n.number);
  }
  return out;
}

std::vector<double> read_curve(lua::TableReader& r, const std::string& key, std::size_t len,
                               const std::vector<std::string>& names) {
  const Node* n = r.get(key);
  if (!n) {
    r.record(key, "flat");
    return {};
  }
  if (n->type == Node::Type::string) {
    const std::string v = r.choice(key, names, "flat");
    if (v == "diurnal") return diurnal_curve();
    return {};
  }
  if (n->type != Node::Type::table || !n->fields.empty() || n->items.size() != len)
    r.fail(key, "expected " + quoted_list(names) + " or a list of " + std::to_string(len) + " numbers" +
                    (n->type == Node::Type::table ? " (got " + std::to_string(n->items.size()) + " entries)"
                                                  : " (got " + std::string(n->type_name()) + ")"));
  std::vector<double> out = nonneg_numbers(r, *n, r.key_path(key));
  std::vector<std::string> txt;
  for (double v : out) txt.push_back(format_number(v));
  r.record(key, text::join(txt, ","));
  return out;
}

}  // namespace suanwang

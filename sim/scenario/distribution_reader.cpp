#include "sim/scenario/distribution_reader.hpp"

#include <cmath>

#include "sim/core/job.hpp"
#include "sim/core/text.hpp"
#include "sim/scenario/value_readers.hpp"

namespace suanwang {

namespace {

using lua::format_number;
using lua::Node;
using lua::TableReader;

void check_value(const TableReader& r, double v, Bound b, const std::string& path) {
  if (b == Bound::nonnegative && !(v >= 0)) r.fail_at(path, "must be >= 0 (got " + format_number(v) + ")");
  if ((b == Bound::positive || b == Bound::gpus) && !(v > 0))
    r.fail_at(path, "must be > 0 (got " + format_number(v) + ")");
  if (b == Bound::gpus && v > 1 && v != std::floor(v))
    r.fail_at(path, "a job wants a share of one chip (<= 1) or whole chips (got " + format_number(v) + ")");
}

// Every value the distribution can draw must be usable: finite, > 0 where
// the field needs it (a lognormal's lower tail can underflow to 0), and for
// gpus at most kMaxJobGpus. Checked once here so that no draw fails
// mid-run, and `check` agrees with `run`.
void check_extremes(const TableReader& r, const std::string& key, const Distribution& d, Bound b) {
  const double lo = d.lowest(), hi = d.highest();
  const std::string hint = d.kind == Distribution::Kind::constant || d.kind == Distribution::Kind::choice
                               ? ""
                               : " (narrow it, or cap it with max = ...)";
  if (!std::isfinite(hi) || !std::isfinite(lo))
    r.fail(key, "can draw " + format_number(std::isfinite(hi) ? lo : hi) + hint);
  if (b == Bound::gpus && hi > kMaxJobGpus)
    r.fail(key, "can draw " + format_number(hi) + " GPUs, more than the " + format_number(kMaxJobGpus) +
                    " of the largest pool there can be" + hint);
  if ((b == Bound::positive || b == Bound::gpus) && d.kind == Distribution::Kind::lognormal && !(lo > 0))
    r.fail(key, "can draw 0 (the lognormal's lower tail underflows; expected values > 0: lower sigma)");
}

// What every table form shares: the keys it must have, and the optional clamp.
struct Form {
  TableReader& d;
  units::Dimension dim;
  std::string kind;

  void require(const std::string& key) const {
    if (!d.has(key)) d.fail(key, "missing (required by dist = \"" + kind + "\")");
  }
  double positive(const std::string& key) const {
    require(key);
    const double v = d.quantity(key, dim, 0);
    if (!(v > 0)) d.fail(key, "must be > 0 (got " + format_number(v) + ")");
    return v;
  }
  void clamp(Distribution& out) const {
    if (const auto mx = d.opt_quantity("max", dim)) {
      if (!(*mx > 0)) d.fail("max", "must be > 0 (got " + format_number(*mx) + ")");
      out.max = *mx;
    }
  }
};

Distribution read_lognormal(const Form& f) {
  TableReader& d = f.d;
  Distribution out;
  out.kind = Distribution::Kind::lognormal;
  const bool has_median = d.has("median"), has_mu = d.has("mu");
  if (has_median == has_mu)
    d.fail("median", "a lognormal takes exactly one of median (with a unit) or mu (log of the SI value)");
  if (has_median) {
    out.mu = std::log(f.positive("median"));
    d.record("mu", format_number(out.mu));
  } else {
    out.mu = d.number("mu", 0);
  }
  f.require("sigma");
  out.sigma = d.number("sigma", 0);
  if (!(out.sigma >= 0)) d.fail("sigma", "must be >= 0 (got " + format_number(out.sigma) + ")");
  f.clamp(out);
  return out;
}

Distribution read_uniform(const Form& f, Bound b) {
  TableReader& d = f.d;
  f.require("min");
  f.require("max");
  Distribution out;
  out.kind = Distribution::Kind::uniform;
  out.min = d.quantity("min", f.dim, 0);
  out.max = d.quantity("max", f.dim, 0);
  if (!(out.min <= out.max)) d.fail("max", "must be >= min (" + format_number(out.min) + ")");
  check_value(d, out.min, b == Bound::gpus ? Bound::positive : b, d.key_path("min"));
  return out;
}

// weights = { ... }: as many as values, each >= 0, not all zero; absent: all 1.
std::vector<double> read_weights(TableReader& d, std::size_t count) {
  const Node* w = d.get("weights");
  if (!w) return std::vector<double>(count, 1.0);
  if (w->type != Node::Type::table || !w->fields.empty()) d.fail_type("weights", *w, "a list of numbers");
  if (w->items.size() != count)
    d.fail("weights", "has " + std::to_string(w->items.size()) + " entries, values has " + std::to_string(count));
  std::vector<double> weights = nonneg_numbers(d, *w, d.key_path("weights"));
  double sum = 0;
  std::vector<std::string> txt;
  for (double x : weights) {
    sum += x;
    txt.push_back(format_number(x));
  }
  if (!(sum > 0)) d.fail("weights", "must not all be zero");
  d.record("weights", text::join(txt, ","));
  return weights;
}

Distribution read_choice(const Form& f, Bound b, const std::string& file) {
  TableReader& d = f.d;
  f.require("values");
  Distribution out;
  out.kind = Distribution::Kind::choice;
  const Node* vals = d.get("values");
  if (vals->type != Node::Type::table || vals->items.empty() || !vals->fields.empty())
    d.fail_type("values", *vals, "a non-empty list of values");
  std::vector<std::string> txt;
  for (std::size_t i = 0; i < vals->items.size(); ++i) {
    const std::string p = d.key_path("values") + "[" + std::to_string(i + 1) + "]";
    const double v = lua::quantity_of(vals->items[i], f.dim, file, p);
    check_value(d, v, b, p);
    out.values.push_back(v);
    txt.push_back(format_number(v));
  }
  d.record("values", text::join(txt, ","));
  out.weights = read_weights(d, out.values.size());
  return out;
}

Distribution read_table_form(TableReader& d, units::Dimension dim, Bound b) {
  if (!d.has("dist"))
    d.fail("dist", "missing: a distribution table needs dist = \"exp\" | \"lognormal\" | "
                   "\"uniform\" | \"choice\" | \"constant\"");
  const Form f{d, dim, d.choice("dist", {"constant", "exp", "exponential", "lognormal", "uniform", "choice"}, "")};
  if (f.kind == "constant") {
    f.require("value");
    const Distribution out = Distribution::constant_of(d.quantity("value", dim, 0));
    check_value(d, out.value, b, d.key_path("value"));
    return out;
  }
  if (f.kind == "exp" || f.kind == "exponential") {
    Distribution out;
    out.kind = Distribution::Kind::exponential;
    out.mean = f.positive("mean");
    f.clamp(out);
    return out;
  }
  if (f.kind == "lognormal") return read_lognormal(f);
  if (f.kind == "uniform") return read_uniform(f, b);
  return read_choice(f, b, d.ctx().file);
}

}  // namespace

Distribution read_distribution(TableReader& r, const std::string& key, units::Dimension dim, double def,
                               Bound bound) {
  const Node* n = r.get(key);
  const std::string path = r.key_path(key);
  if (!n) {
    r.record(key, format_number(def));
    return Distribution::constant_of(def);
  }
  if (n->type != Node::Type::table) {
    const double v = lua::quantity_of(*n, dim, r.ctx().file, path);
    check_value(r, v, bound, path);
    r.record(key, format_number(v));
    const Distribution out = Distribution::constant_of(v);
    check_extremes(r, key, out, bound);
    return out;
  }
  TableReader d(*n, path, r.dotted_key(key), r.ctx());
  const Distribution out = read_table_form(d, dim, bound);
  d.finish();
  check_extremes(r, key, out, bound);
  return out;
}

}  // namespace suanwang

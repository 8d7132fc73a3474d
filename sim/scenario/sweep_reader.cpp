#include "sim/scenario/sweep_reader.hpp"

#include "sim/core/user_error.hpp"
#include "sim/scenario/size_limits.hpp"
#include "sim/scenario/value_readers.hpp"

namespace suanwang {

namespace {

using lua::key_error;
using lua::Node;

SweepAxis read_axis(const std::string& key, const Node& values, const std::string& path, const std::string& file) {
  if (key.empty() || key.rfind("sweep", 0) == 0 || key == "replications")
    throw key_error(file, path, "cannot sweep over '" + key + "'");
  if (values.type != Node::Type::table || values.items.empty() || !values.fields.empty())
    throw key_error(file, path, "expected a non-empty list of values");
  SweepAxis ax;
  ax.key = key;
  for (std::size_t i = 0; i < values.items.size(); ++i) {
    const Node& v = values.items[i];
    if (v.type == Node::Type::table || v.type == Node::Type::nil)
      throw key_error(file, path + "[" + std::to_string(i + 1) + "]", "sweep values must be numbers, strings or booleans");
    ax.values.push_back(lua::render_scalar(v));
  }
  return ax;
}

}  // namespace

std::vector<SweepAxis> read_sweep_axes(const Node& sweep, const std::string& file) {
  std::vector<SweepAxis> axes;
  const auto add = [&](const std::string& key, const Node& values, const std::string& path) {
    SweepAxis axis = read_axis(key, values, path, file);
    for (const SweepAxis& other : axes)
      if (other.key == key) throw key_error(file, path, "axis given twice");
    axes.push_back(std::move(axis));
  };
  for (const auto& [k, v] : sweep.fields) {
    if (k == "replications") continue;
    if (k != "axes") {
      add(k, v, "sweep." + k);
      continue;
    }
    if (v.type != Node::Type::table || !v.items.empty())
      throw key_error(file, "sweep.axes", "expected a table key = {values...}");
    for (const auto& [ak, av] : v.fields) add(ak, av, "sweep.axes." + ak);
  }
  if (!sweep.items.empty())
    throw key_error(file, "sweep[1]", "expected named axes, e.g. sweep = { axes = { policy = {...} } }");
  long long values = 0;
  for (const SweepAxis& ax : axes) values += static_cast<long long>(ax.values.size());
  if (values > kMaxSweepValues)
    throw key_error(file, "sweep", std::to_string(values) + " axis values in all (expected at most " +
                                       std::to_string(kMaxSweepValues) + "; see README \"Limits\")");
  return axes;
}

void check_sweep_size(const std::vector<SweepAxis>& axes, int replications, const std::string& file) {
  // Saturating: 64 axes of 2 values must not wrap to 0 points.
  long long points = replications;
  for (const SweepAxis& ax : axes) {
    const long long n = static_cast<long long>(ax.values.size());
    points = points > kMaxSweepPoints / n ? kMaxSweepPoints + 1 : points * n;
  }
  if (points > kMaxSweepPoints)
    throw key_error(file, "sweep", "more than " + std::to_string(kMaxSweepPoints) +
                                       " points (axis values multiplied, times replications; see README \"Limits\")");
}

int read_replications(lua::TableReader& root, const Node* sweep, int def) {
  const bool top_level = root.has("replications");
  int replications = static_cast<int>(integer_in(root, "replications", 1, kMaxSweepPoints, def));
  if (!sweep) return replications;
  const auto it = sweep->fields.find("replications");
  if (it == sweep->fields.end() || it->second.type == Node::Type::nil) return replications;
  if (top_level) root.fail("sweep", "replications is given twice (top level and in sweep)");
  lua::TableReader s(*sweep, "sweep", "sweep", root.ctx());
  replications = static_cast<int>(integer_in(s, "replications", 1, kMaxSweepPoints, def));
  root.record("replications", std::to_string(replications));
  return replications;
}

}  // namespace suanwang

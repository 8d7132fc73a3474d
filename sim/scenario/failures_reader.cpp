#include "sim/scenario/failures_reader.hpp"

#include "sim/scenario/size_limits.hpp"
#include "sim/scenario/value_readers.hpp"
#include "sim/topology/link_name.hpp"

namespace suanwang {

namespace {

using lua::Node;
using lua::TableReader;
using units::Dimension;

// More restarts than this is "never give up" in any week a study simulates;
// the count is an int in the engine and the job rows.
constexpr long long kMaxRestarts = 1000000;

// Calls read(entry) for each table of the list at `key` of `f`.
template <class Read>
void each_entry(TableReader& f, const LoadContext& lc, const std::string& key, Read&& read) {
  const Node* l = f.get(key);
  if (!l) return;
  if (l->type != Node::Type::table || !l->fields.empty()) f.fail_type(key, *l, "a list of tables");
  for (std::size_t i = 0; i < l->items.size(); ++i) {
    const std::string p = "failures." + key + "[" + std::to_string(i + 1) + "]";
    if (l->items[i].type != Node::Type::table) lc.fail(p, "expected a table");
    TableReader e(l->items[i], p, "failures." + key + "." + std::to_string(i + 1), f.ctx());
    read(e);
    e.finish();
  }
}

LinkFailure read_link_failure(TableReader& e, const LoadContext& lc) {
  LinkFailure lf;
  if (!e.has("link")) e.fail("link", "missing: \"CityA-CityB/carrier\" or \"carrier:ID\"");
  lf.link = e.string("link", "");
  topo::resolve_link_name(*lc.topology, lf.link, lc.file, lua::key_element(e.key_path("link")));
  lf.at_s = nonneg_quantity(e, "at", Dimension::duration, lf.at_s);
  lf.for_s = nonneg_quantity(e, "for", Dimension::duration, lf.for_s);
  return lf;
}

CenterOutage read_center_outage(TableReader& e, const LoadContext& lc) {
  CenterOutage o;
  if (!e.has("city")) e.fail("city", "missing: which center fails?");
  o.city = e.string("city", "");
  lc.city_index(o.city, e.key_path("city"), true);
  o.at_s = nonneg_quantity(e, "at", Dimension::duration, o.at_s);
  o.for_s = nonneg_quantity(e, "for", Dimension::duration, o.for_s);
  return o;
}

// Expected failures of `elements` elements with this MTBF over the run.
void check_failure_count(TableReader& r, const char* key, double mtbf_s, std::size_t elements, double horizon_s) {
  if (!(mtbf_s > 0)) return;
  const double expected = static_cast<double>(elements) * horizon_s / mtbf_s;
  if (expected > kMaxRandomFailures)
    r.fail(key, "gives about " + format_count(expected) + " failures over the run (expected at most " +
                    format_count(kMaxRandomFailures) + ": a longer MTBF; see README \"Limits\")");
}

RandomFailures read_random(const Node& n, TableReader& f, const LoadContext& lc) {
  if (n.type != Node::Type::table) f.fail_type("random", n, "a table");
  TableReader r(n, "failures.random", "failures.random", f.ctx());
  RandomFailures rf;
  rf.link_mtbf_s = nonneg_quantity(r, "link_mtbf", Dimension::duration, rf.link_mtbf_s);
  rf.link_mttr_s = nonneg_quantity(r, "link_mttr", Dimension::duration, rf.link_mttr_s);
  rf.center_mtbf_s = nonneg_quantity(r, "center_mtbf", Dimension::duration, rf.center_mtbf_s);
  rf.center_mttr_s = nonneg_quantity(r, "center_mttr", Dimension::duration, rf.center_mttr_s);
  if (rf.link_mtbf_s > 0 && !(rf.link_mttr_s > 0)) r.fail("link_mttr", "must be > 0 when link_mtbf is set");
  if (rf.center_mtbf_s > 0 && !(rf.center_mttr_s > 0)) r.fail("center_mttr", "must be > 0 when center_mtbf is set");
  std::size_t centers = 0;
  for (const topo::City& c : lc.topology->cities) centers += c.has_center() ? 1 : 0;
  check_failure_count(r, "link_mtbf", rf.link_mtbf_s, lc.topology->links.size(), lc.horizon_s);
  check_failure_count(r, "center_mtbf", rf.center_mtbf_s, centers, lc.horizon_s);
  r.finish();
  return rf;
}

}  // namespace

FailureSpec read_failures(TableReader& root, const LoadContext& lc) {
  FailureSpec spec;
  const Node* n = root.get("failures");
  if (!n) {
    root.record("failures.max_restarts", std::to_string(spec.max_restarts));
    return spec;
  }
  if (n->type != Node::Type::table) root.fail_type("failures", *n, "a table");
  TableReader f(*n, "failures", "failures", root.ctx());
  each_entry(f, lc, "links", [&](TableReader& e) { spec.links.push_back(read_link_failure(e, lc)); });
  each_entry(f, lc, "centers", [&](TableReader& e) { spec.centers.push_back(read_center_outage(e, lc)); });
  if (const Node* random = f.get("random")) spec.random = read_random(*random, f, lc);
  spec.max_restarts = static_cast<int>(integer_in(f, "max_restarts", 0, kMaxRestarts, spec.max_restarts));
  f.finish();
  return spec;
}

}  // namespace suanwang

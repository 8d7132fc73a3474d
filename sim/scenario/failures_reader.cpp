#include "sim/scenario/failures_reader.hpp"

#include "sim/scenario/value_readers.hpp"
#include "sim/topology/link_name.hpp"

namespace suanwang {

namespace {

using lua::Node;
using lua::TableReader;
using units::Dimension;

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

RandomFailures read_random(const Node& n, TableReader& f) {
  if (n.type != Node::Type::table) f.fail_type("random", n, "a table");
  TableReader r(n, "failures.random", "failures.random", f.ctx());
  RandomFailures rf;
  rf.link_mtbf_s = nonneg_quantity(r, "link_mtbf", Dimension::duration, rf.link_mtbf_s);
  rf.link_mttr_s = nonneg_quantity(r, "link_mttr", Dimension::duration, rf.link_mttr_s);
  rf.center_mtbf_s = nonneg_quantity(r, "center_mtbf", Dimension::duration, rf.center_mtbf_s);
  rf.center_mttr_s = nonneg_quantity(r, "center_mttr", Dimension::duration, rf.center_mttr_s);
  if (rf.link_mtbf_s > 0 && !(rf.link_mttr_s > 0)) r.fail("link_mttr", "must be > 0 when link_mtbf is set");
  if (rf.center_mtbf_s > 0 && !(rf.center_mttr_s > 0)) r.fail("center_mttr", "must be > 0 when center_mtbf is set");
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
  if (const Node* random = f.get("random")) spec.random = read_random(*random, f);
  spec.max_restarts = static_cast<int>(integer_at_least(f, "max_restarts", 0, spec.max_restarts));
  f.finish();
  return spec;
}

}  // namespace suanwang

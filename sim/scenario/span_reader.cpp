#include "sim/scenario/span_reader.hpp"

#include "sim/scenario/value_readers.hpp"

namespace suanwang {

using lua::Node;
using lua::TableReader;
using units::Dimension;

SpanSpec read_span(TableReader& r, JobKind kind) {
  SpanSpec s;
  const Node* n = r.get("span");
  if (!n) return s;
  if (n->type != Node::Type::table || !n->items.empty())
    r.fail_type("span", *n, "a table { gradient = \"140GB\", iteration = \"12.6s\", ... }");
  if (kind != JobKind::training)
    r.fail("span", std::string("only training jobs may span centers (this generator's kind is ") +
                       to_string(kind) + ")");
  TableReader t(*n, r.key_path("span"), r.dotted_key("span"), r.ctx());
  if (!t.has("gradient")) t.fail("gradient", "missing: the bytes all-reduced per iteration (\"140GB\")");
  if (!t.has("iteration")) t.fail("iteration", "missing: one iteration in one center (\"12.6s\")");
  s.gradient_B = positive_quantity(t, "gradient", Dimension::bytes, 0);
  s.iteration_s = positive_quantity(t, "iteration", Dimension::duration, 0);
  s.overlap = t.quantity("overlap", Dimension::fraction, s.overlap);
  if (!(s.overlap >= 0 && s.overlap <= 1))
    t.fail("overlap", "must be between 0 and 1 (a fraction of the compute, \"30%\")");
  parse_allreduce(t.choice("allreduce", {"hierarchical", "ring"}, to_string(s.allreduce)), &s.allreduce);
  t.finish();
  return s;
}

void read_span_settings(TableReader& r, Scenario& sc) {
  sc.span_round_s = positive_quantity(r, "span_round", Dimension::duration, sc.span_round_s);
  sc.span_hold_s = positive_quantity(r, "span_hold", Dimension::duration, sc.span_hold_s);
}

}  // namespace suanwang

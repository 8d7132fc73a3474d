#include "sim/scenario/carbon_reader.hpp"


namespace suanwang {

void read_carbon(lua::TableReader& root, topo::Topology& topology) {
  topo::CarbonChoice choice;
  if (const lua::Node* n = root.get("carbon")) {
    if (n->type != lua::Node::Type::table) root.fail_type("carbon", *n, "a table { series = ..., year = ... }");
    lua::TableReader r(*n, root.key_path("carbon"), root.dotted_key("carbon"), root.ctx());
    choice.series = r.string("series", choice.series);
    if (r.has("year")) {
      const long long year = r.integer("year", 0);
      if (year < 1900 || year > 2200) r.fail("year", "expected a year such as 2023");
      choice.year = static_cast<int>(year);
    }
    choice.green_power = r.boolean("green_power", choice.green_power);
    choice.hourly = r.boolean("hourly", choice.hourly);
    if (const std::string e = topo::check_carbon_choice(topology.carbon, choice); !e.empty())
      r.fail(e.rfind("year", 0) == 0 ? "year" : "series", e);
    r.finish();
  }
  topo::apply_carbon(topology, choice);
  const topo::CarbonChoice& c = topology.carbon_choice;
  root.record("carbon.series", c.series);
  root.record("carbon.year", std::to_string(c.year));
  root.record("carbon.green_power", c.green_power ? "true" : "false");
  root.record("carbon.hourly", c.hourly ? "true" : "false");
}

}  // namespace suanwang

// The loader: a sound file becomes a Topology in SI units; each kind of bad
// input is a one-line UserError naming the file, the element and what was
// expected (never a Boost exception text).
#include <gtest/gtest.h>

#include "sim/core/units.hpp"
#include "sim/core/user_error.hpp"
#include "tests/topology/topo_test_util.hpp"
#include "sim/topology/catalogs.hpp"
#include "sim/topology/graphml_reader.hpp"

namespace suanwang {
namespace {

using test::edge;
using test::graphml;
using test::node;
using test::write_temp;

std::string error_of(const std::string& xml) {
  const std::string path = write_temp(xml);
  try {
    topo::load_topology(path);
  } catch (const UserError& e) {
    const std::string msg = e.what();
    EXPECT_EQ(msg.find('\n'), std::string::npos) << "one line: " << msg;
    EXPECT_EQ(msg.rfind(path, 0), 0u) << "starts with the file: " << msg;
    return msg;
  }
  ADD_FAILURE() << "no error for " << xml;
  return "";
}

TEST(GraphmlReader, LoadsSmallFileInSiUnits) {
  // B joins the two carriers: it must be an interconnection point, or A and
  // C would have no route (CarrierChangeNeedsAnInterconnectionPoint).
  const auto path = write_temp(graphml(node("A", "<data key=\"ic\">true</data>") +
                                       node("B", "<data key=\"ic\">1</data>", "ascend-910b:4,a100:2") +
                                       node("C", "", "") + edge("A", "B", "ct", "400", "5") +
                                       edge("B", "C", "cm", "100", "2.5")));
  const topo::Topology t = topo::load_topology(path);
  ASSERT_EQ(t.cities.size(), 3u);
  EXPECT_EQ(t.cities[0].name, "A");
  EXPECT_TRUE(t.cities[0].interconnect);
  EXPECT_TRUE(t.cities[1].interconnect);
  EXPECT_FALSE(t.cities[2].interconnect);
  EXPECT_DOUBLE_EQ(t.cities[0].price_cny_per_J, 0.5 / units::kJoulePerKWh);
  ASSERT_EQ(t.cities[1].pools.size(), 2u);
  EXPECT_EQ(t.cities[1].pools[0].chip, "ascend-910b");
  EXPECT_EQ(t.cities[1].pools[0].count, 4);
  EXPECT_FALSE(t.cities[2].has_center());
  ASSERT_EQ(t.links.size(), 2u);
  EXPECT_DOUBLE_EQ(t.links[0].bandwidth_Bps, 400e9 / 8);
  EXPECT_DOUBLE_EQ(t.links[0].latency_s, 5e-3);
  EXPECT_EQ(t.links[1].name(), "B-C/cm");
  EXPECT_EQ(t.carriers, (std::vector<std::string>{"cm", "ct"}));
  EXPECT_EQ(t.links[0].carrier_index, 1);
}

TEST(GraphmlReader, CarrierChangeNeedsAnInterconnectionPoint) {
  const auto path = write_temp(graphml(node("A") + node("B") + node("C") + edge("A", "B", "ct", "400", "5") +
                                       edge("B", "C", "cm", "100", "2.5")));
  try {
    topo::load_topology(path);
    FAIL();
  } catch (const UserError& e) {
    EXPECT_NE(std::string(e.what()).find("cities A and C: no route between them"), std::string::npos) << e.what();
  }
}

TEST(GraphmlReader, DuplicateNodeIdIsAnError) {
  const auto path = write_temp(graphml(node("A") + node("B") + node("A") + edge("A", "B", "ct", "400", "5")));
  try {
    topo::load_topology(path);
    FAIL();
  } catch (const UserError& e) {
    EXPECT_NE(std::string(e.what()).find("duplicate node id \"A\""), std::string::npos) << e.what();
  }
}

TEST(GraphmlReader, LengthGivesLatencyWithInflation) {
  const auto path = write_temp(graphml(
      node("A") + node("B") +
      "<edge source=\"A\" target=\"B\"><data key=\"carrier\">ct</data><data key=\"bw\">100</data>"
      "<data key=\"km\">1000</data></edge>\n"));
  const topo::Topology t = topo::load_topology(path);
  EXPECT_DOUBLE_EQ(t.links[0].length_m, 1e6);
  EXPECT_NEAR(t.links[0].latency_s, 1e6 * 5e-9 * topo::kRouteInflation, 1e-12);
}

TEST(GraphmlReader, MissingFile) {
  try {
    topo::load_topology("/nonexistent/x.graphml");
    FAIL();
  } catch (const UserError& e) {
    EXPECT_NE(std::string(e.what()).find("/nonexistent/x.graphml: cannot open"), std::string::npos);
  }
}

TEST(GraphmlReader, MalformedXmlNamesLine) {
  const std::string msg = error_of(graphml(node("A") + "<node id=\"B\"><data key=\"name\">B</data>\n"));
  EXPECT_NE(msg.find("not valid GraphML"), std::string::npos) << msg;
}

TEST(GraphmlReader, MissingAttributeNamesCity) {
  std::string n = node("A");
  n.replace(n.find("<data key=\"pue\">"), std::string("<data key=\"pue\">1.2</data>").size(), "");
  const std::string msg = error_of(graphml(n + node("B") + edge("A", "B", "ct")));
  EXPECT_NE(msg.find("city A: missing attribute 'pue'"), std::string::npos) << msg;
}

TEST(GraphmlReader, MistypedAttributeNamesCityAndValue) {
  const std::string msg = error_of(graphml(node("A", "", "a100:8", "high") + node("B") + edge("A", "B", "ct")));
  EXPECT_NE(msg.find("city A: attribute 'pue': expected a PUE >= 1, got \"high\""), std::string::npos) << msg;
}

TEST(GraphmlReader, UnknownChip) {
  const std::string msg = error_of(graphml(node("A", "", "b9000:8") + node("B") + edge("A", "B", "ct")));
  EXPECT_NE(msg.find("city A: attribute 'pools': unknown chip 'b9000'"), std::string::npos) << msg;
}

TEST(GraphmlReader, UnknownGrid) {
  const std::string msg = error_of(graphml(node("A", "", "a100:8", "1.2", "mars") + node("B") + edge("A", "B", "ct")));
  EXPECT_NE(msg.find("city A: unknown grid 'mars'"), std::string::npos) << msg;
}

TEST(GraphmlReader, NonPositiveCapacity) {
  EXPECT_NE(error_of(graphml(node("A", "", "a100:0") + node("B") + edge("A", "B", "ct"))).find("city A: attribute 'pools': pool a100: count \"0\" is not a whole number of chips > 0"),
            std::string::npos);
  EXPECT_NE(error_of(graphml(node("A", "", "a100:-4") + node("B") + edge("A", "B", "ct"))).find("city A"),
            std::string::npos);
  EXPECT_NE(error_of(graphml(node("A") + node("B") + edge("A", "B", "ct", "0"))).find("edge A-B/ct: bandwidth_gbps 0"),
            std::string::npos);
  EXPECT_NE(error_of(graphml(node("A") + node("B") + edge("A", "B", "ct", "-10"))).find("edge A-B/ct"),
            std::string::npos);
}

TEST(GraphmlReader, PueBelowOne) {
  const std::string msg = error_of(graphml(node("A", "", "a100:8", "0.9") + node("B") + edge("A", "B", "ct")));
  EXPECT_NE(msg.find("city A: pue 0.9 is below 1"), std::string::npos) << msg;
}

TEST(GraphmlReader, DuplicateCity) {
  std::string b = node("B");
  b.replace(b.find("<data key=\"name\">B"), 18, "<data key=\"name\">A");
  const std::string msg = error_of(graphml(node("A") + b + edge("A", "B", "ct")));
  EXPECT_NE(msg.find("city A: duplicate city name"), std::string::npos) << msg;
}

TEST(GraphmlReader, SelfLoop) {
  const std::string msg = error_of(graphml(node("A") + node("B") + edge("A", "B", "ct") + edge("A", "A", "cm")));
  EXPECT_NE(msg.find("edge A-A/cm: self-loop"), std::string::npos) << msg;
}

TEST(GraphmlReader, DuplicateEdgeSameCarrier) {
  const std::string msg = error_of(graphml(node("A") + node("B") + edge("A", "B", "ct") + edge("B", "A", "ct")));
  EXPECT_NE(msg.find("duplicate edge"), std::string::npos) << msg;
}

TEST(GraphmlReader, Disconnected) {
  const std::string msg = error_of(graphml(node("A") + node("B") + node("C") + edge("A", "B", "ct")));
  EXPECT_NE(msg.find("city C: not connected to A"), std::string::npos) << msg;
}

TEST(GraphmlReader, MissingCarrierAndLatency) {
  std::string e = edge("A", "B", "ct");
  e.replace(e.find("<data key=\"lat_ms\">5</data>"), 27, "");
  EXPECT_NE(error_of(graphml(node("A") + node("B") + e)).find("missing attribute 'latency_ms' or 'length_km'"),
            std::string::npos);
}

TEST(GraphmlReader, UndeclaredAttributeKey) {
  std::string xml = graphml(node("A") + node("B") + edge("A", "B", "ct"));
  xml.erase(xml.find("<key id=\"grid\""), xml.find("\n", xml.find("<key id=\"grid\"")) - xml.find("<key id=\"grid\"") + 1);
  const std::string msg = error_of(xml);
  EXPECT_NE(msg.find("line 17: <data key=\"grid\"> uses an undeclared key"), std::string::npos) << msg;
  // Declared nowhere and used nowhere: the loader says which declaration is missing.
  std::string no_grid = graphml(node("A") + node("B") + edge("A", "B", "ct"));
  no_grid.erase(no_grid.find("<key id=\"grid\""), no_grid.find("\n", no_grid.find("<key id=\"grid\"")) -
                                                      no_grid.find("<key id=\"grid\"") + 1);
  const std::string grid_data = "<data key=\"grid\">north</data>";
  for (std::size_t p; (p = no_grid.find(grid_data)) != std::string::npos;) no_grid.erase(p, grid_data.size());
  EXPECT_NE(error_of(no_grid).find("missing attribute declaration <key for=\"node\" attr.name=\"grid\">"),
            std::string::npos);
}

TEST(Catalogs, BadAcceleratorRowNamesLineAndColumn) {
  const auto csv = write_temp(
      "chip,vendor,family,fp16_tflops,memory_gb,busy_w,idle_w,cuda\n"
      "x1,V,domestic,100,32,300,75,no\n"
      "x2,V,domestic,fast,32,300,75,no\n", ".csv");
  try {
    topo::load_accelerators(csv);
    FAIL();
  } catch (const UserError& e) {
    EXPECT_EQ(std::string(e.what()), csv + ": line 3: column 'fp16_tflops': expected a number, got \"fast\"");
  }
}

TEST(Catalogs, IdleAboveBusyRejected) {
  const auto csv = write_temp(
      "chip,vendor,family,fp16_tflops,memory_gb,busy_w,idle_w,cuda\nx1,V,imported,100,32,300,400,1\n", ".csv");
  EXPECT_THROW(topo::load_accelerators(csv), UserError);
}

TEST(Catalogs, CsvQuotesProtectCommas) {
  EXPECT_EQ(topo::split_csv_line("a,\"b, c\",d"), (std::vector<std::string>{"a", "b, c", "d"}));
}

}  // namespace
}  // namespace suanwang

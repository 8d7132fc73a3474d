// Link names: one reading per name, either direction, whole carriers; ids that
// would make a name ambiguous are refused at load with a hint.
#include <gtest/gtest.h>

#include "sim/core/user_error.hpp"
#include "sim/topology/graphml_reader.hpp"
#include "sim/topology/link_name.hpp"
#include "tests/topology/topo_test_util.hpp"

namespace suanwang {
namespace {

topo::Topology three_cities() {
  using namespace test;
  return topo::load_topology(write_temp(graphml(node("Beijing") + node("Xi'an") + node("Xi_an") +
                                                edge("Beijing", "Xi'an", "ct") + edge("Beijing", "Xi_an", "ct") +
                                                edge("Beijing", "Xi_an", "cm"))));
}

std::string error_of(const topo::Topology& t, const std::string& name) {
  try {
    topo::resolve_link_name(t, name, "s.lua", "key 'failures.links[1].link'");
  } catch (const UserError& e) {
    return e.what();
  }
  ADD_FAILURE() << "no error for " << name;
  return "";
}

TEST(LinkName, EitherDirectionAndWholeCarriers) {
  const topo::Topology t = three_cities();
  EXPECT_EQ(topo::resolve_link_name(t, "Beijing-Xi_an/ct", "", ""), std::vector<int>{1});
  EXPECT_EQ(topo::resolve_link_name(t, "Xi_an-Beijing/ct", "", ""), std::vector<int>{1});
  EXPECT_EQ(topo::resolve_link_name(t, "Xi'an-Beijing/ct", "", ""), std::vector<int>{0});
  EXPECT_EQ(topo::resolve_link_name(t, "carrier:ct", "", ""), (std::vector<int>{0, 1}));
  EXPECT_EQ(topo::resolve_link_name(t, "carrier:cm", "", ""), std::vector<int>{2});
  EXPECT_EQ(t.links[2].name(), "Beijing-Xi_an/cm");
}

TEST(LinkName, ErrorsNameTheProblemAndSuggest) {
  const topo::Topology t = three_cities();
  EXPECT_EQ(error_of(t, "carrier:ctt"),
            "s.lua: key 'failures.links[1].link': unknown carrier 'ctt' (did you mean 'ct'?); carriers: cm, ct");
  EXPECT_EQ(error_of(t, "Bejing-Xi_an/ct"),
            "s.lua: key 'failures.links[1].link': no such link 'Bejing-Xi_an/ct': unknown city 'Bejing' "
            "(did you mean 'Beijing'?)");
  EXPECT_EQ(error_of(t, "Xi'an-Beijing/cm"), "s.lua: key 'failures.links[1].link': no such link "
                                            "'Xi'an-Beijing/cm': the links joining them are Beijing-Xi'an/ct");
  EXPECT_NE(error_of(t, "Beijing-Xi_an/ct2").find("the links joining them are Beijing-Xi_an/ct, Beijing-Xi_an/cm"),
            std::string::npos);
  EXPECT_NE(error_of(t, "Beijing-Xi_an/c").find("no such link 'Beijing-Xi_an/c' (did you mean 'Beijing-Xi_an/ct'?)"),
            std::string::npos);
  // A dash inside a name cannot be read: the name is refused, not misread.
  EXPECT_NE(error_of(t, "Xi-an-Beijing/ct").find("no such link 'Xi-an-Beijing/ct'"), std::string::npos);
  EXPECT_NE(error_of(t, "Beijing/ct").find("expected \"CityA-CityB/carrier\" or \"carrier:ID\""),
            std::string::npos);
}

TEST(LinkName, IdsThatWouldBeAmbiguousAreRefusedAtLoad) {
  using namespace test;
  try {
    topo::load_topology(write_temp(graphml(node("Beijing") + node("Xi-an") + edge("Beijing", "Xi-an", "ct"))));
    FAIL();
  } catch (const UserError& e) {
    const std::string msg = e.what();
    EXPECT_NE(msg.find("city Xi-an: attribute 'name': 'Xi-an' is not an id"), std::string::npos) << msg;
    EXPECT_NE(msg.find("(write 'Xi_an')"), std::string::npos) << msg;
  }
  try {
    topo::load_topology(write_temp(graphml(node("A") + node("B") + edge("A", "B", "c-t"))));
    FAIL();
  } catch (const UserError& e) {
    EXPECT_NE(std::string(e.what()).find("edge A-B/c-t: attribute 'carrier': 'c-t' is not an id"), std::string::npos)
        << e.what();
  }
}

}  // namespace
}  // namespace suanwang

// Carbon factors as published (the shipped MEE/NBS catalog), the choice of
// series and year, green power and hourly profiles (sim/topology/carbon.hpp).
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "sim/core/user_error.hpp"
#include "sim/topology/carbon.hpp"
#include "sim/topology/catalogs.hpp"
#include "sim/topology/graphml_reader.hpp"
#include "sim/topology/topology.hpp"

namespace suanwang {
namespace {

constexpr double kJPerKWh = 3.6e6;

topo::Topology national() { return topo::load_topology(SUANWANG_SOURCE_DIR "/topology/china.graphml"); }

const topo::City& city(const topo::Topology& t, const char* name) {
  return t.cities.at(static_cast<std::size_t>(t.city_index(name)));
}

double kwh(double kg_per_J) { return kg_per_J * kJPerKWh; }

TEST(Carbon, CatalogHoldsTheMeeSeries) {
  const topo::Topology t = national();
  EXPECT_EQ(t.carbon.years("province"), (std::vector<int>{2021, 2022, 2023}));
  EXPECT_EQ(t.carbon.years("region"), (std::vector<int>{2021, 2022, 2023}));
  EXPECT_EQ(t.carbon.areas("province").size(), 30u) << "MEE publishes 30 provinces (no Tibet)";
  EXPECT_NEAR(kwh(t.carbon.find("national", "China", 2023)->kg_per_J), 0.5306, 1e-12);
  EXPECT_NEAR(kwh(t.carbon.find("region", "southwest", 2023)->kg_per_J), 0.2472, 1e-12);
  EXPECT_NEAR(kwh(t.carbon.find("province", "Sichuan", 2023)->kg_per_J), 0.1564, 1e-12);
  std::vector<std::string> regions;
  for (const auto& g : t.grids) regions.push_back(g.id);
  EXPECT_EQ(regions, (std::vector<std::string>{"north", "northeast", "east", "central", "northwest", "south",
                                               "southwest"}));
}

TEST(Carbon, DefaultIsTheProvinceSeriesOfTheLatestYear) {
  const topo::Topology t = national();
  EXPECT_EQ(t.carbon_choice.series, "province");
  EXPECT_EQ(t.carbon_choice.year, 2023);
  EXPECT_NEAR(kwh(city(t, "Beijing").grid_carbon_kg_per_J), 0.5554, 1e-12);
  EXPECT_EQ(city(t, "Beijing").carbon_area, "Beijing");
  EXPECT_NEAR(kwh(city(t, "Hohhot").grid_carbon_kg_per_J), 0.6479, 1e-12);
  EXPECT_NEAR(kwh(city(t, "Zhongwei").grid_carbon_kg_per_J), 0.6187, 1e-12);
  EXPECT_NEAR(kwh(city(t, "Chengdu").grid_carbon_kg_per_J), 0.1564, 1e-12);
  EXPECT_NEAR(kwh(city(t, "Chongqing").grid_carbon_kg_per_J), 0.5581, 1e-12);
  // Sichuan and Chongqing are in the southwest region, the region series says so.
  EXPECT_EQ(city(t, "Chengdu").grid, "southwest");
  EXPECT_EQ(city(t, "Chongqing").grid, "southwest");
}

TEST(Carbon, ProvincialFactorsMakeBeijingToInnerMongoliaOrNingxiaDirtier) {
  // The grid factor alone (location-based): moving work out of Beijing to the
  // coal-heavy western hubs raises carbon per kWh by ~17% and ~11%.
  const topo::Topology t = national();
  const double bj = city(t, "Beijing").grid_carbon_kg_per_J;
  EXPECT_NEAR(city(t, "Hohhot").grid_carbon_kg_per_J / bj, 1.1665, 1e-3);
  EXPECT_NEAR(city(t, "Zhongwei").grid_carbon_kg_per_J / bj, 1.1140, 1e-3);
}

TEST(Carbon, SeriesAndYearAreSelectable) {
  topo::Topology t = national();
  topo::apply_carbon(t, {"region", 2021, true, false});
  EXPECT_NEAR(kwh(city(t, "Beijing").grid_carbon_kg_per_J), 0.7120, 1e-12);
  EXPECT_EQ(city(t, "Beijing").carbon_area, "north");
  EXPECT_NEAR(kwh(city(t, "Chengdu").grid_carbon_kg_per_J), 0.2113, 1e-12);
  topo::apply_carbon(t, {"national", 0, true, false});
  EXPECT_EQ(t.carbon_choice.year, 2023);
  for (const auto& c : t.cities) EXPECT_NEAR(kwh(c.grid_carbon_kg_per_J), 0.5306, 1e-12) << c.name;
  topo::apply_carbon(t, {"province", 2022, true, false});
  EXPECT_NEAR(kwh(city(t, "Beijing").grid_carbon_kg_per_J), 0.5580, 1e-12);
}

TEST(Carbon, BadChoicesSayWhatIsPublished) {
  const topo::Topology t = national();
  EXPECT_NE(topo::check_carbon_choice(t.carbon, {"provnce", 0, true, false}).find("did you mean 'province'"),
            std::string::npos);
  const std::string e = topo::check_carbon_choice(t.carbon, {"province", 2024, true, false});
  EXPECT_NE(e.find("2021, 2022, 2023"), std::string::npos) << e;
  EXPECT_EQ(topo::check_carbon_choice(t.carbon, {"region", 2022, false, true}), "");
}

TEST(Carbon, GreenPowerScalesTheGridFactor) {
  topo::Topology t = national();
  const topo::City& hohhot = city(t, "Hohhot");
  EXPECT_NEAR(hohhot.green_share, 0.8457, 1e-12);
  EXPECT_NEAR(kwh(topo::carbon_kg_per_J(t, hohhot, 0)), 0.6479 * (1 - 0.8457), 1e-12);
  topo::apply_carbon(t, {"province", 2023, false, false});
  EXPECT_NEAR(kwh(topo::carbon_kg_per_J(t, city(t, "Hohhot"), 0)), 0.6479, 1e-12);
}

TEST(Carbon, HourlyProfilesFollowTheProvinceAndAverageToTheAnnualFactor) {
  topo::Topology t = national();
  const topo::City& zw = city(t, "Zhongwei");
  EXPECT_DOUBLE_EQ(topo::carbon_kg_per_J(t, zw, 13 * 3600.0), topo::carbon_kg_per_J(t, zw, 2 * 3600.0))
      << "no profile unless chosen";
  EXPECT_FALSE(topo::carbon_varies(t));
  topo::apply_carbon(t, {"province", 2023, true, true});
  EXPECT_TRUE(topo::carbon_varies(t));
  const topo::City& z = city(t, "Zhongwei");
  ASSERT_GE(z.carbon_profile, 0);
  EXPECT_EQ(t.carbon.profiles[static_cast<std::size_t>(z.carbon_profile)].id, "northwest_solar");
  const double mean = z.grid_carbon_kg_per_J * (1 - z.green_share);
  EXPECT_NEAR(topo::carbon_kg_per_J(t, z, 13 * 3600.0 + 5) / mean, 0.545, 1e-12);
  EXPECT_NEAR(topo::carbon_kg_per_J(t, z, 24 * 3600.0 + 20 * 3600.0) / mean, 1.279, 1e-12);
  // Over a whole day the integral is the annual factor's (multipliers average 1 to 1e-4).
  EXPECT_NEAR(topo::carbon_integral(t, z, 0, 86400) / (mean * 86400), 1.0, 2e-4);
  // A city in no listed area has no profile: flat.
  EXPECT_LT(city(t, "Guangzhou").carbon_profile, 0);
  EXPECT_NEAR(topo::carbon_integral(t, city(t, "Guangzhou"), 100, 7300),
              city(t, "Guangzhou").grid_carbon_kg_per_J * (1 - city(t, "Guangzhou").green_share) * 7200, 1e-15);
}

TEST(Carbon, HourlyIntegralIsExactAcrossHourBoundaries) {
  double p[24];
  for (int h = 0; h < 24; ++h) p[h] = h;
  EXPECT_DOUBLE_EQ(topo::hourly_integral(p, 3600 * 1.5, 3600 * 3.25), 1800 * 1 + 3600 * 2 + 900 * 3);
  EXPECT_DOUBLE_EQ(topo::hourly_integral(nullptr, 10, 70), 60);
  EXPECT_DOUBLE_EQ(topo::hourly_integral(p, 86400 + 3600 * 23, 86400 + 3600 * 24 + 60), 3600 * 23 + 60 * 0);
  EXPECT_EQ(topo::hour_of_day(-1), 23);
}

TEST(Carbon, AProvinceTypoIsAnErrorAndAnUnlistedProvinceUsesItsRegion) {
  topo::Topology t = national();
  t.cities[0].province = "Bejing";
  try {
    topo::apply_carbon(t, {});
    FAIL() << "expected an error";
  } catch (const UserError& e) {
    EXPECT_NE(std::string(e.what()).find("did you mean 'Beijing'"), std::string::npos) << e.what();
  }
  t.cities[0].province = "Tibet";  // MEE publishes no factor for Tibet
  topo::apply_carbon(t, {});
  EXPECT_EQ(t.cities[0].carbon_area, t.cities[0].grid);
}

TEST(Carbon, CatalogErrorsNameTheFileAndLine) {
  const auto dir = std::filesystem::temp_directory_path() / "suanwang_carbon_test";
  std::filesystem::create_directories(dir);
  const std::string f = (dir / "f.csv").string(), h = (dir / "h.csv").string();
  std::ofstream(f) << "series,area,year,kg_co2_per_kwh,source\nprovince,Beijing,2023,0.5554,k\n";
  EXPECT_THROW(topo::load_carbon_catalog(f, "", ""), UserError) << "no region series";
  std::ofstream(f) << "series,area,year,kg_co2_per_kwh,source\nregion,north,2023,0.6361,k\nregion,north,2023,0.6,k\n";
  EXPECT_THROW(topo::load_carbon_catalog(f, "", ""), UserError) << "duplicate";
  std::ofstream(f) << "series,area,year,kg_co2_per_kwh,source\nregion,north,2023,0.6361,k\n";
  std::ofstream out(h);
  out << "profile,hour,multiplier,source\n";
  for (int hr = 0; hr < 24; ++hr) out << "p," << hr << ",2,estimate: x\n";
  out.close();
  try {
    topo::load_carbon_catalog(f, h, "");
    FAIL() << "a profile averaging 2 is an error";
  } catch (const UserError& e) {
    EXPECT_NE(std::string(e.what()).find("expected 1"), std::string::npos) << e.what();
  }
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace suanwang

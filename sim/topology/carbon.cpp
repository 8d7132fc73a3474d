#include "sim/topology/carbon.hpp"

#include <algorithm>
#include <cmath>
#include <set>

#include "sim/core/text.hpp"
#include "sim/core/units.hpp"
#include "sim/core/user_error.hpp"
#include "sim/topology/topology.hpp"

namespace suanwang::topo {

const CarbonFactor* CarbonCatalog::find(const std::string& series, const std::string& area, int year) const {
  for (const CarbonFactor& f : factors)
    if (f.year == year && f.series == series && f.area == area) return &f;
  return nullptr;
}

std::vector<std::string> CarbonCatalog::series() const {
  std::vector<std::string> out;
  for (const CarbonFactor& f : factors)
    if (std::find(out.begin(), out.end(), f.series) == out.end()) out.push_back(f.series);
  return out;
}

std::vector<int> CarbonCatalog::years(const std::string& s) const {
  std::set<int> ys;
  for (const CarbonFactor& f : factors)
    if (f.series == s) ys.insert(f.year);
  return {ys.begin(), ys.end()};
}

std::vector<std::string> CarbonCatalog::areas(const std::string& s) const {
  std::vector<std::string> out;
  for (const CarbonFactor& f : factors)
    if (f.series == s && std::find(out.begin(), out.end(), f.area) == out.end()) out.push_back(f.area);
  return out;
}

int CarbonCatalog::profile_of(const std::string& area) const {
  for (const auto& [a, p] : profile_areas)
    if (a == area) return p;
  return -1;
}

std::string check_carbon_choice(const CarbonCatalog& catalog, const CarbonChoice& choice) {
  const std::vector<std::string> series = catalog.series();
  if (std::find(series.begin(), series.end(), choice.series) == series.end())
    return "series " + text::quote(choice.series) + " is not in the catalog (expected one of " +
           text::join(series) + ")" + text::did_you_mean(choice.series, series);
  if (choice.year == 0) return "";
  const std::vector<int> years = catalog.years(choice.series);
  if (std::find(years.begin(), years.end(), choice.year) != years.end()) return "";
  std::vector<std::string> ys;
  for (int y : years) ys.push_back(std::to_string(y));
  return "year " + std::to_string(choice.year) + " is not published for series " + text::quote(choice.series) +
         " (expected one of " + text::join(ys) + ")";
}

namespace {

// The factor of `city` in the chosen series and year, and the area it belongs to.
const CarbonFactor* factor_of(const Topology& t, const City& city, const CarbonChoice& c) {
  const CarbonCatalog& cat = t.carbon;
  if (c.series == "region") return cat.find("region", city.grid, c.year);
  if (c.series == "province") {
    if (const CarbonFactor* f = cat.find("province", city.province, c.year)) return f;
    if (!city.province.empty()) {
      const std::string hint = text::did_you_mean(city.province, cat.areas("province"));
      if (!hint.empty())
        throw UserError(t.source_file, "city " + city.name,
                        "province " + text::quote(city.province) + " has no published carbon factor" + hint);
    }
    return cat.find("region", city.grid, c.year);  // no provincial factor: the region's
  }
  const std::vector<std::string> areas = cat.areas(c.series);  // a national series: one area
  return areas.empty() ? nullptr : cat.find(c.series, areas.front(), c.year);
}

}  // namespace

void apply_carbon(Topology& t, const CarbonChoice& choice) {
  if (t.carbon.empty()) return;
  if (const std::string e = check_carbon_choice(t.carbon, choice); !e.empty())
    throw UserError(t.source_file, "carbon", e);
  CarbonChoice c = choice;
  if (c.year == 0) c.year = t.carbon.years(c.series).back();
  for (City& city : t.cities) {
    const CarbonFactor* f = factor_of(t, city, c);
    if (!f)
      throw UserError(t.source_file, "city " + city.name,
                      "no " + c.series + " carbon factor for " + std::to_string(c.year) + " (grid " +
                          text::quote(city.grid) + ", province " + text::quote(city.province) + ")");
    city.grid_carbon_kg_per_J = f->kg_per_J;
    city.carbon_area = f->area;
    city.carbon_profile = t.carbon.profile_of(city.province);
    if (city.carbon_profile < 0) city.carbon_profile = t.carbon.profile_of(city.grid);
  }
  for (GridRegion& g : t.grids)
    if (const CarbonFactor* f = t.carbon.find("region", g.id, c.year)) g.carbon_kg_per_J = f->kg_per_J;
  t.carbon_choice = c;
}

int hour_of_day(double t_s) {
  const auto hour = static_cast<long long>(std::floor(t_s / units::kSecondsPerHour));
  return static_cast<int>(((hour % 24) + 24) % 24);
}

double hourly_integral(const double* hourly, double t0, double t1) {
  if (t1 <= t0) return 0.0;
  if (!hourly) return t1 - t0;
  double sum = 0, t = t0;
  while (t < t1) {
    const double hour_end = (std::floor(t / units::kSecondsPerHour) + 1.0) * units::kSecondsPerHour;
    const double e = std::min(hour_end, t1);
    sum += (e - t) * hourly[hour_of_day(t)];
    t = e;
  }
  return sum;
}

namespace {

// The profile that applies to `city`, or nullptr (flat).
const double* profile_of(const Topology& t, const City& city) {
  if (!t.carbon_choice.hourly || city.carbon_profile < 0 ||
      city.carbon_profile >= static_cast<int>(t.carbon.profiles.size()))
    return nullptr;
  return t.carbon.profiles[static_cast<std::size_t>(city.carbon_profile)].multiplier.data();
}

double green_factor(const Topology& t, const City& city) {
  return t.carbon_choice.green_power ? 1.0 - city.green_share : 1.0;
}

}  // namespace

double carbon_kg_per_J(const Topology& t, const City& city, double t_s) {
  const double* p = profile_of(t, city);
  return city.grid_carbon_kg_per_J * green_factor(t, city) * (p ? p[hour_of_day(t_s)] : 1.0);
}

double carbon_integral(const Topology& t, const City& city, double t0, double t1) {
  return city.grid_carbon_kg_per_J * green_factor(t, city) * hourly_integral(profile_of(t, city), t0, t1);
}

bool carbon_varies(const Topology& t) {
  for (const City& c : t.cities)
    if (profile_of(t, c)) return true;
  return false;
}

}  // namespace suanwang::topo

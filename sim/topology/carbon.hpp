// Carbon: the CO2 a center's electricity carries, as published now and as it
// varies.
//
// The factors are the Ministry of Ecology and Environment / National Bureau of
// Statistics "electricity CO2 emission factors" (topology/carbon_factors.csv):
// series `province` (a city gets its province's factor), `region` (its MEE grid
// region, the city's `grid`), `national` and the other national series, each
// by year. A run picks one series and year (CarbonChoice, the scenario's
// `carbon` table; default: province, the latest year). On top of the grid's
// factor a center may buy green power: with `green_power` its factor is
// (1 - green_share) x grid factor. With `hourly`, the factor follows the
// 24-hour shape of its province's (else its region's) profile
// (topology/carbon_hourly*.csv; mean 1 over the day, so a day's mean is the
// published annual factor).
//
// apply_carbon() resolves the choice into each City's fields once; the
// engine, the policy view and the meter then ask carbon_kg_per_J() /
// carbon_integral(), the one place that applies green share and hour.
// Units: kg CO2 per joule inside (the catalog is in kg/kWh), seconds.
#pragma once

#include <array>
#include <string>
#include <vector>

namespace suanwang::topo {

struct Topology;
struct City;

struct CarbonFactor {
  std::string series;       // "province" | "region" | "national" | ...
  std::string area;         // a province, a region id, or "China"
  int year = 0;
  double kg_per_J = 0;
  std::string source;       // key of topology/data/SOURCES.md
};

struct CarbonProfile {
  std::string id;                       // "northwest_solar"
  std::array<double, 24> multiplier{};  // hour of day (China Standard Time), mean 1
  int estimated_hours = 0;              // multipliers whose source is an estimate
};

struct CarbonCatalog {
  std::vector<CarbonFactor> factors;
  std::vector<CarbonProfile> profiles;
  // area (a province, else a region) -> index into profiles
  std::vector<std::pair<std::string, int>> profile_areas;

  const CarbonFactor* find(const std::string& series, const std::string& area, int year) const;
  std::vector<std::string> series() const;           // in file order, unique
  std::vector<int> years(const std::string& series) const;  // ascending
  std::vector<std::string> areas(const std::string& series) const;
  int profile_of(const std::string& area) const;     // -1 when none
  bool empty() const { return factors.empty(); }
};

struct CarbonChoice {
  std::string series = "province";
  int year = 0;              // 0: the latest year of the series
  bool green_power = true;   // apply each center's green_share
  bool hourly = false;       // apply the hourly profiles
};

// "" when `choice` names a series and year of the catalog, else what is wrong
// ("series 'provnce' unknown (did you mean 'province'?)", "year 2024 not
// published for series 'province' (2021, 2022, 2023)").
std::string check_carbon_choice(const CarbonCatalog& catalog, const CarbonChoice& choice);

// Sets t.carbon_choice (year resolved) and every city's carbon fields: its
// grid factor in the chosen series and year, the area that factor belongs to,
// and its hourly profile. In the province series a city whose province has no
// published factor (an empty or unlisted province) gets its region's factor
// (carbon_area says so); a province that is a plausible typo of a listed one
// is an error. Throws UserError (file: the topology's, element: the city).
// A topology with an empty catalog (built in code) is left as it is.
void apply_carbon(Topology& t, const CarbonChoice& choice);

// kg CO2 per joule of facility energy drawn by `city` at time t_s: its grid
// factor x (1 - green_share) when green power is chosen x its hourly
// multiplier when hourly is chosen.
double carbon_kg_per_J(const Topology& t, const City& city, double t_s);

// The integral of carbon_kg_per_J over [t0, t1] (kg/J x s), exact for the
// hourly steps.
double carbon_integral(const Topology& t, const City& city, double t0, double t1);

// True when some city's factor changes with the hour (hourly chosen and a
// profile applies): the meter then samples at least hourly.
bool carbon_varies(const Topology& t);

// The integral over [t0, t1] of a 24-hour step function (`hourly` empty: 1),
// in seconds; hour 0 starts at t = 0. Shared by time-of-use prices and carbon.
double hourly_integral(const double* hourly, double t0, double t1);
// The hour of day (0..23) of time t_s.
int hour_of_day(double t_s);

}  // namespace suanwang::topo

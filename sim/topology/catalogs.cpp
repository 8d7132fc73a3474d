#include "sim/topology/catalogs.hpp"

#include <array>
#include <charconv>
#include <cmath>
#include <fstream>
#include <map>
#include <set>
#include <utility>

#include "sim/core/units.hpp"
#include "sim/core/user_error.hpp"

namespace suanwang::topo {

std::vector<std::string> split_csv_line(const std::string& line) {
  std::vector<std::string> fields;
  std::string cur;
  bool quoted = false;
  for (std::size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (quoted) {
      if (c == '"' && i + 1 < line.size() && line[i + 1] == '"') {
        cur += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        cur += c;
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      fields.push_back(cur);
      cur.clear();
    } else if (c != '\r') {
      cur += c;
    }
  }
  fields.push_back(cur);
  for (auto& f : fields) {
    const auto b = f.find_first_not_of(" \t");
    const auto e = f.find_last_not_of(" \t");
    f = b == std::string::npos ? std::string() : f.substr(b, e - b + 1);
  }
  return fields;
}

namespace {

// One CSV table read whole (catalogs are tens of rows), with column lookup by
// name so that error messages can say which column of which line is wrong.
class CsvTable {
 public:
  CsvTable(const std::string& path, const std::vector<std::string>& required) : path_(path) {
    std::ifstream in(path);
    if (!in) throw UserError(path, "", "cannot open catalog file");
    std::string line;
    int line_no = 0;
    while (std::getline(in, line)) {
      ++line_no;
      if (line.empty() || line[0] == '#') continue;
      auto fields = split_csv_line(line);
      if (header_.empty()) {
        header_ = fields;
        for (std::size_t i = 0; i < header_.size(); ++i) column_[header_[i]] = i;
        for (const auto& r : required)
          if (!column_.count(r))
            throw UserError(path, "line " + std::to_string(line_no),
                            "missing column '" + r + "' in the header");
        continue;
      }
      rows_.push_back({line_no, std::move(fields)});
    }
    if (header_.empty()) throw UserError(path, "", "empty catalog (expected a header row)");
  }

  std::size_t size() const { return rows_.size(); }
  std::string where(std::size_t row) const { return "line " + std::to_string(rows_[row].line); }

  const std::string& text(std::size_t row, const std::string& col) const {
    static const std::string kEmpty;
    const auto& f = rows_[row].fields;
    const std::size_t i = column_.at(col);
    return i < f.size() ? f[i] : kEmpty;
  }

  double number(std::size_t row, const std::string& col) const {
    const std::string& t = text(row, col);
    double v = 0;
    const auto [p, ec] = std::from_chars(t.data(), t.data() + t.size(), v);
    if (t.empty() || ec != std::errc() || p != t.data() + t.size() || !std::isfinite(v))
      throw UserError(path_, where(row),
                      "column '" + col + "': expected a number, got \"" + t + "\"");
    return v;
  }

  const std::string& path() const { return path_; }
  bool has(const std::string& col) const { return column_.count(col) > 0; }
  // An optional numeric column: 0 when the column or the cell is empty.
  double number_or_zero(std::size_t row, const std::string& col) const {
    if (!has(col) || text(row, col).empty()) return 0;
    const double v = number(row, col);
    if (v < 0) throw UserError(path_, where(row), "column '" + col + "': must be >= 0");
    return v;
  }

 private:
  struct Row {
    int line;
    std::vector<std::string> fields;
  };
  std::string path_;
  std::vector<std::string> header_;
  std::map<std::string, std::size_t> column_;
  std::vector<Row> rows_;
};

bool parse_bool(const CsvTable& t, std::size_t row, const std::string& col) {
  const std::string& v = t.text(row, col);
  if (v == "1" || v == "yes" || v == "true") return true;
  if (v == "0" || v == "no" || v == "false") return false;
  throw UserError(t.path(), t.where(row),
                  "column '" + col + "': expected yes/no (or 1/0), got \"" + v + "\"");
}

}  // namespace

std::vector<Accelerator> load_accelerators(const std::string& csv_path) {
  const CsvTable t(csv_path, {"chip", "vendor", "family", "fp16_tflops", "memory_gb", "busy_w",
                              "idle_w", "cuda"});
  std::vector<Accelerator> out;
  std::set<std::string> seen;
  for (std::size_t r = 0; r < t.size(); ++r) {
    Accelerator a;
    a.id = t.text(r, "chip");
    if (a.id.empty()) throw UserError(csv_path, t.where(r), "empty chip id");
    if (!seen.insert(a.id).second)
      throw UserError(csv_path, t.where(r), "duplicate chip id '" + a.id + "'");
    a.vendor = t.text(r, "vendor");
    a.family = t.text(r, "family");
    if (a.family != "domestic" && a.family != "imported")
      throw UserError(csv_path, t.where(r),
                      "column 'family': expected domestic or imported, got \"" + a.family + "\"");
    a.fp16_flops = t.number(r, "fp16_tflops") * 1e12;
    a.memory_B = t.number(r, "memory_gb") * 1e9;
    a.busy_W = t.number(r, "busy_w");
    a.idle_W = t.number(r, "idle_w");
    a.cuda = parse_bool(t, r, "cuda");
    a.server_cpu_cores = t.number_or_zero(r, "server_cpu_cores");
    a.server_memory_B = t.number_or_zero(r, "server_memory_gb") * 1e9;
    static constexpr std::pair<const char*, const char*> kValueSources[] = {
        {"fp16_tflops", "fp16_source"}, {"memory_gb", "memory_source"}, {"busy_w", "busy_source"},
        {"idle_w", "idle_source"}};
    for (const auto& [value, col] : kValueSources)
      if (t.has(col) && t.text(r, col).rfind("estimate", 0) == 0) a.estimated.emplace_back(value);
    if (a.fp16_flops <= 0)
      throw UserError(csv_path, t.where(r), "chip '" + a.id + "': fp16_tflops must be > 0");
    if (a.idle_W < 0 || a.busy_W < a.idle_W)
      throw UserError(csv_path, t.where(r),
                      "chip '" + a.id + "': expected 0 <= idle_w <= busy_w");
    out.push_back(std::move(a));
  }
  return out;
}

namespace {

void load_factors(const std::string& path, CarbonCatalog& cat) {
  const CsvTable t(path, {"series", "area", "year", "kg_co2_per_kwh", "source"});
  std::set<std::string> seen;
  for (std::size_t r = 0; r < t.size(); ++r) {
    CarbonFactor f;
    f.series = t.text(r, "series");
    f.area = t.text(r, "area");
    f.source = t.text(r, "source");
    if (f.series.empty() || f.area.empty()) throw UserError(path, t.where(r), "empty series or area");
    const double year = t.number(r, "year");
    if (year != std::floor(year) || year < 1900 || year > 2200)
      throw UserError(path, t.where(r), "column 'year': expected a year, got \"" + t.text(r, "year") + "\"");
    f.year = static_cast<int>(year);
    const double kg_per_kwh = t.number(r, "kg_co2_per_kwh");
    if (kg_per_kwh < 0) throw UserError(path, t.where(r), "column 'kg_co2_per_kwh': must be >= 0");
    f.kg_per_J = kg_per_kwh / units::kJoulePerKWh;
    if (f.source.empty()) throw UserError(path, t.where(r), "empty source (expected a key of topology/data/SOURCES.md)");
    if (!seen.insert(f.series + "|" + f.area + "|" + std::to_string(f.year)).second)
      throw UserError(path, t.where(r), "duplicate factor for " + f.series + " " + f.area + " " + std::to_string(f.year));
    cat.factors.push_back(std::move(f));
  }
  if (cat.areas("region").empty())
    throw UserError(path, "", "no 'region' series (its areas are the grid regions a city's grid names)");
}

void load_profiles(const std::string& path, CarbonCatalog& cat) {
  const CsvTable t(path, {"profile", "hour", "multiplier"});
  std::vector<std::array<int, 24>> filled;
  for (std::size_t r = 0; r < t.size(); ++r) {
    const std::string id = t.text(r, "profile");
    const double hour = t.number(r, "hour"), m = t.number(r, "multiplier");
    if (hour != std::floor(hour) || hour < 0 || hour > 23)
      throw UserError(path, t.where(r), "column 'hour': expected 0..23");
    if (m < 0) throw UserError(path, t.where(r), "column 'multiplier': must be >= 0");
    std::size_t k = 0;
    while (k < cat.profiles.size() && cat.profiles[k].id != id) ++k;
    if (k == cat.profiles.size()) {
      cat.profiles.push_back({id, {}});
      filled.push_back({});
    }
    const auto h = static_cast<std::size_t>(hour);
    if (filled[k][h]++) throw UserError(path, t.where(r), "profile " + id + ": hour " + std::to_string(h) + " twice");
    cat.profiles[k].multiplier[h] = m;
    if (t.has("source") && t.text(r, "source").rfind("estimate", 0) == 0) ++cat.profiles[k].estimated_hours;
  }
  for (std::size_t k = 0; k < cat.profiles.size(); ++k) {
    double sum = 0;
    for (std::size_t h = 0; h < 24; ++h) {
      if (!filled[k][h]) throw UserError(path, "profile " + cat.profiles[k].id, "hour " + std::to_string(h) + " missing");
      sum += cat.profiles[k].multiplier[h];
    }
    if (std::abs(sum / 24 - 1) > 0.01)
      throw UserError(path, "profile " + cat.profiles[k].id,
                      "multipliers average " + std::to_string(sum / 24) + " (expected 1: the annual factor is the daily mean)");
  }
}

void load_profile_areas(const std::string& path, CarbonCatalog& cat) {
  const CsvTable t(path, {"area", "profile"});
  for (std::size_t r = 0; r < t.size(); ++r) {
    const std::string area = t.text(r, "area"), id = t.text(r, "profile");
    int k = -1;
    for (std::size_t i = 0; i < cat.profiles.size(); ++i)
      if (cat.profiles[i].id == id) k = static_cast<int>(i);
    if (k < 0) throw UserError(path, t.where(r), "unknown profile '" + id + "'");
    if (cat.profile_of(area) >= 0) throw UserError(path, t.where(r), "area '" + area + "' listed twice");
    cat.profile_areas.emplace_back(area, k);
  }
}

}  // namespace

CarbonCatalog load_carbon_catalog(const std::string& factors_csv, const std::string& hourly_csv,
                                  const std::string& areas_csv) {
  CarbonCatalog cat;
  load_factors(factors_csv, cat);
  if (!hourly_csv.empty()) load_profiles(hourly_csv, cat);
  if (!areas_csv.empty()) load_profile_areas(areas_csv, cat);
  return cat;
}

std::vector<GridRegion> grid_regions(const CarbonCatalog& catalog) {
  std::vector<GridRegion> out;
  for (const std::string& a : catalog.areas("region")) out.push_back({a, 0.0});
  return out;
}

}  // namespace suanwang::topo

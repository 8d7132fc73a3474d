#include "sim/topology/catalogs.hpp"

#include <charconv>
#include <cmath>
#include <fstream>
#include <map>
#include <set>

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
    if (a.fp16_flops <= 0)
      throw UserError(csv_path, t.where(r), "chip '" + a.id + "': fp16_tflops must be > 0");
    if (a.idle_W < 0 || a.busy_W < a.idle_W)
      throw UserError(csv_path, t.where(r),
                      "chip '" + a.id + "': expected 0 <= idle_w <= busy_w");
    out.push_back(std::move(a));
  }
  return out;
}

std::vector<GridRegion> load_grids(const std::string& csv_path) {
  const CsvTable t(csv_path, {"grid", "kg_co2_per_kwh"});
  std::vector<GridRegion> out;
  std::set<std::string> seen;
  for (std::size_t r = 0; r < t.size(); ++r) {
    GridRegion g;
    g.id = t.text(r, "grid");
    if (g.id.empty()) throw UserError(csv_path, t.where(r), "empty grid id");
    if (!seen.insert(g.id).second)
      throw UserError(csv_path, t.where(r), "duplicate grid id '" + g.id + "'");
    const double kg_per_kwh = t.number(r, "kg_co2_per_kwh");
    if (kg_per_kwh < 0)
      throw UserError(csv_path, t.where(r), "grid '" + g.id + "': kg_co2_per_kwh must be >= 0");
    g.carbon_kg_per_J = kg_per_kwh / units::kJoulePerKWh;
    out.push_back(std::move(g));
  }
  return out;
}

}  // namespace suanwang::topo

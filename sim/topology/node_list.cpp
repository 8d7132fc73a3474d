#include "sim/topology/node_list.hpp"

#include <charconv>
#include <cmath>
#include <fstream>
#include <map>

#include "sim/core/user_error.hpp"
#include "sim/topology/catalogs.hpp"

namespace suanwang::topo {

namespace {

// A finite number >= 0 from a cell; false when the cell is not one.
bool cell_number(const std::string& text, double* out) {
  const auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), *out);
  return !text.empty() && ec == std::errc() && p == text.data() + text.size() && std::isfinite(*out) && *out >= 0;
}

}  // namespace

Pool load_node_list(const std::string& csv_path, const std::string& chip, const std::vector<Accelerator>& catalog) {
  Pool pool;
  pool.chip = chip;
  for (std::size_t i = 0; i < catalog.size(); ++i)
    if (catalog[i].id == chip) pool.accel = static_cast<int>(i);
  if (pool.accel < 0) throw UserError(csv_path, "", "unknown chip '" + chip + "' for its servers");
  std::ifstream in(csv_path);
  if (!in) throw UserError(csv_path, "", "cannot open the node list");
  std::map<std::string, std::size_t> column;
  std::string line;
  long long count = 0;
  for (int line_no = 1; std::getline(in, line); ++line_no) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty() || line[0] == '#') continue;
    const std::vector<std::string> f = split_csv_line(line);
    if (column.empty()) {
      for (std::size_t i = 0; i < f.size(); ++i) column[f[i]] = i;
      if (!column.count("gpu"))
        throw UserError(csv_path, "line " + std::to_string(line_no), "missing column 'gpu' in the header");
      continue;
    }
    const auto read = [&](const char* col, double scale) {
      const auto it = column.find(col);
      if (it == column.end()) return 0.0;
      double v = 0;
      if (it->second >= f.size() || !cell_number(f[it->second], &v))
        throw UserError(csv_path, "line " + std::to_string(line_no),
                        std::string("column '") + col + "': expected a number >= 0");
      return v * scale;
    };
    ServerShape s;
    const double gpus = read("gpu", 1);
    if (gpus != std::floor(gpus) || gpus > 64)
      throw UserError(csv_path, "line " + std::to_string(line_no), "column 'gpu': expected an integer 0..64");
    s.gpus = static_cast<int>(gpus);
    s.cpu_cores = read("cpu_milli", 1e-3);
    s.memory_B = read("memory_mib", 1048576.0);
    if (s.gpus == 0) continue;  // a CPU-only server holds no accelerator of the pool
    count += s.gpus;
    if (count > kMaxPoolChips)
      throw UserError(csv_path, "line " + std::to_string(line_no),
                      "more than " + std::to_string(kMaxPoolChips) + " accelerators in one pool");
    pool.server_list.push_back(s);
  }
  if (pool.server_list.empty()) throw UserError(csv_path, "", "no server with accelerators");
  pool.count = static_cast<int>(count);
  pool.servers = static_cast<int>(pool.server_list.size());
  pool.per_server = 0;
  return pool;
}

}  // namespace suanwang::topo

#include "workload_test_util.hpp"

#include <filesystem>
#include <fstream>
#include <unistd.h>

namespace suanwang::test {

topo::Topology tiny_topology() {
  topo::Topology t;
  t.source_file = "tiny.graphml";
  const char* names[] = {"A", "B", "C", "D", "E"};
  double weights[] = {1, 2, 3, 4, 0};
  for (int i = 0; i < 5; ++i) {
    topo::City c;
    c.name = names[i];
    c.demand_weight = weights[i];
    t.cities.push_back(c);
  }
  return t;
}

std::string write_temp(const std::string& name, const std::string& text) {
  auto dir = std::filesystem::temp_directory_path() /
             ("suanwang_workload_test_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  auto path = (dir / name).string();
  std::ofstream(path) << text;
  return path;
}

std::string test_data(const std::string& rel) { return std::string(SUANWANG_TEST_DATA_DIR) + "/" + rel; }

std::string example_data(const std::string& rel) {
  return std::string(SUANWANG_SOURCE_DIR) + "/scripts/examples/data/" + rel;
}

std::vector<Job> drain(JobSource& src, std::size_t limit) {
  std::vector<Job> out;
  while (out.size() < limit) {
    auto j = src.next();
    if (!j) break;
    out.push_back(std::move(*j));
  }
  return out;
}

}  // namespace suanwang::test

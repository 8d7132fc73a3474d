// suanwang topo FILE.graphml [--latency-matrix] [--dot OUT.dot]
//     [--accelerators CSV] [--carbon-factors CSV]
// Loads and validates a topology, computes its routes and tells a person
// what is in it. Exit 0 when the topology is sound.
#include <chrono>
#include <cstdio>
#include <cstring>
#include <memory>
#include <string>

#include "sim/cli/args.hpp"
#include "sim/cli/commands.hpp"
#include "sim/core/user_error.hpp"
#include "sim/topology/graphml_reader.hpp"
#include "sim/topology/routes.hpp"
#include "sim/topology/topology_report.hpp"

namespace suanwang::cli {

namespace {
constexpr const char* kTopoUsage =
    "usage: suanwang topo FILE.graphml [--latency-matrix] [--dot OUT.dot]\n"
    "                     [--accelerators CSV] [--carbon-factors CSV]\n"
    "  --latency-matrix   print the city-to-city one-way latency (ms) as CSV instead\n"
    "  --dot OUT.dot      also write the network as Graphviz (\"-\" for stdout)\n";
}

int topo_command(int argc, char** argv) {
  std::string file, dot_path;
  bool matrix = false;
  topo::CatalogPaths catalogs;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--help" || a == "-h") {
      std::fputs(kTopoUsage, stdout);
      return kExitOk;
    } else if (a == "--latency-matrix") {
      matrix = true;
    } else if (a == "--dot") {
      dot_path = option_value(argc, argv, i);
    } else if (a == "--accelerators") {
      catalogs.accelerators_csv = option_value(argc, argv, i);
    } else if (a == "--carbon-factors") {
      catalogs.carbon_factors_csv = option_value(argc, argv, i);
    } else if (!a.empty() && a[0] == '-') {
      throw UserError("", a, "unknown option of `suanwang topo` (see --help)");
    } else if (file.empty()) {
      file = a;
    } else {
      throw UserError("", a, "one topology file at a time");
    }
  }
  if (file.empty()) throw UserError("", "topo", "expected a GraphML file (see --help)");

  const auto t0 = std::chrono::steady_clock::now();
  const topo::Topology t = topo::load_topology(file, catalogs);
  const topo::RouteTable routes(t);
  const double route_ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();

  if (!dot_path.empty()) {
    std::FILE* f = dot_path == "-" ? stdout : std::fopen(dot_path.c_str(), "w");
    if (!f) throw UserError(dot_path, "", "cannot write the Graphviz file");
    topo::write_dot(f, t);
    if (f != stdout && std::fclose(f) != 0) throw UserError(dot_path, "", "write failed");
  }
  if (matrix) {
    topo::write_latency_matrix_csv(stdout, t, routes);
    return kExitOk;
  }
  if (dot_path == "-") return kExitOk;
  const topo::TopologyReport report = topo::describe(t, routes);
  topo::print_report(stdout, t, report);
  std::printf("  loaded and routed in %.1f ms (max %d route variants per city pair)\n", route_ms,
              routes.max_variants());
  return report.all_routes_exist ? kExitOk : kExitUserError;
}

}  // namespace suanwang::cli

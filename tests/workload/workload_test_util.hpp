// Helpers shared by the workload tests: a tiny hand-built topology, temp files.
#pragma once

#include <string>
#include <vector>

#include "sim/workload/job_source.hpp"
#include "sim/topology/topology.hpp"

namespace suanwang::test {

// Cities A..E with demand weights 1, 2, 3, 4, 0 (E never originates a job).
topo::Topology tiny_topology();
// Writes text to a fresh file under the temp directory; returns its path.
std::string write_temp(const std::string& name, const std::string& text);
std::string test_data(const std::string& rel);  // tests/data/ + rel (see its READMEs)
std::string example_data(const std::string& rel);  // scripts/examples/data/ + rel (shared with the examples)
std::vector<Job> drain(JobSource& src, std::size_t limit = static_cast<std::size_t>(-1));

}  // namespace suanwang::test

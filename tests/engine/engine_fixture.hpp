// Small hand-built worlds for engine tests: topologies whose answers can be
// computed by hand, exact job lists, a C++ policy and a recorder that keeps
// everything in memory.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "sim/engine/simulation.hpp"
#include "sim/policy/policy.hpp"
#include "sim/record/recorder.hpp"
#include "sim/scenario/scenario.hpp"
#include "sim/workload/job_source.hpp"
#include "sim/topology/topology.hpp"

namespace suanwang::testing {

struct CityDef {
  std::string name;
  std::string pools;  // "a100:8" or ""
  double pue = 1.0;
  double price_cny_per_kwh = 0.5;
  double demand = 1.0;
};
struct LinkDef {
  std::string a, b;
  double bandwidth_Bps;
  double latency_s;
  std::string carrier = "ct";
};

// A topology from plain definitions, with a catalog of two chips:
// a100 (312 TFLOPS, 400 W busy, 100 W idle, CUDA) and ascend-910b
// (320 TFLOPS, 400 W busy, 100 W idle, domestic); grid "north" 0.8843 kg/kWh.
topo::Topology make_topology(const std::vector<CityDef>& cities, const std::vector<LinkDef>& links);

Scenario make_scenario(topo::Topology topo, double duration_s);

class VectorSource : public JobSource {
 public:
  explicit VectorSource(std::vector<Job> jobs) : jobs_(std::move(jobs)) {}
  std::optional<Job> next() override {
    if (i_ >= jobs_.size()) return std::nullopt;
    return jobs_[i_++];
  }

 private:
  std::vector<Job> jobs_;
  std::size_t i_ = 0;
};

// A job source that makes jobs on demand (for long Poisson streams).
class FunctionSource : public JobSource {
 public:
  explicit FunctionSource(std::function<std::optional<Job>()> f) : f_(std::move(f)) {}
  std::optional<Job> next() override { return f_(); }

 private:
  std::function<std::optional<Job>()> f_;
};

// Places every job at one city's center; waits while that center is down.
class FixedPolicy : public Policy {
 public:
  explicit FixedPolicy(std::string city) : city_(std::move(city)) {}
  std::string name() const override { return "fixed"; }
  Placement place(const Job& job, const NetState& net) override;
  std::vector<std::uint64_t> finished;  // on_finish order

  void on_finish(const FinishedJob& f, const NetState&) override { finished.push_back(f.job->id); }

 private:
  std::string city_;
};

class MemoryRecorderForTest : public Recorder {
 public:
  void begin_run(const RunInfo& info) override { this->info = info; }
  void job(const JobRecord& row) override { jobs.push_back(row); }
  void center_sample(const CenterSample& s) override { centers.push_back(s); }
  void link_sample(const LinkSample& s) override { links.push_back(s); }
  void service_sample(const ServiceSample& s) override { services.push_back(s); }
  void part(const PartRecord& row) override { parts.push_back(row); }
  void flow(const FlowRecord& row) override { flows.push_back(row); }
  void end_run(const RunEnd& e) override {
    end = e;
    ended = true;
  }
  const JobRecord* find(std::uint64_t id) const {
    for (const auto& j : jobs)
      if (j.id == id) return &j;
    return nullptr;
  }

  RunInfo info;
  std::vector<JobRecord> jobs;
  std::vector<CenterSample> centers;
  std::vector<LinkSample> links;
  std::vector<ServiceSample> services;
  std::vector<PartRecord> parts;
  std::vector<FlowRecord> flows;
  RunEnd end;
  bool ended = false;
};

Job make_job(double submit_s, int origin, double gpus, double duration_s, double dataset_B = 0,
             double result_B = 0);

RunTotals run(const Scenario& sc, Policy& policy, MemoryRecorderForTest& rec, std::vector<Job> jobs);

// Runs `body` in a child process and returns the numbers it returned (empty
// when the child failed). SimGrid allows one engine per process: a test that
// compares two runs runs each in a child.
std::vector<double> in_child(const std::function<std::vector<double>()>& body);

}  // namespace suanwang::testing

// The list-order keys of a trace entry (interval, duration, shuffle, tune_to):
// what they become in the TraceSpec, and each refusal with its key path.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <string>

#include "sim/core/user_error.hpp"
#include "sim/scenario/scenario.hpp"

namespace fs = std::filesystem;
using namespace suanwang;

namespace {

// A scenario in a temp folder with a two-pod Alibaba list beside it; `entry`
// is the inside of the trace table after trace and format.
struct PodListScenario {
  fs::path dir;
  PodListScenario() {
    static int n = 0;
    dir = fs::temp_directory_path() / ("suanwang_trace_keys_" + std::to_string(::getpid()) + "_" + std::to_string(++n));
    fs::create_directories(dir);
    std::ofstream(dir / "pods.csv")
        << "name,cpu_milli,memory_mib,num_gpu,gpu_milli,gpu_spec,qos,pod_phase,creation_time,deletion_time,"
           "scheduled_time\n"
           "a,1000,1024,1,500,,LS,Running,0,10,0\n"
           "b,1000,1024,1,1000,,LS,Running,5,10,5\n";
    std::ofstream(dir / "least_loaded.lua") << "return {}\n";
  }
  ~PodListScenario() { fs::remove_all(dir); }
  Scenario load(const std::string& entry, const std::string& format = "alibaba") const {
    const fs::path p = dir / "s.lua";
    std::ofstream(p) << "return { duration = \"1h\", policy = \"least_loaded\", workload = { { trace = "
                        "\"pods.csv\", format = \"" + format + "\", " + entry + " } } }\n";
    return load_scenario(p.string());
  }
  std::string error(const std::string& entry, const std::string& format = "alibaba") const {
    try {
      load(entry, format);
    } catch (const UserError& e) {
      return e.what();
    }
    return "(loaded)";
  }
};

#define EXPECT_HAS(text, part) EXPECT_NE(std::string(text).find(part), std::string::npos) << (text)

}  // namespace

TEST(TraceKeys, ListOrderKeysReachTheSpec) {
  PodListScenario d;
  const Scenario sc = d.load(R"(center = "Guiyang", shuffle = true, tune_to = "130%", interval = "2s", duration = "never")");
  const TraceSpec& t = sc.workload.traces.at(0);
  EXPECT_TRUE(t.shuffle);
  EXPECT_DOUBLE_EQ(t.tune_to, 1.3);
  EXPECT_DOUBLE_EQ(t.interval_s, 2);
  EXPECT_TRUE(std::isinf(t.duration_s));
  EXPECT_EQ(sc.resolved.at("workload.1.duration"), "never");
  const Scenario plain = d.load(R"(duration = "30min")");
  EXPECT_DOUBLE_EQ(plain.workload.traces.at(0).duration_s, 1800);
  EXPECT_DOUBLE_EQ(plain.workload.traces.at(0).interval_s, 0);
  EXPECT_FALSE(plain.workload.traces.at(0).shuffle);
  EXPECT_EQ(d.load("").resolved.at("workload.1.duration"), "trace");
}

TEST(TraceKeys, RefusalsNameTheKey) {
  PodListScenario d;
  EXPECT_HAS(d.error("shuffle = true"), "workload[1].shuffle");
  EXPECT_HAS(d.error("shuffle = true"), "needs interval");
  EXPECT_HAS(d.error(R"(tune_to = 1.3, interval = "1s")"), "needs center");
  EXPECT_HAS(d.error(R"(center = "Guiyang", tune_to = 0, interval = "1s")"), "must be > 0");
  EXPECT_HAS(d.error(R"(center = "Guiyang", tune_to = 101, interval = "1s")"), "at most 100");
  EXPECT_HAS(d.error(R"(shuffle = true, interval = "1s")", "swf"), "is for Alibaba pod lists");
  EXPECT_HAS(d.error(R"(interval = "1s", time_scale = 2)"), "workload[1].time_scale");
  EXPECT_HAS(d.error(R"(interval = 0)"), "must be > 0");
  EXPECT_HAS(d.error(R"(duration = "forever")"), "workload[1].duration");
  EXPECT_HAS(d.error(R"(duration = "never", checkpoint = "1h")"), "never ends needs no checkpoint");
  EXPECT_HAS(d.error(R"(shufle = true)"), "did you mean 'shuffle'");
}

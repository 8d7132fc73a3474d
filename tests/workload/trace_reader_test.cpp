#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <fstream>

#include "sim/core/user_error.hpp"
#include "sim/workload/trace_readers.hpp"
#include "workload_test_util.hpp"

using namespace suanwang;
using suanwang::test::drain;
using suanwang::test::shared;
using suanwang::test::tiny_topology;
using suanwang::test::write_temp;

namespace {

const char* kSmallSwf =
    "; Version: 2.2\n"
    "; MaxProcs: 128\n"
    "\n"
    "1 100 5 3600 8 -1 -1 8 7200 -1 1 1 1 1 1 -1 -1 -1\n"
    "2 160 5 0 8 -1 -1 8 7200 -1 5 1 1 1 1 -1 -1 -1\n"       // run 0: skipped
    "3 150 5 60 -1 -1 -1 3 -1 -1 1 1 1 1 1 -1 -1 -1\n"        // out of order, procs from field 8
    "4 200 5 100 -1 -1 -1 -1 50 -1 5 1 1 1 1 -1 -1 -1\n"      // no procs: skipped
    "5 400 5 500 16 -1 -1 16 300 -1 1 1 1 1 1 -1 -1 -1\n";    // overran its request

TraceSpec swf_spec(const std::string& path) {
  TraceSpec t;
  t.path = path;
  t.format = TraceFormat::swf;
  return t;
}

std::string sorted_philly_copy() {
  std::ifstream in(shared("traces/philly_pollux/philly.csv"));
  std::string header, line;
  std::getline(in, header);
  std::vector<std::string> rows;
  while (std::getline(in, line)) rows.push_back(line);
  std::stable_sort(rows.begin(), rows.end(),
                   [](const std::string& a, const std::string& b) { return a.substr(0, 19) < b.substr(0, 19); });
  std::string text = header + "\n";
  for (auto& r : rows) text += r + "\n";
  return write_temp("philly_sorted.csv", text);
}

}  // namespace

TEST(SwfReader, SmallFile) {
  auto spec = swf_spec(write_temp("small.swf", kSmallSwf));
  spec.procs_per_gpu = 4;
  spec.start_s = 1000;
  spec.time_scale = 2;
  spec.walltime_factor = 3;
  spec.center = 3;
  spec.origin = 1;
  auto jobs = drain(*make_trace_reader(spec, tiny_topology(), 1, 0, 0));
  ASSERT_EQ(jobs.size(), 3u);
  EXPECT_EQ(jobs[0].submit_s, 1000);
  EXPECT_EQ(jobs[0].gpus, 2);
  EXPECT_EQ(jobs[0].duration_s, 3600);
  EXPECT_EQ(jobs[0].walltime_s, 7200);
  EXPECT_EQ(jobs[1].submit_s, 1000 + 50 * 2);  // reordered within the window
  EXPECT_EQ(jobs[1].gpus, 1);                  // ceil(3/4)
  EXPECT_EQ(jobs[1].walltime_s, 180);          // no estimate: run * factor
  EXPECT_EQ(jobs[2].submit_s, 1000 + 300 * 2);
  EXPECT_EQ(jobs[2].gpus, 4);
  EXPECT_EQ(jobs[2].walltime_s, 500);  // max(request, run)
  for (auto& j : jobs) {
    EXPECT_EQ(j.origin, 1);
    EXPECT_EQ(j.pinned_center, 3);
  }
}

TEST(SwfReader, MalformedLineNamesFileAndLine) {
  auto path = write_temp("bad.swf", std::string(kSmallSwf) + "6 500 5 10 1 -1\n");
  auto src = make_trace_reader(swf_spec(path), tiny_topology(), 1, 0, 0);
  try {
    drain(*src);
    FAIL() << "expected UserError";
  } catch (const UserError& e) {
    std::string m = e.what();
    EXPECT_NE(m.find(path), std::string::npos) << m;
    EXPECT_NE(m.find("line 9"), std::string::npos) << m;
    EXPECT_NE(m.find("expected 18 SWF fields"), std::string::npos) << m;
  }
  auto path2 = write_temp("bad2.swf", "1 100 5 x 8 -1 -1 8 7200 -1 1 1 1 1 1 -1 -1 -1\n");
  EXPECT_THROW(drain(*make_trace_reader(swf_spec(path2), tiny_topology(), 1, 0, 0)), UserError);
  EXPECT_THROW(make_trace_reader(swf_spec("/nonexistent/x.swf"), tiny_topology(), 1, 0, 0), UserError);
}

TEST(SwfReader, BackwardsBeyondWindowIsAUserError) {
  std::string text = "1 100000 0 10 1 -1 -1 1 10 -1 1 1 1 1 1 -1 -1 -1\n";
  for (std::size_t i = 0; i < kReorderWindow + 5; ++i)
    text += std::to_string(i + 2) + " " + std::to_string(100001 + i) + " 0 10 1 -1 -1 1 10 -1 1 1 1 1 1 -1 -1 -1\n";
  text += "9999 5 0 10 1 -1 -1 1 10 -1 1 1 1 1 1 -1 -1 -1\n";
  auto path = write_temp("backwards.swf", text);
  try {
    drain(*make_trace_reader(swf_spec(path), tiny_topology(), 1, 0, 0));
    FAIL() << "expected UserError";
  } catch (const UserError& e) {
    std::string m = e.what();
    EXPECT_NE(m.find("line " + std::to_string(kReorderWindow + 7)), std::string::npos) << m;
    EXPECT_NE(m.find("sorted"), std::string::npos) << m;
  }
}

TEST(SwfReader, RealSdscFirstThousand) {
  auto spec = swf_spec(shared("traces/swf_sdsc_sp2/SDSC-SP2-1998-4.2-cln.swf.gz"));
  spec.max_jobs = 1000;
  auto jobs = drain(*make_trace_reader(spec, tiny_topology(), 1, 0, 0));
  ASSERT_EQ(jobs.size(), 1000u);
  EXPECT_EQ(jobs[0].submit_s, 0);
  for (std::size_t i = 0; i < jobs.size(); ++i) {
    const auto& j = jobs[i];
    if (i) {
      EXPECT_GE(j.submit_s, jobs[i - 1].submit_s);
    }
    EXPECT_GE(j.gpus, 1);
    EXPECT_LE(j.gpus, 128);
    EXPECT_EQ(j.gpus, std::round(j.gpus));
    EXPECT_GT(j.duration_s, 0);
    EXPECT_GE(j.walltime_s, j.duration_s);
    EXPECT_GE(j.origin, 0);
    EXPECT_LE(j.origin, 3);
  }
  EXPECT_GT(jobs.back().submit_s, 86400);  // 1000 jobs span more than a day
}

TEST(SwfReader, WholeSdscTraceStreams) {
  // 59,715 records, of which those with run <= 0 or no processors are skipped.
  // Memory stays O(1): this is a smoke test that the whole file streams.
  auto reader = make_trace_reader(swf_spec(shared("traces/swf_sdsc_sp2/SDSC-SP2-1998-4.2-cln.swf.gz")),
                                  tiny_topology(), 1, 0, 0);
  long long n = 0;
  double last = -1;
  while (auto j = reader->next()) {
    ASSERT_GE(j->submit_s, last);
    last = j->submit_s;
    ++n;
  }
  EXPECT_EQ(n, 54034);  // 59,715 records minus run <= 0 or no processors
  EXPECT_GT(last, 700 * 86400.0);
  EXPECT_GT(reader->lines_read(), 59715);
}

TEST(SwfReader, NasaHasNoEstimates) {
  auto spec = swf_spec(shared("traces/swf_nasa_ipsc/NASA-iPSC-1993-3.1-cln.swf.gz"));
  spec.walltime_factor = 2;
  spec.max_jobs = 500;
  auto jobs = drain(*make_trace_reader(spec, tiny_topology(), 1, 0, 0));
  ASSERT_EQ(jobs.size(), 500u);
  for (auto& j : jobs) EXPECT_DOUBLE_EQ(j.walltime_s, 2 * j.duration_s);
}

TEST(PhillyReader, UnsortedSharedFileIsRejectedWithALine) {
  TraceSpec spec;
  spec.path = shared("traces/philly_pollux/philly.csv");
  spec.format = TraceFormat::philly;
  try {
    drain(*make_trace_reader(spec, tiny_topology(), 1, 0, 0));
    FAIL() << "expected UserError";
  } catch (const UserError& e) {
    std::string m = e.what();
    EXPECT_NE(m.find("philly.csv: line "), std::string::npos) << m;
  }
}

TEST(PhillyReader, SortedRealFile) {
  TraceSpec spec;
  spec.path = sorted_philly_copy();
  spec.format = TraceFormat::philly;
  spec.kind = JobKind::finetune;
  spec.max_jobs = 5000;
  auto jobs = drain(*make_trace_reader(spec, tiny_topology(), 1, 0, 0));
  ASSERT_EQ(jobs.size(), 5000u);
  EXPECT_EQ(jobs[0].submit_s, 0);
  bool multi = false;
  for (std::size_t i = 0; i < jobs.size(); ++i) {
    const auto& j = jobs[i];
    if (i) {
      EXPECT_GE(j.submit_s, jobs[i - 1].submit_s);
    }
    EXPECT_EQ(j.kind, JobKind::finetune);
    EXPECT_GE(j.gpus, 1);
    EXPECT_LE(j.gpus, 128);
    multi |= j.gpus > 1;
    EXPECT_GE(j.duration_s, 1);
    EXPECT_EQ(j.walltime_s, j.duration_s);
  }
  EXPECT_TRUE(multi);
  // Whole file: 82,247 rows, all with duration >= 1 and num_gpus >= 1.
  spec.max_jobs = -1;
  auto all = make_trace_reader(spec, tiny_topology(), 1, 0, 0);
  long long n = 0;
  while (all->next()) ++n;
  EXPECT_EQ(n, 82247);
}

TEST(AlibabaReader, RealPodList) {
  TraceSpec spec;
  spec.path = shared("traces/alibaba_pai_2023_openb/openb_pod_list_default.csv");
  spec.format = TraceFormat::alibaba;
  spec.kind = JobKind::inference;
  spec.default_duration_s = 1234;
  auto jobs = drain(*make_trace_reader(spec, tiny_topology(), 1, 0, 0));
  EXPECT_EQ(jobs.size(), 8152u - 1088u);  // CPU-only pods skipped
  std::size_t fractional = 0, defaulted = 0, inference = 0;
  for (std::size_t i = 0; i < jobs.size(); ++i) {
    const auto& j = jobs[i];
    if (i) {
      EXPECT_GE(j.submit_s, jobs[i - 1].submit_s);
    }
    EXPECT_GT(j.gpus, 0);
    EXPECT_TRUE(j.gpus < 1 || j.gpus == std::round(j.gpus)) << j.gpus;
    EXPECT_LE(j.gpus, 8);
    if (j.gpus < 1) ++fractional;
    EXPECT_GT(j.duration_s, 0);
    if (j.duration_s == 1234) ++defaulted;
    EXPECT_EQ(j.kind, j.gpus < 1 ? JobKind::inference : JobKind::training);
    inference += j.kind == JobKind::inference;
  }
  EXPECT_EQ(fractional, 3078u);
  EXPECT_EQ(inference, 3078u);
  EXPECT_GE(defaulted, 1u);  // pending pods never ran
  EXPECT_LE(jobs.back().submit_s, 12901761);
}

TEST(AlibabaReader, OtherKindAppliesToAll) {
  TraceSpec spec;
  spec.path = shared("traces/alibaba_pai_2023_openb/openb_pod_list_default.csv");
  spec.format = TraceFormat::alibaba;
  spec.max_jobs = 300;
  auto jobs = drain(*make_trace_reader(spec, tiny_topology(), 1, 0, 0));
  ASSERT_EQ(jobs.size(), 300u);
  for (auto& j : jobs) EXPECT_EQ(j.kind, JobKind::training);
}

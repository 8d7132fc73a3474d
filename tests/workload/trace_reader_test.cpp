#include <gtest/gtest.h>
#include <zlib.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <sstream>

#include "sim/core/user_error.hpp"
#include "sim/workload/trace_readers.hpp"
#include "workload_test_util.hpp"

using namespace suanwang;
using suanwang::test::drain;
using suanwang::test::example_data;
using suanwang::test::test_data;
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

// The first 4,000 rows of the Pollux Philly file (tests/data/philly_pollux/README.md):
// unsorted like the whole file (2,189 backward jumps of up to 23 days).
const char* kPhilly = "philly_pollux/philly-first4000.csv";
constexpr std::size_t kPhillyRows = 4000;
// The first 3,000 records of the SDSC SP2 log, header (and its terms) kept.
const char* kSdsc = "swf_sdsc_sp2/SDSC-SP2-1998-4.2-cln-first3000.swf.gz";
const char* kNasa = "swf_nasa_ipsc/NASA-iPSC-1993-3.1-cln-first1000.swf.gz";

std::string sorted_philly_copy() {
  std::ifstream in(test_data(kPhilly));
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

std::string read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// A gzip copy of a file: gzip input is streamed (windowed mode), not indexed.
std::string gzip_copy(const std::string& path, const std::string& name) {
  std::string text = read_text(path);
  auto out = write_temp(name, "");
  gzFile f = gzopen(out.c_str(), "wb");
  EXPECT_NE(f, nullptr);
  EXPECT_EQ(gzwrite(f, text.data(), static_cast<unsigned>(text.size())), static_cast<int>(text.size()));
  gzclose(f);
  return out;
}

TraceSpec philly_spec(const std::string& path) {
  TraceSpec t;
  t.path = path;
  t.format = TraceFormat::philly;
  return t;
}

void expect_same_jobs(const std::vector<Job>& a, const std::vector<Job>& b) {
  ASSERT_EQ(a.size(), b.size());
  for (std::size_t i = 0; i < a.size(); ++i) {
    ASSERT_EQ(a[i].submit_s, b[i].submit_s) << i;
    ASSERT_EQ(a[i].gpus, b[i].gpus) << i;
    ASSERT_EQ(a[i].duration_s, b[i].duration_s) << i;
    ASSERT_EQ(a[i].walltime_s, b[i].walltime_s) << i;
    ASSERT_EQ(a[i].kind, b[i].kind) << i;
    ASSERT_EQ(a[i].origin, b[i].origin) << i;
    ASSERT_EQ(a[i].pinned_center, b[i].pinned_center) << i;
    ASSERT_EQ(a[i].dataset_B, b[i].dataset_B) << i;
    ASSERT_EQ(a[i].result_B, b[i].result_B) << i;
  }
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
  auto spec = swf_spec(test_data(kSdsc));
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

TEST(SwfReader, WholeSdscExcerptStreams) {
  // 3,000 records, of which those with run <= 0 or no processors are skipped
  // (counted independently with Python, see tests/data/swf_sdsc_sp2/README.md).
  // Memory stays O(1): this is a smoke test that a whole gzip file streams.
  auto reader = make_trace_reader(swf_spec(test_data(kSdsc)), tiny_topology(), 1, 0, 0);
  long long n = 0;
  double last = -1;
  while (auto j = reader->next()) {
    ASSERT_GE(j->submit_s, last);
    last = j->submit_s;
    ++n;
  }
  EXPECT_EQ(n, 2840);  // 3,000 records minus run <= 0 or no processors
  EXPECT_EQ(last, 2705777.0);  // last usable submit - first usable submit (s)
  EXPECT_GT(reader->lines_read(), 3000);
}

TEST(SwfReader, NasaHasNoEstimates) {
  auto spec = swf_spec(test_data(kNasa));
  spec.walltime_factor = 2;
  spec.max_jobs = 500;
  auto jobs = drain(*make_trace_reader(spec, tiny_topology(), 1, 0, 0));
  ASSERT_EQ(jobs.size(), 500u);
  for (auto& j : jobs) EXPECT_DOUBLE_EQ(j.walltime_s, 2 * j.duration_s);
}

TEST(PhillyReader, UnsortedRealFileReplaysInSubmitOrder) {
  // The Philly file is not sorted (the excerpt: 2,189 backward jumps of up
  // to 23 days): a plain file is replayed through its (time, offset) index.
  auto spec = philly_spec(test_data(kPhilly));
  spec.dataset_B.kind = Distribution::Kind::uniform;
  spec.dataset_B.min = 0;
  spec.dataset_B.max = 1e9;
  auto reader = make_trace_reader(spec, tiny_topology(), 7, 0, 0);
  auto* philly = dynamic_cast<PhillyReader*>(reader.get());
  ASSERT_NE(philly, nullptr);
  EXPECT_TRUE(philly->indexed());
  auto jobs = drain(*reader);
  ASSERT_EQ(jobs.size(), kPhillyRows);
  EXPECT_EQ(reader->lines_read(), 4001);  // the header and 4,000 rows (wc -l)
  EXPECT_EQ(jobs[0].submit_s, 0);
  for (std::size_t i = 1; i < jobs.size(); ++i) ASSERT_GE(jobs[i].submit_s, jobs[i - 1].submit_s) << i;
  // 2017-09-07 09:57:50 -> 2017-10-09 07:01:55
  EXPECT_EQ(jobs.back().submit_s, 1507532515.0 - 1504778270.0);

  // Oracle: a stably sorted copy (ties in file order), gzip-compressed so that
  // it is read by the independent streaming (windowed) path. Same seed, so
  // the drawn origins and sizes must match job for job.
  auto sorted_gz = gzip_copy(sorted_philly_copy(), "philly_sorted.csv.gz");
  auto sorted_spec = spec;
  sorted_spec.path = sorted_gz;
  auto sorted_reader = make_trace_reader(sorted_spec, tiny_topology(), 7, 0, 0);
  EXPECT_FALSE(dynamic_cast<PhillyReader*>(sorted_reader.get())->indexed());
  auto sorted_jobs = drain(*sorted_reader);
  ASSERT_EQ(sorted_jobs.size(), kPhillyRows);
  expect_same_jobs(jobs, sorted_jobs);

  // max_jobs takes the earliest jobs, not the first rows of the file.
  spec.max_jobs = 1000;
  auto first = drain(*make_trace_reader(spec, tiny_topology(), 7, 0, 0));
  ASSERT_EQ(first.size(), 1000u);
  expect_same_jobs(first, std::vector<Job>(jobs.begin(), jobs.begin() + 1000));
}

TEST(PhillyReader, GzipUnsortedFileIsStillRejectedWithALine) {
  // gzip cannot seek cheaply: windowed streaming, so the shuffled file fails.
  auto path = gzip_copy(test_data(kPhilly), "philly_unsorted.csv.gz");
  try {
    drain(*make_trace_reader(philly_spec(path), tiny_topology(), 1, 0, 0));
    FAIL() << "expected UserError";
  } catch (const UserError& e) {
    std::string m = e.what();
    EXPECT_NE(m.find("philly_unsorted.csv.gz: line "), std::string::npos) << m;
    EXPECT_NE(m.find("sort"), std::string::npos) << m;
  }
}

TEST(PhillyReader, SmallUnsortedFileTiesSkipsAndCrlf) {
  auto path = write_temp("small_philly.csv",
                         "timestamp,duration,num_gpus,gpu_time,cluster\r\n"
                         "2017-10-02 00:00:00,10,1,10,a\r\n"       // line 2
                         "2017-10-01 00:00:00,20,2,40,a\r\n"       // line 3
                         "\r\n"                                     // line 4: blank
                         "2017-10-02 00:00:00,30,4,120,b\r\n"      // line 5: tie with line 2
                         "2017-09-01 00:00:00,0,1,0,b\r\n"         // line 6: duration 0, skipped
                         "2017-10-01 00:00:00,40,8,320,c\r\n"      // line 7: tie with line 3
                         "2017-09-30 23:59:59,50,1,50,c");          // line 8: no final newline
  auto spec = philly_spec(path);
  spec.start_s = 100;
  auto reader = make_trace_reader(spec, tiny_topology(), 1, 0, 0);
  auto jobs = drain(*reader);
  ASSERT_EQ(jobs.size(), 5u);
  std::vector<double> dur, submit;
  for (auto& j : jobs) {
    dur.push_back(j.duration_s);
    submit.push_back(j.submit_s);
  }
  EXPECT_EQ(dur, (std::vector<double>{50, 20, 40, 10, 30}));  // ties in file order
  EXPECT_EQ(submit, (std::vector<double>{100, 101, 101, 86501, 86501}));
  EXPECT_EQ(jobs[2].gpus, 8);
  EXPECT_EQ(reader->lines_read(), 8);
}

TEST(PhillyReader, MalformedLineInUnsortedFileNamesItsLine) {
  const std::string head =
      "timestamp,duration,num_gpus,gpu_time,cluster\n"
      "2017-10-02 00:00:00,10,1,10,a\n"
      "2017-10-01 00:00:00,20,2,40,a\n"
      "\n";
  struct Case {
    std::string row, expect;
  };
  for (const auto& c : {Case{"2017-10-03 00:00:00,x,1,1,a\n", "expected duration"},
                        Case{"2017-10-03,1,1,1,a\n", "expected timestamp"},
                        Case{"2017-10-03 00:00:00,1,1,a\n", "expected 5 comma-separated fields"}}) {
    auto path = write_temp("bad_philly.csv", head + c.row + "2017-09-01 00:00:00,5,1,5,a\n");
    try {
      drain(*make_trace_reader(philly_spec(path), tiny_topology(), 1, 0, 0));
      FAIL() << "expected UserError for " << c.row;
    } catch (const UserError& e) {
      std::string m = e.what();
      EXPECT_NE(m.find(path + ": line 5: "), std::string::npos) << m;
      EXPECT_NE(m.find(c.expect), std::string::npos) << m;
    }
  }
  // max_jobs = 0 never reads past the header.
  auto spec = philly_spec(write_temp("bad_philly.csv", head + "garbage\n"));
  spec.max_jobs = 0;
  EXPECT_TRUE(drain(*make_trace_reader(spec, tiny_topology(), 1, 0, 0)).empty());
}

TEST(PhillyReader, SortedRealFile) {
  TraceSpec spec;
  spec.path = sorted_philly_copy();
  spec.format = TraceFormat::philly;
  spec.kind = JobKind::finetune;
  spec.max_jobs = 2000;
  auto jobs = drain(*make_trace_reader(spec, tiny_topology(), 1, 0, 0));
  ASSERT_EQ(jobs.size(), 2000u);
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
  // Whole file: 4,000 rows, all with duration >= 1 and num_gpus >= 1.
  spec.max_jobs = -1;
  auto all = make_trace_reader(spec, tiny_topology(), 1, 0, 0);
  long long n = 0;
  while (all->next()) ++n;
  EXPECT_EQ(n, static_cast<long long>(kPhillyRows));
}

TEST(AlibabaReader, RealPodList) {
  TraceSpec spec;
  spec.path = example_data("alibaba_pai_2023_openb/openb_pod_list_default.csv");
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
  spec.path = example_data("alibaba_pai_2023_openb/openb_pod_list_default.csv");
  spec.format = TraceFormat::alibaba;
  spec.max_jobs = 300;
  auto jobs = drain(*make_trace_reader(spec, tiny_topology(), 1, 0, 0));
  ASSERT_EQ(jobs.size(), 300u);
  for (auto& j : jobs) EXPECT_EQ(j.kind, JobKind::training);
}

// Hdf5Recorder + Hdf5Reader: round trips, chunked appends, commit safety,
// several runs per file, copy_run, h5dump, a silent HDF5 error stack, and
// h5py/pandas reading the file (h5py_roundtrip.py).
#include "sim/record/hdf5_recorder.hpp"

#include <gtest/gtest.h>
#include <hdf5.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "sim/core/user_error.hpp"
#include "sim/record/hdf5_reader.hpp"
#include "sim/record/run_format.hpp"
#include "sim/record/result_file.hpp"
#include "sim/record/result_seal.hpp"
#include "sim/record/run_info.hpp"
#include "sim/topology/graphml_reader.hpp"

namespace suanwang {
namespace {

namespace fs = std::filesystem;

int g_error_prints = 0;
herr_t count_errors(hid_t, void*) {
  ++g_error_prints;
  return 0;
}

class Hdf5RecorderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    dir_ = fs::temp_directory_path() /
           ("suanwang-record-" + std::string(info->name()) + "-" + std::to_string(::getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    // Any HDF5 error that reaches automatic printing counts as a failure.
    H5Eget_auto2(H5E_DEFAULT, &old_func_, &old_data_);
    H5Eset_auto2(H5E_DEFAULT, count_errors, nullptr);
    g_error_prints = 0;
  }
  void TearDown() override {
    EXPECT_EQ(g_error_prints, 0) << "HDF5 printed an error stack";
    EXPECT_EQ(H5Eget_num(H5E_DEFAULT), 0) << "HDF5 error stack not empty";
    EXPECT_EQ(H5Fget_obj_count(H5F_OBJ_ALL, H5F_OBJ_ALL), 0) << "HDF5 handles leaked";
    H5Eset_auto2(H5E_DEFAULT, old_func_, old_data_);
    fs::remove_all(dir_);
  }
  std::string path(const std::string& name) const { return (dir_ / name).string(); }

  fs::path dir_;
  H5E_auto2_t old_func_ = nullptr;
  void* old_data_ = nullptr;
};

// Four cities (one with a non-ASCII id), three centers, two links.
NetworkInfo make_network() {
  NetworkInfo n;
  n.topology_file = "topologies/test.graphml";
  auto city = [&](const char* name, const char* zh, double lat, double lon, double price_kwh) {
    CityInfo c;
    c.name = name;
    c.name_zh = zh;
    c.province = "P-" + std::string(name);
    c.lat_deg = lat;
    c.lon_deg = lon;
    c.grid = "north";
    c.carbon_kg_per_J = 0.6361 / 3.6e6;
    c.carbon_series = lon > 115 ? "province" : "region";
    c.carbon_year = 2023;
    c.carbon_area = lon > 115 ? c.province : "north";
    c.green_share = lat > 35 ? 0.8457 : 0;
    c.green_power = true;
    c.carbon_profile = lat > 35 ? "north_wind" : "";
    c.price_CNY_per_J = price_kwh / 3.6e6;
    c.pue = 1.25;
    c.demand_weight = 2.5;
    c.hub = lat > 35 ? "Jing-Jin-Ji" : "";
    c.interconnect = lon > 115;
    n.cities.push_back(c);
  };
  city("Beijing", "北京", 39.9, 116.4, 0.65);
  city("Shanghai", "上海", 31.23, 121.47, 0.7);
  city("无锡", "无锡", 31.49, 120.31, 0.62);
  city("Guiyang", "贵阳", 26.65, 106.63, 0.45 * 0.8);
  auto pool = [&](int c, const char* chip, bool domestic, int count) {
    PoolInfo p;
    p.city = c;
    p.chip = chip;
    p.vendor = domestic ? "Huawei" : "NVIDIA";
    p.family = domestic ? "domestic" : "imported";
    p.count = count;
    p.fp16_flops = 3.12e14;
    p.memory_B = 8e10;
    p.busy_W = 400;
    p.idle_W = 100;
    p.cuda = !domestic;
    n.pools.push_back(p);
  };
  pool(0, "A100", false, 1024);
  pool(2, "Ascend910B", true, 4096);
  pool(3, "H800", false, 512);
  auto link = [&](int a, int b, const char* carrier, double km) {
    LinkInfo l;
    l.a = a;
    l.b = b;
    l.carrier = carrier;
    l.name = n.cities[a].name + "-" + n.cities[b].name + "/" + carrier;
    l.bandwidth_Bps = 1e11;
    l.length_m = km * 1e3;
    l.latency_s = km * 1e3 * 1e-8;
    n.links.push_back(l);
  };
  link(0, 1, "ct", 1300);
  link(1, 2, "cm", 140);
  return n;
}

RunInfo make_info(const std::string& id) {
  RunInfo info;
  info.run_id = id;
  info.scenario_name = "east-west";
  info.scenario_file = "scenarios/east_west.yaml";
  info.scenario_text = "name: east-west\nseed: 7\n";
  info.policy_name = "greedy";
  info.policy_text = "function place(job) return 0 end";
  info.seed = 18446744073709551615ull;  // uint64 max survives
  info.duration_s = 86400;
  info.sample_interval_s = 60;
  info.parameters = {{"arrival_rate", "0.5/s"}, {"pue", "1.3"}};
  info.sweep_point = {{"policy", "greedy"}};
  info.network = make_network();
  return info;
}

JobRecord make_job(std::uint64_t i) {
  JobRecord r;
  r.id = i;
  r.kind = static_cast<JobKind>(i % 3);
  r.origin = static_cast<int>(i % 4);
  r.submit_s = static_cast<double>(i) * 1.5;
  r.gpus = (i % 5 == 0) ? 0.5 : static_cast<double>(1 + i % 8);
  r.restarts = static_cast<int>(i % 3);
  switch (i % 7) {
    case 5: r.status = JobStatus::failed; r.reason = "retries exhausted"; break;
    case 6: r.status = JobStatus::rejected; r.reason = "policy: no center fits"; break;
    case 4: r.status = JobStatus::unfinished; r.reason = "horizon"; break;
    default: r.status = JobStatus::completed; break;
  }
  if (r.status != JobStatus::rejected) {
    r.pool = static_cast<int>(i % 3);
    static const char* chips[] = {"A100", "Ascend910B", "H800"};
    r.chip = chips[i % 3];
    r.center = r.pool == 0 ? 0 : (r.pool == 1 ? 2 : 3);
    r.start_s = r.submit_s + static_cast<double>((i * 37) % 101) * 0.25;
    r.wait_s = r.start_s - r.submit_s;
    r.end_s = r.status == JobStatus::unfinished ? -1 : r.start_s + 100.0 + static_cast<double>(i % 13);
    r.transfer_s = 3.25;
    r.transfer_delay_s = (i % 11 == 0) ? 1.0 : 0.0;
    r.bytes_moved = 1e9 + static_cast<double>(i);
    r.energy_J = 1e6 * static_cast<double>(i % 9);
    r.cost_CNY = 0.1 * static_cast<double>(i % 9);
    r.carbon_kg = 0.05 * static_cast<double>(i % 9);
  }
  return r;
}

RunEnd make_end() {
  RunEnd e;
  e.wall_time_s = 1.25;
  e.simulated_s = 86400;
  e.chip_seconds_available = 1e6;
  e.busy_chip_seconds = 2.5e5;
  e.centers = {{0, 1e9, 8e8, 100, 40, 1e5, 10}, {1, 2e9, 1.5e9, 150, 80, 1e5, 20},
               {2, 5e8, 4e8, 30, 5, 5e4, 3}};
  e.services = {"chat", "search"};
  return e;
}

// Records one run with `jobs` jobs and `samples` samples of each kind.
void record_run(Hdf5Recorder& rec, const std::string& id, std::uint64_t jobs, int samples) {
  rec.begin_run(make_info(id));
  for (int t = 0; t < samples; ++t) {
    for (int c = 0; c < 3; ++c) {
      CenterSample s;
      s.time_s = 60.0 * t;
      s.center = c;
      s.busy_chips = t + c;
      s.queue_length = t % 4;
      s.running_jobs = c;
      s.power_W = 1000.0 * c + t;
      s.energy_J = 60000.0 * t;
      s.up = (t + c) % 5 != 0;
      rec.center_sample(s);
    }
    LinkSample l;
    l.time_s = 60.0 * t;
    l.utilization = {0.1 * (t % 10), 0.5};
    l.bytes = {1e6 * t, 2e6};
    l.up = {1, static_cast<std::uint8_t>(t % 2)};
    rec.link_sample(l);
    for (int sv = 0; sv < 2; ++sv) {
      ServiceSample ss;
      ss.time_s = 60.0 * t;
      ss.service = sv;
      ss.request_rate_per_s = 10.0 + sv;
      ss.p50_latency_s = 0.01;
      ss.p95_latency_s = 0.05;
      ss.p99_latency_s = 0.1 + sv;
      ss.slo_violation_fraction = 0.01 * sv;
      ss.utilization = 0.7;
      rec.service_sample(ss);
    }
  }
  for (std::uint64_t i = 1; i <= jobs; ++i) rec.job(make_job(i));
  // Job 3 ran split over Beijing and 无锡 (two parts), after a first
  // placement given back.
  for (int attempt = 1; attempt <= 2; ++attempt)
    for (int i = 0; i < 2; ++i) {
      PartRecord p;
      p.job = 3;
      p.attempt = attempt;
      p.part = i;
      p.center = i == 0 ? 0 : 2;
      p.pool = i == 0 ? 0 : 1;
      p.gpus = 512;
      p.start_s = attempt == 1 && i == 0 ? -1 : 10.0 * attempt;
      p.end_s = attempt == 1 ? (i == 0 ? -1 : 20) : 500;
      p.held_idle_s = attempt == 1 ? 10 : 0;
      p.sync_B = attempt == 2 ? 1.4e11 : 0;
      p.sync_delay_s = 0.5 * i;
      p.energy_J = attempt == 2 ? 2e8 : 0;
      p.outcome = attempt == 1 ? PartOutcome::released : PartOutcome::completed;
      rec.part(p);
    }
  rec.end_run(make_end());
}

int run_python(const std::string& file) {
  const std::string cmd =
      "/usr/bin/python3 " SUANWANG_SOURCE_DIR "/tests/record/h5py_roundtrip.py '" + file + "'";
  return std::system(cmd.c_str());
}

TEST_F(Hdf5RecorderTest, RoundTripThroughReader) {
  const std::string file = path("out.h5");
  RunSummary expect;
  {
    Hdf5Recorder rec(file);
    record_run(rec, "run-0001", 50, 5);
    expect = rec.summary();
    rec.commit();
    EXPECT_FALSE(fs::exists(rec.temp_path()));
  }
  ASSERT_TRUE(fs::exists(file));
  Hdf5Reader rd(file);
  auto root = rd.file_attributes();
  EXPECT_EQ(root.at("format_version"), run_format::kFormatVersion);
  EXPECT_FALSE(root.at("suanwang_version").empty());
  EXPECT_EQ(root.at("created").size(), 20u);  // 2024-01-02T03:04:05Z
  ASSERT_EQ(rd.run_ids(), std::vector<std::string>{"run-0001"});

  auto a = rd.run_attributes("run-0001");
  EXPECT_EQ(a.at("scenario_name"), "east-west");
  EXPECT_EQ(a.at("scenario_text"), "name: east-west\nseed: 7\n");
  EXPECT_EQ(a.at("policy_text"), "function place(job) return 0 end");
  EXPECT_EQ(a.at("seed"), "18446744073709551615");
  EXPECT_EQ(std::stod(a.at("duration_s")), 86400);
  EXPECT_EQ(std::stod(a.at("wall_time_s")), 1.25);
  EXPECT_EQ(a.at("status"), "completed");
  EXPECT_EQ(a.at("param.arrival_rate"), "0.5/s");
  EXPECT_EQ(a.at("sweep.policy"), "greedy");
  EXPECT_TRUE(a.count("git_revision"));

  auto rows = rd.jobs("run-0001");
  ASSERT_EQ(rows.size(), 50u);
  const NetworkInfo net = make_network();
  for (std::size_t k = 0; k < rows.size(); ++k) {
    const JobRecord w = make_job(k + 1);
    const JobRow& r = rows[k];
    EXPECT_EQ(r.id, w.id);
    EXPECT_EQ(r.kind, to_string(w.kind));
    EXPECT_EQ(r.origin, net.cities[static_cast<std::size_t>(w.origin)].name);
    EXPECT_EQ(r.center, w.center < 0 ? "" : net.cities[static_cast<std::size_t>(w.center)].name);
    EXPECT_EQ(r.pool, w.pool < 0 ? "" : net.pool_name(static_cast<std::size_t>(w.pool)));
    EXPECT_EQ(r.chip, w.chip);
    EXPECT_EQ(r.submit_s, w.submit_s);
    EXPECT_EQ(r.start_s, w.start_s);
    EXPECT_EQ(r.end_s, w.end_s);
    EXPECT_EQ(r.wait_s, w.wait_s);
    EXPECT_EQ(r.gpus, w.gpus);
    EXPECT_EQ(r.transfer_s, w.transfer_s);
    EXPECT_EQ(r.transfer_delay_s, w.transfer_delay_s);
    EXPECT_EQ(r.bytes_moved, w.bytes_moved);
    EXPECT_EQ(r.energy_J, w.energy_J);
    EXPECT_EQ(r.cost_CNY, w.cost_CNY);
    EXPECT_EQ(r.carbon_kg, w.carbon_kg);
    EXPECT_EQ(r.restarts, w.restarts);
    EXPECT_EQ(r.status, to_string(w.status));
    EXPECT_EQ(r.reason, w.reason);
  }

  // Center samples.
  EXPECT_EQ(rd.children("runs/run-0001/centers"),
            (std::vector<std::string>{"Beijing", "Guiyang", "无锡"}));
  auto busy = rd.numbers("runs/run-0001/centers/无锡", "busy_chips");
  EXPECT_EQ(busy, (std::vector<double>{1, 2, 3, 4, 5}));
  auto up = rd.numbers("runs/run-0001/centers/Beijing", "up");
  EXPECT_EQ(up, (std::vector<double>{0, 1, 1, 1, 1}));
  auto q = rd.numbers("runs/run-0001/centers/Guiyang", "queue_length");
  EXPECT_EQ(q, (std::vector<double>{0, 1, 2, 3, 0}));

  // Links.
  EXPECT_EQ(rd.shape("runs/run-0001/links/utilization"), (std::vector<std::uint64_t>{5, 2}));
  EXPECT_EQ(rd.strings("runs/run-0001/links/names"),
            (std::vector<std::string>{"Beijing-Shanghai/ct", "Shanghai-无锡/cm"}));
  EXPECT_EQ(rd.numbers("runs/run-0001/links/time_s"), (std::vector<double>{0, 60, 120, 180, 240}));
  auto lb = rd.numbers("runs/run-0001/links/bytes");
  ASSERT_EQ(lb.size(), 10u);
  EXPECT_EQ(lb[6], 3e6);
  EXPECT_EQ(lb[7], 2e6);
  auto lu = rd.numbers("runs/run-0001/links/up");
  EXPECT_EQ(lu, (std::vector<double>{1, 0, 1, 1, 1, 0, 1, 1, 1, 0}));

  // Services renamed from index to name.
  EXPECT_EQ(rd.children("runs/run-0001/services"), (std::vector<std::string>{"chat", "search"}));
  EXPECT_EQ(rd.numbers("runs/run-0001/services/search", "p99_latency_s"),
            std::vector<double>(5, 1.1));

  // Summary and center totals.
  auto s = rd.summary("run-0001");
  EXPECT_EQ(s.size(), 16u);
  EXPECT_EQ(s.at("jobs_submitted"), static_cast<double>(expect.jobs_submitted));
  EXPECT_EQ(s.at("jobs_completed"), static_cast<double>(expect.jobs_completed));
  EXPECT_EQ(s.at("jobs_failed"), 7);
  EXPECT_EQ(s.at("p95_wait_s"), expect.p95_wait_s);
  EXPECT_EQ(s.at("mean_jct_s"), expect.mean_jct_s);
  EXPECT_EQ(s.at("energy_J"), 3.5e9);
  EXPECT_EQ(s.at("utilization"), 0.25);
  EXPECT_EQ(rd.strings("runs/run-0001/center_totals", "center"),
            (std::vector<std::string>{"Beijing", "无锡", "Guiyang"}));
  EXPECT_EQ(rd.numbers("runs/run-0001/center_totals", "jobs_completed"),
            (std::vector<double>{10, 20, 3}));

  // Units and descriptions.
  auto ja = rd.attributes("runs/run-0001/jobs");
  EXPECT_EQ(ja.at("units.wait_s"), "s");
  EXPECT_EQ(ja.at("units.bytes_moved"), "B");
  EXPECT_EQ(ja.at("units"), "1,,,,,,s,s,s,s,chips,s,s,B,J,CNY,kg,1,1,1,1,chip*s,,1,,s,s,1,B,1,,");
  EXPECT_FALSE(ja.at("description").empty());
  EXPECT_EQ(ja.at("description.sync_B"), run_format::kJobFields[run_format::job_col::sync_B].description);

  // Parts of multi-center jobs, names resolved like the jobs'.
  const std::string parts = "runs/run-0001/parts";
  EXPECT_EQ(rd.numbers(parts, "job"), std::vector<double>(4, 3));
  EXPECT_EQ(rd.numbers(parts, "attempt"), (std::vector<double>{1, 1, 2, 2}));
  EXPECT_EQ(rd.numbers(parts, "part"), (std::vector<double>{0, 1, 0, 1}));
  EXPECT_EQ(rd.strings(parts, "center"), (std::vector<std::string>{"Beijing", "无锡", "Beijing", "无锡"}));
  EXPECT_EQ(rd.strings(parts, "pool"),
            (std::vector<std::string>{"Beijing/A100", "无锡/Ascend910B", "Beijing/A100", "无锡/Ascend910B"}));
  EXPECT_EQ(rd.numbers(parts, "start_s"), (std::vector<double>{-1, 10, 20, 20}));
  EXPECT_EQ(rd.numbers(parts, "sync_B"), (std::vector<double>{0, 0, 1.4e11, 1.4e11}));
  EXPECT_EQ(rd.numbers(parts, "sync_delay_s"), (std::vector<double>{0, 0.5, 0, 0.5}));
  EXPECT_EQ(rd.strings(parts, "outcome"),
            (std::vector<std::string>{"released", "released", "completed", "completed"}));
  EXPECT_EQ(rd.attributes(parts).at("units.held_idle_s"), "s");
  EXPECT_NE(rd.attributes("runs/run-0001/summary").at("description").find("cost_CNY [CNY]"),
            std::string::npos);
}

TEST_F(Hdf5RecorderTest, ChunkedAppendOverManyChunks) {
  const std::string file = path("chunks.h5");
  Hdf5Options opt;
  opt.chunk_rows = 64;
  {
    Hdf5Recorder rec(file, opt);
    record_run(rec, "r", 64 * 4 + 17, 64 * 3 + 5);
    rec.commit();
  }
  Hdf5Reader rd(file);
  auto rows = rd.jobs("r");
  ASSERT_EQ(rows.size(), 64u * 4 + 17);
  for (std::size_t k = 0; k < rows.size(); ++k) ASSERT_EQ(rows[k].id, k + 1);
  EXPECT_EQ(rd.numbers("runs/r/centers/Guiyang", "time_s").size(), 64u * 3 + 5);
  EXPECT_EQ(rd.shape("runs/r/links/bytes"), (std::vector<std::uint64_t>{64 * 3 + 5, 2}));
  EXPECT_EQ(rd.numbers("runs/r/services/chat", "time_s").size(), 64u * 3 + 5);
  // The jobs table is chunked by chunk_rows, deflated and extendible.
  hid_t f = H5Fopen(file.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
  ASSERT_GE(f, 0);
  hid_t ds = H5Dopen2(f, "runs/r/jobs", H5P_DEFAULT);
  hid_t dcpl = H5Dget_create_plist(ds);
  hsize_t chunk = 0;
  EXPECT_EQ(H5Pget_layout(dcpl), H5D_CHUNKED);
  EXPECT_EQ(H5Pget_chunk(dcpl, 1, &chunk), 1);
  EXPECT_EQ(chunk, 64u);
  bool deflate = false;
  for (int i = 0; i < H5Pget_nfilters(dcpl); ++i) {
    unsigned flags = 0;
    size_t n = 0;
    if (H5Pget_filter2(dcpl, static_cast<unsigned>(i), &flags, &n, nullptr, 0, nullptr, nullptr) ==
        H5Z_FILTER_DEFLATE)
      deflate = true;
  }
  EXPECT_TRUE(deflate);
  hid_t space = H5Dget_space(ds);
  hsize_t dims = 0, maxdims = 0;
  H5Sget_simple_extent_dims(space, &dims, &maxdims);
  EXPECT_EQ(maxdims, H5S_UNLIMITED);
  H5Sclose(space);
  H5Pclose(dcpl);
  H5Dclose(ds);
  H5Fclose(f);
  EXPECT_EQ(run_python(file), 0);
}

// Jobs and flows take turns at the background writer with chunks of 8 rows
// (their buffers have different layouts): both tables come back whole and in
// order, with background writes as without.
TEST_F(Hdf5RecorderTest, JobsAndFlowsInterleavedOverManyChunks) {
  for (const bool background : {true, false}) {
    const std::string file = path(background ? "mixed_bg.h5" : "mixed_fg.h5");
    Hdf5Options opt;
    opt.chunk_rows = 8;
    opt.background_writes = background;
    {
      Hdf5Recorder rec(file, opt);
      RunInfo info = make_info("r");
      info.record_flows = true;
      rec.begin_run(info);
      for (std::uint64_t i = 1; i <= 100; ++i) {
        rec.job(make_job(i));
        for (int k = 0; k < static_cast<int>(i % 3); ++k) {
          FlowRecord f;
          f.job = i;
          f.src = static_cast<int>(i % 4);
          f.dst = static_cast<int>((i + 1) % 4);
          f.start_s = static_cast<double>(i);
          f.end_s = static_cast<double>(i) + 0.5 * k;
          f.bytes = f.moved_B = 1e6 * static_cast<double>(i) + k;
          rec.flow(f);
        }
      }
      rec.end_run(make_end());
      rec.commit();
    }
    Hdf5Reader rd(file);
    const auto jobs = rd.jobs("r");
    ASSERT_EQ(jobs.size(), 100u);
    for (std::size_t k = 0; k < jobs.size(); ++k) ASSERT_EQ(jobs[k].id, k + 1);
    const auto job = rd.numbers("runs/r/flows", "job"), moved = rd.numbers("runs/r/flows", "moved_B");
    ASSERT_EQ(job.size(), 100u);  // 34 jobs with 1 flow, 33 with 2
    std::size_t row = 0;
    for (std::uint64_t i = 1; i <= 100; ++i)
      for (int k = 0; k < static_cast<int>(i % 3); ++k, ++row) {
        ASSERT_EQ(job[row], static_cast<double>(i)) << row;
        ASSERT_EQ(moved[row], 1e6 * static_cast<double>(i) + k) << row;
      }
    EXPECT_EQ(run_python(file), 0);
  }
}

TEST_F(Hdf5RecorderTest, ExistingTargetNeedsForce) {
  const std::string file = path("exists.h5");
  {
    Hdf5Recorder rec(file);
    record_run(rec, "old", 3, 1);
    rec.commit();
  }
  const auto old_size = fs::file_size(file);
  try {
    Hdf5Recorder rec(file);
    FAIL() << "expected UserError";
  } catch (const UserError& e) {
    EXPECT_EQ(std::string(e.what()), file + ": exists (use --force to overwrite)");
  }
  Hdf5Options opt;
  opt.force = true;
  {
    Hdf5Recorder rec(file, opt);
    record_run(rec, "r", 30, 1);
    // Until commit the old target is untouched.
    EXPECT_EQ(fs::file_size(file), old_size);
    EXPECT_EQ(Hdf5Reader(file).run_ids(), std::vector<std::string>{"old"});
    rec.commit();
  }
  EXPECT_EQ(Hdf5Reader(file).run_ids(), std::vector<std::string>{"r"});
  EXPECT_EQ(std::distance(fs::directory_iterator(dir_), fs::directory_iterator{}), 1);
}

// --force replaces a result file, nothing else: not a file that is not one
// (a scenario's `output = "notes.txt"`), not a device, a folder or a link.
TEST_F(Hdf5RecorderTest, ForceReplacesOnlyResultFiles) {
  Hdf5Options opt;
  opt.force = true;
  const std::string notes = path("notes.txt");
  { std::ofstream(notes) << "not hdf5"; }
  const std::string link = path("link.h5");
  fs::create_symlink(notes, link);
  const std::string folder = path("folder.h5");
  fs::create_directory(folder);
  for (const auto& [target, why] :
       std::vector<std::pair<std::string, std::string>>{
           {notes, "exists and is not a suanwang result file"}, {link, "is a symbolic link"},
           {folder, "is a folder"}, {"/dev/null", "is a device"}}) {
    try {
      Hdf5Recorder rec(target, opt);
      FAIL() << target << ": expected UserError";
    } catch (const UserError& e) {
      EXPECT_NE(std::string(e.what()).find(target + ": " + why), std::string::npos) << e.what();
    }
  }
  std::ifstream in(notes);
  std::string text;
  std::getline(in, text);
  EXPECT_EQ(text, "not hdf5");
  EXPECT_TRUE(fs::is_character_file("/dev/null"));
}

TEST_F(Hdf5RecorderTest, MissingDirectoryIsUserError) {
  EXPECT_THROW(Hdf5Recorder(path("no/such/dir/x.h5")), UserError);
}

TEST_F(Hdf5RecorderTest, NoCommitLeavesNothing) {
  const std::string file = path("never.h5");
  std::string temp;
  {
    Hdf5Recorder rec(file);
    temp = rec.temp_path();
    EXPECT_EQ(temp, file + ".tmp-" + std::to_string(::getpid()));
    rec.begin_run(make_info("r"));
    for (std::uint64_t i = 1; i <= 10; ++i) rec.job(make_job(i));
    EXPECT_TRUE(fs::exists(temp));
    EXPECT_FALSE(fs::exists(file));
  }
  EXPECT_FALSE(fs::exists(file));
  EXPECT_FALSE(fs::exists(temp));
  EXPECT_TRUE(fs::is_empty(dir_));
}

TEST_F(Hdf5RecorderTest, CommitWithOpenRunIsABug) {
  Hdf5Recorder rec(path("open.h5"));
  rec.begin_run(make_info("r"));
  EXPECT_THROW(rec.commit(), std::logic_error);
}

TEST_F(Hdf5RecorderTest, TwoRunsInOneFile) {
  const std::string file = path("two.h5");
  {
    Hdf5Recorder rec(file);
    record_run(rec, "point-0000", 20, 2);
    const auto first = rec.summary().jobs_submitted;
    record_run(rec, "point-0001", 35, 3);
    EXPECT_EQ(first, 20u);
    EXPECT_EQ(rec.summary().jobs_submitted, 35u);
    EXPECT_THROW(rec.begin_run(make_info("point-0000")), std::logic_error);
    rec.commit();
  }
  Hdf5Reader rd(file);
  EXPECT_EQ(rd.run_ids(), (std::vector<std::string>{"point-0000", "point-0001"}));
  EXPECT_EQ(rd.jobs("point-0000").size(), 20u);
  EXPECT_EQ(rd.jobs("point-0001").size(), 35u);
  EXPECT_EQ(rd.summary("point-0001").at("jobs_submitted"), 35);
  EXPECT_EQ(run_python(file), 0);
}

TEST_F(Hdf5RecorderTest, EmptyRun) {
  const std::string file = path("empty.h5");
  {
    Hdf5Recorder rec(file);
    RunInfo info = make_info("r");
    info.network.links.clear();
    rec.begin_run(info);
    rec.link_sample(LinkSample{0, {}, {}, {}});
    RunEnd end;
    rec.end_run(end);
    rec.commit();
  }
  Hdf5Reader rd(file);
  EXPECT_TRUE(rd.jobs("r").empty());
  EXPECT_EQ(rd.shape("runs/r/links/utilization"), (std::vector<std::uint64_t>{1, 0}));
  for (const auto& [k, v] : rd.summary("r")) EXPECT_EQ(v, 0.0) << k;
  EXPECT_EQ(run_python(file), 0);
}

// The flows table exists only in runs that asked for it (record_flows), and
// reads back with its names, numbers and units; a flow in a run without it is
// a bug of the engine, not a row dropped.
TEST_F(Hdf5RecorderTest, FlowsTableOnlyWithRecordFlows) {
  const std::string file = path("flows.h5");
  {
    Hdf5Recorder rec(file);
    RunInfo info = make_info("with");
    info.record_flows = true;
    rec.begin_run(info);
    FlowRecord f;
    f.job = 7;
    f.purpose = TrafficPurpose::sync;
    f.src = 0;
    f.dst = 2;
    f.variant = 1;
    f.start_s = 10.5;
    f.end_s = 30.25;
    f.bytes = 2e9;
    f.moved_B = 2e9;
    rec.flow(f);
    f.job = 8;
    f.purpose = TrafficPurpose::stream;
    f.src = 2;
    f.from_storage = true;
    f.variant = 0;
    f.moved_B = 5e8;
    f.outcome = FlowOutcome::unfinished;
    rec.flow(f);
    rec.end_run(make_end());
    rec.begin_run(make_info("without"));
    EXPECT_THROW(rec.flow(f), std::logic_error);
    rec.end_run(make_end());
    rec.commit();
  }
  Hdf5Reader rd(file);
  const std::string t = "runs/with/flows";
  ASSERT_TRUE(rd.exists(t));
  EXPECT_FALSE(rd.exists("runs/without/flows"));
  EXPECT_EQ(rd.numbers(t, "job"), (std::vector<double>{7, 8}));
  EXPECT_EQ(rd.strings(t, "purpose"), (std::vector<std::string>{"sync", "stream"}));
  EXPECT_EQ(rd.strings(t, "src"), (std::vector<std::string>{"Beijing", "无锡"}));
  EXPECT_EQ(rd.strings(t, "dst"), (std::vector<std::string>{"无锡", "无锡"}));
  EXPECT_EQ(rd.numbers(t, "from_storage"), (std::vector<double>{0, 1}));
  EXPECT_EQ(rd.numbers(t, "variant"), (std::vector<double>{1, 0}));
  EXPECT_EQ(rd.numbers(t, "start_s"), (std::vector<double>{10.5, 10.5}));
  EXPECT_EQ(rd.numbers(t, "end_s"), (std::vector<double>{30.25, 30.25}));
  EXPECT_EQ(rd.numbers(t, "moved_B"), (std::vector<double>{2e9, 5e8}));
  EXPECT_EQ(rd.strings(t, "outcome"), (std::vector<std::string>{"completed", "unfinished"}));
  EXPECT_EQ(rd.attributes(t).at("units.moved_B"), "B");
  EXPECT_EQ(run_python(file), 0);
}

TEST_F(Hdf5RecorderTest, CopyRunMergesShards) {
  const std::string a = path("a.h5"), b = path("b.h5"), merged = path("merged.h5");
  {
    Hdf5Recorder rec(a);
    record_run(rec, "point-0000", 12, 2);
    rec.commit();
  }
  {
    Hdf5Recorder rec(b);
    record_run(rec, "point-0001", 9, 2);
    rec.commit();
  }
  copy_run(a, "point-0000", merged);
  copy_run(b, "point-0001", merged);
  EXPECT_THROW(copy_run(b, "point-0001", merged), UserError);
  EXPECT_THROW(copy_run(b, "nope", merged), UserError);
  Hdf5Reader rd(merged);
  EXPECT_EQ(rd.file_attributes().at("format_version"), run_format::kFormatVersion);
  EXPECT_EQ(rd.run_ids(), (std::vector<std::string>{"point-0000", "point-0001"}));
  EXPECT_EQ(rd.jobs("point-0001").size(), 9u);
  EXPECT_EQ(rd.run_attributes("point-0000").at("seed"), "18446744073709551615");
  EXPECT_EQ(run_python(merged), 0);
}

TEST_F(Hdf5RecorderTest, H5dumpReadsTheFile) {
  const std::string file = path("dump.h5");
  {
    Hdf5Recorder rec(file);
    record_run(rec, "r", 30, 3);
    rec.commit();
  }
  const std::string cmd = "h5dump -H '" + file + "' > /dev/null";
  EXPECT_EQ(std::system(cmd.c_str()), 0);
  const std::string cmd2 = "h5dump -d /runs/r/jobs '" + file + "' > /dev/null";
  EXPECT_EQ(std::system(cmd2.c_str()), 0);
}

TEST_F(Hdf5RecorderTest, PandasAgreesWithSummary) {
  const std::string file = path("pandas.h5");
  {
    Hdf5Recorder rec(file);
    record_run(rec, "run-0001", 1000, 10);
    rec.commit();
  }
  EXPECT_EQ(run_python(file), 0);
}

void expect_same_network(const NetworkInfo& got, const NetworkInfo& want) {
  EXPECT_EQ(got.topology_file, want.topology_file);
  ASSERT_EQ(got.cities.size(), want.cities.size());
  for (std::size_t i = 0; i < want.cities.size(); ++i) {
    const CityInfo &g = got.cities[i], &w = want.cities[i];
    EXPECT_EQ(g.name, w.name);
    EXPECT_EQ(g.name_zh, w.name_zh);
    EXPECT_EQ(g.province, w.province);
    EXPECT_EQ(g.lat_deg, w.lat_deg);
    EXPECT_EQ(g.lon_deg, w.lon_deg);
    EXPECT_EQ(g.grid, w.grid);
    // Written per kWh, read back per joule: equal to a few ulp.
    EXPECT_DOUBLE_EQ(g.carbon_kg_per_J, w.carbon_kg_per_J) << w.name;
    EXPECT_EQ(g.carbon_series, w.carbon_series);
    EXPECT_EQ(g.carbon_year, w.carbon_year);
    EXPECT_EQ(g.carbon_area, w.carbon_area);
    EXPECT_EQ(g.green_share, w.green_share);
    EXPECT_EQ(g.green_power, w.green_power);
    EXPECT_EQ(g.carbon_profile, w.carbon_profile);
    EXPECT_DOUBLE_EQ(g.price_CNY_per_J, w.price_CNY_per_J) << w.name;
    EXPECT_EQ(g.pue, w.pue);
    EXPECT_EQ(g.demand_weight, w.demand_weight);
    EXPECT_EQ(g.hub, w.hub);
    EXPECT_EQ(g.interconnect, w.interconnect);
  }
  ASSERT_EQ(got.pools.size(), want.pools.size());
  for (std::size_t i = 0; i < want.pools.size(); ++i) {
    const PoolInfo &g = got.pools[i], &w = want.pools[i];
    EXPECT_EQ(g.city, w.city);
    EXPECT_EQ(g.chip, w.chip);
    EXPECT_EQ(g.vendor, w.vendor);
    EXPECT_EQ(g.family, w.family);
    EXPECT_EQ(g.count, w.count);
    EXPECT_EQ(g.fp16_flops, w.fp16_flops);
    EXPECT_EQ(g.memory_B, w.memory_B);
    EXPECT_EQ(g.busy_W, w.busy_W);
    EXPECT_EQ(g.idle_W, w.idle_W);
    EXPECT_EQ(g.cuda, w.cuda);
  }
  ASSERT_EQ(got.links.size(), want.links.size());
  for (std::size_t i = 0; i < want.links.size(); ++i) {
    const LinkInfo &g = got.links[i], &w = want.links[i];
    EXPECT_EQ(g.name, w.name);
    EXPECT_EQ(g.a, w.a);
    EXPECT_EQ(g.b, w.b);
    EXPECT_EQ(g.carrier, w.carrier);
    EXPECT_EQ(g.bandwidth_Bps, w.bandwidth_Bps);
    EXPECT_EQ(g.latency_s, w.latency_s);
    EXPECT_EQ(g.length_m, w.length_m);
  }
}

TEST_F(Hdf5RecorderTest, NetworkTablesRoundTrip) {
  const std::string file = path("net.h5");
  {
    Hdf5Recorder rec(file);
    record_run(rec, "r", 5, 2);
    rec.commit();
  }
  Hdf5Reader rd(file);
  expect_same_network(rd.network("r"), make_network());
  // Per kWh in the file, as people quote prices, with units on every field.
  EXPECT_EQ(rd.numbers("runs/r/network/cities", "price_CNY_per_kWh")[0], 0.65);
  EXPECT_EQ(rd.strings("runs/r/network/cities", "name_zh")[2], "无锡");
  EXPECT_EQ(rd.strings("runs/r/network/pools", "name"),
            (std::vector<std::string>{"Beijing/A100", "无锡/Ascend910B", "Guiyang/H800"}));
  const auto ca = rd.attributes("runs/r/network/cities");
  EXPECT_EQ(ca.at("units.price_CNY_per_kWh"), "CNY/kWh");
  EXPECT_EQ(ca.at("units.lat_deg"), "deg");
  EXPECT_FALSE(ca.at("description.hub").empty());
  EXPECT_EQ(rd.attributes("runs/r/network/links").at("units"), ",,,,B/s,s,m");
  EXPECT_EQ(rd.attributes("runs/r/network").at("topology_file"), "topologies/test.graphml");
  EXPECT_EQ(run_python(file), 0);
}

TEST_F(Hdf5RecorderTest, NetworkOfAScenarioIsTheTopologyWithItsOverrides) {
  // A scenario that changes Guiyang's pools, price and PUE: the file carries
  // the network as simulated, not as the GraphML says.
  const std::string scen = path("overrides.lua");
  std::ofstream(scen) << "return { name = 'ovr', duration = '1h', topology = '" SUANWANG_SOURCE_DIR
                         "/topology/china.graphml',\n"
                         "  workload = { { kind = 'training', rate = '1/h' } },\n"
                         "  centers = { Guiyang = { pools = 'a800:10,ascend-910b:6', "
                         "price_factor = 0.5, pue = 1.4 } } }\n";
  const Scenario sc = load_scenario(scen);
  const RunInfo info = make_run_info(sc, "ovr", {{"centers.Guiyang.pue", "1.4"}});
  EXPECT_EQ(info.policy_name, "least_loaded");
  EXPECT_NE(info.policy_text.find("place"), std::string::npos);
  EXPECT_EQ(info.sweep_point.at("centers.Guiyang.pue"), "1.4");
  const NetworkInfo& n = info.network;
  const int gy = sc.topology.city_index("Guiyang");
  ASSERT_GE(gy, 0);
  EXPECT_EQ(n.cities.size(), sc.topology.cities.size());
  EXPECT_EQ(n.links.size(), sc.topology.links.size());
  EXPECT_EQ(n.cities[gy].pue, 1.4);
  const topo::Topology shipped = topo::load_topology(SUANWANG_SOURCE_DIR "/topology/china.graphml");
  EXPECT_DOUBLE_EQ(n.cities[gy].price_CNY_per_J, shipped.cities[gy].price_cny_per_J * 0.5);
  // Carbon as charged: Guizhou's provincial factor of the latest year, its green share.
  EXPECT_EQ(n.cities[gy].carbon_series, "province");
  EXPECT_EQ(n.cities[gy].carbon_area, "Guizhou");
  EXPECT_EQ(n.cities[gy].carbon_year, sc.topology.carbon_choice.year);
  EXPECT_DOUBLE_EQ(n.cities[gy].carbon_kg_per_J, sc.topology.cities[gy].grid_carbon_kg_per_J);
  EXPECT_DOUBLE_EQ(n.cities[gy].green_share, shipped.cities[gy].green_share);
  EXPECT_TRUE(n.cities[gy].green_power);
  EXPECT_EQ(n.cities[gy].carbon_profile, "");
  std::vector<std::string> guiyang;
  for (std::size_t p = 0; p < n.pools.size(); ++p)
    if (n.pools[p].city == gy)
      guiyang.push_back(n.pool_name(p) + ":" + std::to_string(n.pools[p].count));
  EXPECT_EQ(guiyang, (std::vector<std::string>{"Guiyang/a800:10", "Guiyang/ascend-910b:6"}));
  std::size_t topo_pools = 0;
  for (const auto& c : sc.topology.cities) topo_pools += c.pools.size();
  EXPECT_EQ(n.pools.size(), topo_pools);
  // Centers in city order, one per city with pools.
  const std::vector<int> centers = n.center_cities();
  ASSERT_FALSE(centers.empty());
  for (std::size_t c = 1; c < centers.size(); ++c) EXPECT_LT(centers[c - 1], centers[c]);

  const std::string file = path("ovr.h5");
  {
    Hdf5Recorder rec(file);
    rec.begin_run(info);
    rec.end_run(RunEnd{});
    rec.commit();
  }
  Hdf5Reader rd(file);
  expect_same_network(rd.network("ovr"), n);
  EXPECT_EQ(rd.children("runs/ovr/centers").size(), centers.size());
}

TEST_F(Hdf5RecorderTest, FailedRunHasTheAttributesOfARealRun) {
  const std::string real = path("real.h5"), failed = path("failed.h5");
  {
    Hdf5Recorder rec(real);
    record_run(rec, "p0001", 3, 1);
    rec.commit();
  }
  create_result_file(failed);
  write_failed_run(failed, make_info("p0001"), "failed: boom");
  EXPECT_THROW(write_failed_run(failed, make_info("p0001"), "failed: again"), UserError);
  Hdf5Reader a(real), b(failed);
  auto ra = a.run_attributes("p0001"), rb = b.run_attributes("p0001");
  EXPECT_EQ(rb.at("status"), "failed: boom");
  EXPECT_EQ(run_status(failed, "p0001"), "") << "not sealed: an unfinished file";
  seal(failed);
  EXPECT_EQ(run_status(failed, "p0001"), "failed: boom");
  EXPECT_EQ(run_status(failed, "nope"), "");
  EXPECT_EQ(run_status(path("missing.h5"), "p0001"), "");
  // Everything a run writes at its start; only end-of-run facts are missing.
  for (const char* end_only : {"wall_time_s", "simulated_s", "chip_seconds_available",
                               "busy_chip_seconds", "status"})
    ra.erase(end_only);
  rb.erase("status");
  EXPECT_EQ(ra, rb);
  EXPECT_EQ(b.children("runs/p0001"), std::vector<std::string>{});
  EXPECT_THROW(b.network("p0001"), UserError);
  EXPECT_EQ(b.file_attributes().at("format_version"), run_format::kFormatVersion);
}

}  // namespace
}  // namespace suanwang

namespace suanwang {
namespace {

// A reason longer than the fixed 256-byte column is cut at a UTF-8 boundary
// and marked, never rejected and never split inside a character.
TEST(Hdf5RecorderReason, LongReasonIsClippedAtACharacterBoundary) {
  const std::string file = "/tmp/suanwang_reason_" + std::to_string(::getpid()) + ".h5";
  std::string long_reason = "policies/x.lua:3: ";
  while (long_reason.size() < 400) long_reason += "算网";  // 3 bytes per character
  {
    Hdf5Options opt;
    opt.force = true;
    Hdf5Recorder rec(file, opt);
    rec.begin_run(make_info("r"));
    JobRecord j = make_job(1);
    j.status = JobStatus::rejected;
    j.reason = long_reason;
    rec.job(j);
    rec.end_run(make_end());
    rec.commit();
  }
  Hdf5Reader rd(file);
  const std::string got = rd.jobs("r").at(0).reason;
  EXPECT_LE(got.size(), 256u);
  ASSERT_GE(got.size(), 3u);
  EXPECT_EQ(got.substr(got.size() - 3), "...");
  const std::string body = got.substr(0, got.size() - 3);
  EXPECT_EQ(long_reason.rfind(body, 0), 0u) << "a prefix of the original";
  EXPECT_EQ((body.size() - std::string("policies/x.lua:3: ").size()) % 3, 0u) << "whole characters";
  std::remove(file.c_str());
}

}  // namespace
}  // namespace suanwang

namespace suanwang {
namespace {

// A policy's reject reason may hold any bytes (it is the policy's text); the
// file says UTF-8, and h5py/pandas fail on anything else (README's recipe
// `.str.decode("utf-8")`). Invalid bytes and NULs are stored as U+FFFD.
TEST(Hdf5RecorderReason, InvalidUtf8IsStoredAsValidUtf8) {
  const std::string file = "/tmp/suanwang_reason_utf8_" + std::to_string(::getpid()) + ".h5";
  const std::string raw = std::string("bad \xff\xfe byte, cut \xe7\xae, nul ") + '\0' + " end 算";
  {
    Hdf5Options opt;
    opt.force = true;
    Hdf5Recorder rec(file, opt);
    RunInfo info = make_info("r");
    info.scenario_text = "-- \xc0\xaf overlong";
    rec.begin_run(info);
    JobRecord j = make_job(1);
    j.status = JobStatus::rejected;
    j.reason = raw;
    rec.job(j);
    rec.end_run(make_end());
    rec.commit();
  }
  Hdf5Reader rd(file);
  const std::string got = rd.jobs("r").at(0).reason;
  EXPECT_EQ(got, "bad \xEF\xBF\xBD\xEF\xBF\xBD byte, cut \xEF\xBF\xBD\xEF\xBF\xBD, nul \xEF\xBF\xBD end 算");
  EXPECT_EQ(rd.run_attributes("r").at("scenario_text"), "-- \xEF\xBF\xBD\xEF\xBF\xBD overlong");
  std::remove(file.c_str());
}

}  // namespace
}  // namespace suanwang

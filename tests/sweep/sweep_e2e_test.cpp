// End to end: the real suanwang binary sweeping tests/sweep/data/*.lua.
// Files are compared with tests/sweep/compare_runs.py (h5py, /usr/bin/python3).
#include <gtest/gtest.h>

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>

#include "sim/record/hdf5_reader.hpp"

namespace fs = std::filesystem;

namespace {

const std::string kBin = SUANWANG_BINARY;
const std::string kData = std::string(SUANWANG_SOURCE_DIR) + "/tests/sweep/data";
const std::string kCompare =
    "/usr/bin/python3 " + std::string(SUANWANG_SOURCE_DIR) + "/tests/sweep/compare_runs.py";

// A fresh folder for one test.
std::string workdir(const std::string& name) {
  const fs::path d = fs::path(SUANWANG_BUILD_DIR) / "sweep_e2e" / name;
  fs::remove_all(d);
  fs::create_directories(d);
  return d.string();
}

// Runs a shell command; returns its exit code, stderr in *err.
int sh(const std::string& cmd, std::string* err = nullptr) {
  const std::string errfile = fs::temp_directory_path() / ("sweep_e2e_err_" + std::to_string(::getpid()));
  const int st = std::system((cmd + " 2>" + errfile).c_str());
  std::ifstream in(errfile);
  std::stringstream ss;
  ss << in.rdbuf();
  if (err) *err = ss.str();
  fs::remove(errfile);
  return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

std::string sweep(const std::string& file, const std::string& args) {
  return kBin + " sweep " + kData + "/" + file + " " + args + " >/dev/null";
}

}  // namespace

TEST(SweepE2E, SameResultsWithOneAndTwoWorkers) {
  const std::string d = workdir("j1_j2");
  ASSERT_EQ(sh(sweep("tiny_sweep.lua", "-j 1 -o " + d + "/j1.h5")), 0);
  ASSERT_EQ(sh(sweep("tiny_sweep.lua", "-j 2 -o " + d + "/j2.h5")), 0);
  std::string err;
  EXPECT_EQ(sh(kCompare + " " + d + "/j1.h5 " + d + "/j2.h5", &err), 0) << err;

  suanwang::Hdf5Reader r(d + "/j2.h5");
  EXPECT_EQ(r.run_ids(), (std::vector<std::string>{"p0000", "p0001", "p0002", "p0003"}));
  EXPECT_EQ(r.run_attributes("p0001").at("sweep.policy"), "least_loaded");
  EXPECT_EQ(r.run_attributes("p0001").at("sweep.seed"), "6");
  EXPECT_EQ(r.run_attributes("p0001").at("seed"), "6");
  EXPECT_EQ(r.run_attributes("p0002").at("policy_name"), "nearest");
  EXPECT_EQ(r.run_attributes("p0003").at("status"), "completed");
  EXPECT_EQ(r.shape("sweep_summary"), (std::vector<std::uint64_t>{2}));
  EXPECT_EQ(r.strings("sweep_summary", "policy"),
            (std::vector<std::string>{"least_loaded", "nearest"}));
  EXPECT_EQ(r.numbers("sweep_summary", "completed"), (std::vector<double>{2, 2}));
  const auto a = r.attributes("sweep");
  EXPECT_EQ(a.at("points_total"), "4");
  EXPECT_EQ(a.at("points_failed"), "0");
  EXPECT_EQ(a.at("replications"), "2");
  EXPECT_EQ(a.at("scenario_name"), "tiny_sweep");
  EXPECT_EQ(a.at("axes"), "policy");
  EXPECT_EQ(r.attributes("sweep_summary").at("units.mean_wait_s_mean"), "s");
  // The mean over the group equals the mean of the two runs' summaries.
  const double w0 = r.summary("p0000").at("mean_wait_s"), w1 = r.summary("p0001").at("mean_wait_s");
  EXPECT_NEAR(r.numbers("sweep_summary", "mean_wait_s_mean")[0], (w0 + w1) / 2, 1e-12);
  EXPECT_FALSE(fs::exists(d + "/j2.h5.parts"));
}

TEST(SweepE2E, ListPrintsPoints) {
  const std::string d = workdir("list");
  ASSERT_EQ(sh(kBin + " sweep " + kData + "/tiny_sweep.lua --list --shard 2/2 > " + d + "/list.txt"), 0);
  std::ifstream in(d + "/list.txt");
  std::stringstream ss;
  ss << in.rdbuf();
  EXPECT_EQ(ss.str(), "p0001  policy=least_loaded seed=6\np0003  policy=nearest seed=6\n");
}

TEST(SweepE2E, ExistingOutputNeedsForceOrResume) {
  const std::string d = workdir("exists");
  { std::ofstream(d + "/out.h5") << "x"; }
  std::string err;
  EXPECT_EQ(sh(sweep("tiny_sweep.lua", "-o " + d + "/out.h5"), &err), 2);
  EXPECT_NE(err.find("exists"), std::string::npos) << err;
}

TEST(SweepE2E, ResumeAfterKillingTheParent) {
  const std::string d = workdir("resume");
  ASSERT_EQ(sh(sweep("tiny_sweep.lua", "-j 1 --quiet -o " + d + "/ref.h5")), 0);
  const std::string out = d + "/out.h5";
  const pid_t pid = ::fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    ::execl(kBin.c_str(), kBin.c_str(), "sweep", (kData + "/tiny_sweep.lua").c_str(), "-j", "1",
            "--quiet", "-o", out.c_str(), static_cast<char*>(nullptr));
    ::_exit(127);
  }
  // Kill the parent once the first point is persisted.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (!fs::exists(out + ".parts/p0000.h5") && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  ASSERT_TRUE(fs::exists(out + ".parts/p0000.h5"));
  ::kill(pid, SIGKILL);
  int st = 0;
  ::waitpid(pid, &st, 0);
  ASSERT_TRUE(WIFSIGNALED(st));
  EXPECT_FALSE(fs::exists(out));  // never looks whole when it is not

  std::string err;
  // A plain rerun refuses the leftover parts folder.
  EXPECT_EQ(sh(sweep("tiny_sweep.lua", "-j 2 -o " + out), &err), 2);
  EXPECT_NE(err.find("--resume"), std::string::npos) << err;
  ASSERT_EQ(sh(sweep("tiny_sweep.lua", "-j 2 --resume -o " + out), &err), 0) << err;
  EXPECT_NE(err.find("already done"), std::string::npos) << err;
  EXPECT_FALSE(fs::exists(out + ".parts"));
  suanwang::Hdf5Reader r(out);
  EXPECT_EQ(r.run_ids(), (std::vector<std::string>{"p0000", "p0001", "p0002", "p0003"}));
  EXPECT_EQ(sh(kCompare + " " + d + "/ref.h5 " + out, &err), 0) << err;

  // Resuming a finished sweep runs nothing and changes no result.
  ASSERT_EQ(sh(sweep("tiny_sweep.lua", "--resume -o " + out), &err), 0) << err;
  EXPECT_NE(err.find("4 already done"), std::string::npos) << err;
  EXPECT_EQ(sh(kCompare + " " + d + "/ref.h5 " + out, &err), 0) << err;
}

TEST(SweepE2E, FailingPointIsRecordedAndOthersComplete) {
  const std::string d = workdir("failing");
  const std::string out = d + "/out.h5";
  std::string err;
  EXPECT_EQ(sh(sweep("failing_sweep.lua", "-j 2 -o " + out), &err), 1) << err;
  suanwang::Hdf5Reader r(out);
  ASSERT_EQ(r.run_ids(), (std::vector<std::string>{"p0000", "p0001"}));
  EXPECT_EQ(r.run_attributes("p0000").at("status"), "completed");
  const std::string st = r.run_attributes("p0001").at("status");
  EXPECT_EQ(st.rfind("failed: ", 0), 0u) << st;
  EXPECT_NE(st.find("boom"), std::string::npos) << st;
  // The failed point records what its own run would have: its policy (not
  // the base scenario's least_loaded), its text, parameters, seed, horizon.
  auto failed = r.run_attributes("p0001");
  auto done = r.run_attributes("p0000");
  EXPECT_EQ(failed.at("sweep.policy"), "picky.lua");
  EXPECT_EQ(failed.at("policy_name"), "picky");
  EXPECT_NE(failed.at("policy_text").find("boom"), std::string::npos);
  EXPECT_EQ(done.at("policy_name"), "least_loaded");
  EXPECT_EQ(failed.at("seed"), "9");
  EXPECT_EQ(std::stod(failed.at("duration_s")), 3 * 3600.0);
  EXPECT_EQ(failed.at("scenario_text"), done.at("scenario_text"));
  for (const char* end_only : {"wall_time_s", "simulated_s", "chip_seconds_available",
                               "busy_chip_seconds", "status", "policy_name", "policy_text",
                               "sweep.policy", "param.policy", "param.policy_name"}) {
    failed.erase(end_only);
    done.erase(end_only);
  }
  EXPECT_EQ(failed, done);  // every other attribute, param.* included
  EXPECT_TRUE(r.children("runs/p0001").empty());
  EXPECT_EQ(r.attributes("sweep").at("points_failed"), "1");
  EXPECT_EQ(r.numbers("sweep_summary", "failed"), (std::vector<double>{0, 1}));

  // --resume keeps the completed point and retries only the failed one.
  EXPECT_EQ(sh(sweep("failing_sweep.lua", "--resume -o " + out), &err), 1) << err;
  EXPECT_NE(err.find("1 already done"), std::string::npos) << err;
  EXPECT_NE(err.find("running 1 points"), std::string::npos) << err;
}

TEST(SweepE2E, PointTimeout) {
  const std::string d = workdir("timeout");
  std::string err;
  EXPECT_EQ(sh(sweep("tiny_sweep.lua", "-j 2 --point-timeout 0.001 -o " + d + "/out.h5"), &err), 1);
  suanwang::Hdf5Reader r(d + "/out.h5");
  for (const auto& id : r.run_ids())
    EXPECT_EQ(r.run_attributes(id).at("status"), "failed: timeout after 0.001s");
}

TEST(SweepE2E, ShardsMergedEqualTheFullSweep) {
  const std::string d = workdir("shards");
  ASSERT_EQ(sh(sweep("tiny_sweep.lua", "-j 2 --quiet -o " + d + "/full.h5")), 0);
  ASSERT_EQ(sh(sweep("tiny_sweep.lua", "--shard 1/2 -j 1 --quiet -o " + d + "/shard-1.h5")), 0);
  ASSERT_EQ(sh(sweep("tiny_sweep.lua", "--shard 2/2 -j 1 --quiet -o " + d + "/shard-2.h5")), 0);
  {
    suanwang::Hdf5Reader s1(d + "/shard-1.h5");
    EXPECT_EQ(s1.run_ids(), (std::vector<std::string>{"p0000", "p0002"}));
    EXPECT_EQ(s1.attributes("sweep").at("shard"), "1/2");
  }
  std::string err;
  // Shards in any order give the same file.
  ASSERT_EQ(sh(kBin + " merge --quiet -o " + d + "/all.h5 " + d + "/shard-2.h5 " + d + "/shard-1.h5",
               &err), 0) << err;
  EXPECT_EQ(sh(kCompare + " --ignore shard " + d + "/full.h5 " + d + "/all.h5", &err), 0) << err;
  // A missing shard: merged, but exit 1.
  EXPECT_EQ(sh(kBin + " merge --quiet -o " + d + "/half.h5 " + d + "/shard-1.h5", &err), 1);
  EXPECT_NE(err.find("2 of 4 missing"), std::string::npos) << err;
  // Existing output without --force.
  EXPECT_EQ(sh(kBin + " merge --quiet -o " + d + "/all.h5 " + d + "/shard-1.h5", &err), 2);
}

TEST(SweepE2E, MergeRefusesMismatchedScenariosAndOverlaps) {
  const std::string d = workdir("merge_refuse");
  ASSERT_EQ(sh(sweep("tiny_sweep.lua", "--shard 1/2 --quiet -o " + d + "/a1.h5")), 0);
  ASSERT_EQ(sh(sweep("tiny_sweep.lua", "--shard 2/2 --quiet --set duration=5h -o " + d + "/b2.h5")), 0);
  ASSERT_EQ(sh(sweep("tiny_sweep.lua", "--quiet -o " + d + "/full.h5")), 0);
  std::string err;
  EXPECT_EQ(sh(kBin + " merge -o " + d + "/x.h5 " + d + "/a1.h5 " + d + "/b2.h5", &err), 2);
  EXPECT_NE(err.find("different sweep"), std::string::npos) << err;
  EXPECT_EQ(std::count(err.begin(), err.end(), '\n'), 1) << err;
  EXPECT_EQ(sh(kBin + " merge -o " + d + "/x.h5 " + d + "/a1.h5 " + d + "/full.h5", &err), 2);
  EXPECT_NE(err.find("overlapping"), std::string::npos) << err;
  EXPECT_EQ(std::count(err.begin(), err.end(), '\n'), 1) << err;
  EXPECT_FALSE(fs::exists(d + "/x.h5"));
}

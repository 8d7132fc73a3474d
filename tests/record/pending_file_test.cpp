// PendingFile: the temporary name, commit by rename, removal on destruction,
// the registry of live temporaries.
#include "sim/record/pending_file.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

namespace suanwang {
namespace {

namespace fs = std::filesystem;

fs::path fresh_dir(const std::string& name) {
  const fs::path d = fs::temp_directory_path() / ("suanwang-pending-" + name + "-" + std::to_string(::getpid()));
  fs::remove_all(d);
  fs::create_directories(d);
  return d;
}

bool live(const std::string& path) {
  const auto v = PendingFile::live_temp_paths();
  return std::find(v.begin(), v.end(), path) != v.end();
}

TEST(PendingFile, CommitRenamesOntoTheTarget) {
  const fs::path d = fresh_dir("commit");
  const std::string target = (d / "out.h5").string();
  { std::ofstream(target) << "old"; }
  {
    PendingFile f(target);
    EXPECT_EQ(f.path(), target + ".tmp-" + std::to_string(::getpid()));
    EXPECT_EQ(f.path(), PendingFile::temp_path_for(target));
    EXPECT_TRUE(live(f.path()));
    { std::ofstream(f.path()) << "new"; }
    f.commit();
    EXPECT_TRUE(f.committed());
    EXPECT_FALSE(live(f.path()));
  }
  std::ifstream in(target);
  std::string text;
  std::getline(in, text);
  EXPECT_EQ(text, "new");
  EXPECT_EQ(std::distance(fs::directory_iterator(d), fs::directory_iterator{}), 1);
  fs::remove_all(d);
}

TEST(PendingFile, DestructorRemovesAnUncommittedTemporary) {
  const fs::path d = fresh_dir("drop");
  const std::string target = (d / "out.h5").string();
  std::string temp;
  {
    PendingFile f(target);
    temp = f.path();
    { std::ofstream(temp) << "half"; }
  }
  EXPECT_FALSE(fs::exists(temp));
  EXPECT_FALSE(fs::exists(target));
  EXPECT_FALSE(live(temp));
  fs::remove_all(d);
}

TEST(PendingFile, StaleTemporaryOfThisPidIsReplaced) {
  const fs::path d = fresh_dir("stale");
  const std::string target = (d / "out.h5").string();
  { std::ofstream(PendingFile::temp_path_for(target)) << "stale"; }
  PendingFile f(target);
  EXPECT_FALSE(fs::exists(f.path()));
  fs::remove_all(d);
}

TEST(PendingFile, CommitIntoAMissingFolderThrowsAndCleansUp) {
  const fs::path d = fresh_dir("missing");
  std::string temp;
  {
    PendingFile f((d / "no" / "out.h5").string());  // the folder "no" does not exist
    temp = f.path();
    EXPECT_THROW(f.commit(), std::runtime_error);   // nothing written at path()
    EXPECT_FALSE(f.committed());
    EXPECT_TRUE(live(temp));
  }
  EXPECT_FALSE(live(temp));
  fs::remove_all(d);
}

TEST(PendingFile, TempNames) {
  EXPECT_TRUE(PendingFile::is_temp_name("out.h5.tmp-123"));
  EXPECT_TRUE(PendingFile::is_temp_name("/a/b/p0001.h5.tmp-9"));
  EXPECT_TRUE(PendingFile::is_temp_name(PendingFile::temp_path_for("/x/y.h5")));
  EXPECT_FALSE(PendingFile::is_temp_name("out.h5"));
  EXPECT_FALSE(PendingFile::is_temp_name("out.h5.tmp-"));
  EXPECT_FALSE(PendingFile::is_temp_name("out.h5.tmp-12a"));
  EXPECT_FALSE(PendingFile::is_temp_name(".tmp-12"));
  EXPECT_FALSE(PendingFile::is_temp_name("p0001.stderr"));
}

}  // namespace
}  // namespace suanwang

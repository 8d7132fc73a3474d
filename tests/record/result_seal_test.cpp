// The seal of a result file: written at commit, checked before HDF5 reads a
// file suanwang did not just write (merge inputs, a sweep being resumed).
#include "sim/record/result_seal.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

#include "sim/core/user_error.hpp"
#include "sim/record/hdf5_reader.hpp"
#include "sim/record/hdf5_recorder.hpp"
#include "sim/record/result_file.hpp"

namespace suanwang {
namespace {

namespace fs = std::filesystem;

class ResultSeal : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    dir_ = fs::temp_directory_path() / ("suanwang-seal-" + std::string(info->name()) + "-" +
                                        std::to_string(::getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    file_ = (dir_ / "r.h5").string();
    create_result_file(file_);
    seal(file_);
    bytes_ = read_all(file_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  static std::string read_all(const std::string& p) {
    std::ifstream in(p, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), {}};
  }
  std::string write(const std::string& name, const std::string& bytes) const {
    const std::string p = (dir_ / name).string();
    std::ofstream(p, std::ios::binary) << bytes;
    return p;
  }
  static std::string error_of(const std::string& p) {
    try {
      verify_seal(p);
    } catch (const UserError& e) {
      return e.what();
    }
    return "";
  }

  fs::path dir_;
  std::string file_, bytes_;
};

TEST_F(ResultSeal, ASealedFileVerifiesAndReadsAsHdf5) {
  EXPECT_EQ(bytes_.rfind("suanwang result file; crc32 ", 0), 0u);
  EXPECT_EQ(error_of(file_), "");
  EXPECT_TRUE(looks_like_result_file(file_));
  EXPECT_TRUE(Hdf5Reader(file_).run_ids().empty());  // HDF5 skips the block
}

TEST_F(ResultSeal, EveryFlippedBitIsRefused) {
  // A bit in the block, in the superblock, in metadata, and the last byte.
  for (std::size_t at : {std::size_t{5}, kSealBytes, kSealBytes + 40, bytes_.size() / 2, bytes_.size() - 1}) {
    std::string d = bytes_;
    d[at] = static_cast<char>(d[at] ^ 0x10);
    const std::string p = write("flip.h5", d);
    const std::string e = error_of(p);
    EXPECT_EQ(e.rfind(p + ": ", 0), 0u) << "byte " << at << ": " << e;
    EXPECT_NE(e, "") << "byte " << at;
  }
}

TEST_F(ResultSeal, ACutOrGrownFileIsRefused) {
  EXPECT_NE(error_of(write("cut.h5", bytes_.substr(0, bytes_.size() - 100))).find("is corrupt"),
            std::string::npos);
  EXPECT_NE(error_of(write("tiny.h5", bytes_.substr(0, 100))).find("cut short"), std::string::npos);
  EXPECT_NE(error_of(write("grown.h5", bytes_ + "x")).find("is corrupt"), std::string::npos);
}

TEST_F(ResultSeal, OtherFilesAreNotResults) {
  const std::string p = write("notes.txt", "hello\n");
  EXPECT_NE(error_of(p).find("is not a suanwang result file"), std::string::npos);
  EXPECT_FALSE(looks_like_result_file(p));
  EXPECT_NE(error_of((dir_ / "missing.h5").string()).find("cannot open"), std::string::npos);
}

// Format 1.4 and earlier: the HDF5 signature at byte 0, no seal to check.
TEST_F(ResultSeal, AnUnsealedOlderFileIsReadUnverified) {
  const std::string p = write("old.h5", bytes_.substr(kSealBytes));
  EXPECT_EQ(error_of(p), "");
  EXPECT_TRUE(looks_like_result_file(p));
  EXPECT_TRUE(Hdf5Reader(p).run_ids().empty());
}

// Every way a result file becomes visible seals it.
TEST_F(ResultSeal, TheRecorderSealsItsFile) {
  const std::string p = (dir_ / "run.h5").string();
  {
    Hdf5Recorder rec(p);
    rec.commit();
  }
  EXPECT_EQ(read_all(p).rfind("suanwang result file; crc32 ", 0), 0u);
  EXPECT_EQ(error_of(p), "");
}

}  // namespace
}  // namespace suanwang

#include "sim/record/pending_file.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <mutex>
#include <set>
#include <stdexcept>
#include <system_error>

#include "sim/core/hard_stop.hpp"
#include "sim/core/user_error.hpp"
#include "sim/record/result_seal.hpp"

namespace suanwang {

namespace {

constexpr const char* kTempInfix = ".tmp-";

// Never destroyed: a hard stop may read them while static destructors run.
std::mutex& registry_mutex() {
  static auto* m = new std::mutex;
  return *m;
}
std::set<std::string>& registry() {
  static auto* live = new std::set<std::string>;
  return *live;
}

// A hard stop (a signal, a watchdog limit) removes every live temporary.
// Registered when the program starts, so it runs first whenever a stop
// comes; on the stopping thread.
void remove_live_temps() {
  for (const std::string& p : PendingFile::live_temp_paths()) ::unlink(p.c_str());
}
const int g_remove_live_temps = at_hard_stop(remove_live_temps);

// Once a stop has begun, no new temporary may start: the thread asking
// waits here for the process to end (a sweep's main thread, finding its
// workers killed by the stop, used to create the gathered file after the
// cleanup had run, and leave it).
void enroll(const std::string& path) {
  std::unique_lock<std::mutex> lk(registry_mutex());
  if (hard_stop_begun()) {
    lk.unlock();
    for (;;) ::pause();
  }
  registry().insert(path);
}
void withdraw(const std::string& path) {
  std::lock_guard<std::mutex> lk(registry_mutex());
  registry().erase(path);
}

}  // namespace

void PendingFile::check_target(const std::string& target, bool force) {
  namespace fs = std::filesystem;
  if (target.empty()) throw UserError("", "output", "empty file name");
  const fs::path p(target);
  const std::string name = p.filename().string();
  if (name.empty() || name == "." || name == "..")
    throw UserError(target, "", "is a folder (expected a file name, e.g. out.h5)");
  // NAME_MAX is 255 on every file system we run on; the temporary adds ".tmp-<pid>".
  if (name.size() + std::string(kTempInfix).size() + 10 > 255)
    throw UserError(target, "", "file name too long (at most 240 bytes)");
  std::error_code ec;
  const fs::path dir = p.has_parent_path() ? p.parent_path() : fs::path(".");
  if (!fs::is_directory(dir, ec)) throw UserError(target, "", "folder " + dir.string() + " does not exist");
  struct stat st;
  if (::lstat(target.c_str(), &st) != 0) {
    if (errno == ENOENT) return;  // a new file
    throw UserError(target, "", std::string("cannot be checked: ") + std::strerror(errno));
  }
  if (!force) throw UserError(target, "", "exists (use --force to overwrite)");
  const char* kind = S_ISLNK(st.st_mode)  ? "a symbolic link"
                     : S_ISDIR(st.st_mode) ? "a folder"
                     : S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode) ? "a device"
                     : S_ISFIFO(st.st_mode) ? "a FIFO"
                     : S_ISSOCK(st.st_mode) ? "a socket"
                     : !S_ISREG(st.st_mode) ? "not a regular file"
                                            : nullptr;
  if (kind != nullptr)
    throw UserError(target, "", std::string("is ") + kind + "; --force replaces only result files");
  if (!looks_like_result_file(target))
    throw UserError(target, "", "exists and is not a suanwang result file (or its first bytes are "
                                "damaged); --force replaces only result files (remove it yourself if "
                                "you mean it)");
}

std::string PendingFile::temp_path_for(const std::string& target) {
  return target + kTempInfix + std::to_string(::getpid());
}

std::string PendingFile::shown_name(const std::string& path) {
  const std::string suffix = kTempInfix + std::to_string(::getpid());
  if (path.size() > suffix.size() && path.compare(path.size() - suffix.size(), suffix.size(), suffix) == 0)
    return path.substr(0, path.size() - suffix.size());
  return path;
}

bool PendingFile::is_temp_name(const std::string& filename) {
  const std::string name = std::filesystem::path(filename).filename().string();
  const std::size_t at = name.rfind(kTempInfix);
  if (at == std::string::npos || at == 0) return false;
  const std::size_t digits = at + std::string(kTempInfix).size();
  if (digits == name.size()) return false;
  for (std::size_t i = digits; i < name.size(); ++i)
    if (name[i] < '0' || name[i] > '9') return false;
  return true;
}

std::vector<std::string> PendingFile::live_temp_paths() {
  std::lock_guard<std::mutex> lk(registry_mutex());
  return {registry().begin(), registry().end()};
}

PendingFile::PendingFile(std::string target)
    : target_(std::move(target)), temp_(temp_path_for(target_)) {
  std::error_code ec;
  std::filesystem::remove(temp_, ec);  // a stale one of a recycled pid
  enroll(temp_);
}

PendingFile::~PendingFile() {
  if (!committed_) {
    std::error_code ec;
    std::filesystem::remove(temp_, ec);
  }
  withdraw(temp_);
}

void PendingFile::commit() {
  // Not while a hard stop removes temporaries: either the rename happens
  // first, or it never does.
  CommitGuard guard;
  if (guard.stopping()) throw std::runtime_error(target_ + ": not written (the process is stopping)");
  std::error_code ec;
  std::filesystem::rename(temp_, target_, ec);
  if (ec) throw UserError(target_, "", "cannot rename " + temp_ + " onto it: " + ec.message());
  committed_ = true;
  withdraw(temp_);
}

}  // namespace suanwang

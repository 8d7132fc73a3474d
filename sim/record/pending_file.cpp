#include "sim/record/pending_file.hpp"

#include <unistd.h>

#include <filesystem>
#include <mutex>
#include <set>
#include <stdexcept>
#include <system_error>

#include "sim/core/hard_stop.hpp"

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
// Registered once, on the first enrolment; runs on the stopping thread.
void remove_live_temps() {
  for (const std::string& p : PendingFile::live_temp_paths()) ::unlink(p.c_str());
}

void enroll(const std::string& path) {
  static const int cleanup = at_hard_stop(remove_live_temps);
  (void)cleanup;
  std::lock_guard<std::mutex> lk(registry_mutex());
  registry().insert(path);
}
void withdraw(const std::string& path) {
  std::lock_guard<std::mutex> lk(registry_mutex());
  registry().erase(path);
}

}  // namespace

std::string PendingFile::temp_path_for(const std::string& target) {
  return target + kTempInfix + std::to_string(::getpid());
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
  if (ec) throw std::runtime_error(target_ + ": cannot rename " + temp_ + ": " + ec.message());
  committed_ = true;
  withdraw(temp_);
}

}  // namespace suanwang

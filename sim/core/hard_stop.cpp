#include "sim/core/hard_stop.hpp"

#include <pthread.h>
#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <cstring>
#include <map>
#include <thread>

#include "sim/core/text.hpp"

namespace suanwang {

namespace {

// Never destroyed: a stop may come from any thread while static destructors
// of the main thread already run.
struct Registry {
  std::mutex mutex;                       // guards cleanups and next_id
  std::map<int, std::function<void()>> cleanups;
  int next_id = 1;
  std::mutex commit;                      // held by CommitGuard and by a stop
  std::atomic<bool> begun{false};
};

Registry& registry() {
  static Registry* r = new Registry;
  return *r;
}

thread_local bool t_stopping = false;

// Runs every cleanup once, on the stopping thread; exceptions are dropped
// (the process ends next whatever they do).
void run_cleanups() {
  Registry& r = registry();
  std::map<int, std::function<void()>> copy;
  {
    std::lock_guard<std::mutex> lk(r.mutex);
    copy = r.cleanups;
  }
  for (auto& [id, fn] : copy) {
    try {
      fn();
    } catch (...) {
    }
  }
}

// The first stop wins; a later one (another thread) waits for the process to
// end, a nested one (a cleanup failing on the stopping thread) ends it now.
void begin_stop(int exit_code) {
  if (t_stopping) ::_exit(exit_code);
  t_stopping = true;
  Registry& r = registry();
  if (r.begun.exchange(true)) {
    for (;;) ::pause();
  }
  r.commit.lock();  // never released: the process ends
}

const char* signal_text(int sig) {
  switch (sig) {
    case SIGTERM: return "SIGTERM";
    case SIGINT: return "SIGINT";
    case SIGHUP: return "SIGHUP";
    default: return "a signal";
  }
}

}  // namespace

void hard_stop(const std::string& message, int exit_code) {
  begin_stop(exit_code);
  std::fprintf(stderr, "suanwang: %s\n", text::one_line(message).c_str());
  std::fflush(stderr);
  run_cleanups();
  ::_exit(exit_code);
}

int at_hard_stop(std::function<void()> cleanup) {
  Registry& r = registry();
  std::lock_guard<std::mutex> lk(r.mutex);
  const int id = r.next_id++;
  r.cleanups.emplace(id, std::move(cleanup));
  return id;
}

void withdraw_hard_stop(int id) {
  Registry& r = registry();
  std::lock_guard<std::mutex> lk(r.mutex);
  r.cleanups.erase(id);
}

bool hard_stop_begun() { return registry().begun.load(); }

CommitGuard::CommitGuard() { registry().commit.lock(); }
CommitGuard::~CommitGuard() { registry().commit.unlock(); }
bool CommitGuard::stopping() const { return registry().begun.load(); }

void install_signal_cleanup() {
  static std::once_flag once;
  std::call_once(once, [] {
    sigset_t set;
    sigemptyset(&set);
    for (int sig : {SIGTERM, SIGINT, SIGHUP}) sigaddset(&set, sig);
    // Blocked here, so in every thread started later; the waiter takes them.
    pthread_sigmask(SIG_BLOCK, &set, nullptr);
    // A file-size limit (ulimit -f) makes a write fail with EFBIG, reported
    // like a full disk, instead of killing the process with a temporary left.
    ::signal(SIGXFSZ, SIG_IGN);
    std::thread([set] {
      int sig = 0;
      while (sigwait(&set, &sig) != 0) {
      }
      begin_stop(128 + sig);
      std::fprintf(stderr, "suanwang: stopped by %s\n", signal_text(sig));
      std::fflush(stderr);
      run_cleanups();
      // End by the signal itself, so a parent (a shell, a sweep, Slurm) sees it.
      ::signal(sig, SIG_DFL);
      sigset_t one;
      sigemptyset(&one);
      sigaddset(&one, sig);
      pthread_sigmask(SIG_UNBLOCK, &one, nullptr);
      pthread_kill(pthread_self(), sig);
      ::_exit(128 + sig);
    }).detach();
  });
}

}  // namespace suanwang

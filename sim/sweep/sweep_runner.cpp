#include "sim/sweep/sweep_runner.hpp"

#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <sys/file.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <set>
#include <stdexcept>
#include <thread>

#include <tbb/global_control.h>
#include <tbb/task_arena.h>
#include <tbb/task_group.h>

#include "sim/core/hard_stop.hpp"
#include "sim/core/user_error.hpp"
#include "sim/record/hdf5_reader.hpp"
#include "sim/record/pending_file.hpp"
#include "sim/record/result_file.hpp"
#include "sim/record/result_seal.hpp"
#include "sim/record/run_format.hpp"
#include "sim/record/run_info.hpp"

namespace suanwang::sweep {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

int available_cpus() {
  cpu_set_t set;
  CPU_ZERO(&set);
  if (sched_getaffinity(0, sizeof set, &set) == 0) {
    const int n = CPU_COUNT(&set);
    if (n > 0) return n;
  }
  const unsigned h = std::thread::hardware_concurrency();
  return h > 0 ? static_cast<int>(h) : 1;
}

namespace {

double seconds_since(Clock::time_point t0) {
  return std::chrono::duration<double>(Clock::now() - t0).count();
}

std::string clock_text(double s) {
  if (s < 0) s = 0;
  const long t = static_cast<long>(s + 0.5);
  char buf[32];
  if (t >= 3600)
    std::snprintf(buf, sizeof buf, "%ld:%02ld:%02ld", t / 3600, (t / 60) % 60, t % 60);
  else
    std::snprintf(buf, sizeof buf, "%02ld:%02ld", t / 60, t % 60);
  return buf;
}

std::string duration_text(double s) {
  if (s >= 60) return clock_text(s);
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f s", s);
  return buf;
}

std::string num_text(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", v);
  return buf;
}

const char* signal_name(int sig) {
  switch (sig) {
    case SIGSEGV: return "SIGSEGV";
    case SIGABRT: return "SIGABRT";
    case SIGKILL: return "SIGKILL";
    case SIGTERM: return "SIGTERM";
    case SIGINT: return "SIGINT";
    case SIGBUS: return "SIGBUS";
    case SIGFPE: return "SIGFPE";
    case SIGILL: return "SIGILL";
    case SIGHUP: return "SIGHUP";
    case SIGPIPE: return "SIGPIPE";
    default: return "signal";
  }
}

// First non-empty line of a file, without a leading "suanwang: ".
std::string first_line(const std::string& path) {
  std::ifstream in(path);
  std::string line;
  while (std::getline(in, line)) {
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.pop_back();
    if (line.empty()) continue;
    static const std::string prefix = "suanwang: ";
    if (line.rfind(prefix, 0) == 0) line = line.substr(prefix.size());
    if (line.size() > 400) line = line.substr(0, 400) + "...";
    return line;
  }
  return "";
}

std::string self_exe() {
  std::error_code ec;
  fs::path p = fs::read_symlink("/proc/self/exe", ec);
  return ec ? std::string("/proc/self/exe") : p.string();
}

// Workers running now (their process groups). When the sweep itself is
// stopped (SIGTERM, SIGINT, --max-wall), they are asked to stop the same way,
// so each removes its own temporary file, and given two seconds to do it.
std::mutex& children_mutex() {
  static auto* m = new std::mutex;
  return *m;
}
std::set<pid_t>& children() {
  static auto* c = new std::set<pid_t>;
  return *c;
}

void stop_children() {
  std::set<pid_t> live;
  {
    std::lock_guard<std::mutex> lk(children_mutex());
    live = children();
  }
  for (pid_t pid : live) ::kill(-pid, SIGTERM);
  const auto deadline = Clock::now() + std::chrono::seconds(2);
  for (pid_t pid : live) {
    int st = 0;
    while (::waitpid(pid, &st, WNOHANG) == 0 && Clock::now() < deadline)
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    ::kill(-pid, SIGKILL);
  }
}

void track_child(pid_t pid, bool live) {
  static const int cleanup = at_hard_stop(stop_children);
  (void)cleanup;
  std::lock_guard<std::mutex> lk(children_mutex());
  if (live) children().insert(pid);
  else children().erase(pid);
}

struct ChildResult {
  bool ok = false;          // exit 0
  std::string status;       // "failed: ..." when !ok
  double wall_s = 0;
};

// Forks and execs argv (argv[0] = executable), stdout to /dev/null, stderr to
// stderr_path; waits for it, killing its process group after timeout_s (> 0).
ChildResult run_child(const std::vector<std::string>& args, const std::string& stderr_path,
                      double timeout_s) {
  ChildResult res;
  std::vector<char*> argv;
  for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  const int errfd = ::open(stderr_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  const int nullfd = ::open("/dev/null", O_RDWR | O_CLOEXEC);
  if (errfd < 0 || nullfd < 0) {
    if (errfd >= 0) ::close(errfd);
    if (nullfd >= 0) ::close(nullfd);
    res.status = "failed: cannot open " + stderr_path + ": " + std::strerror(errno);
    return res;
  }
  const pid_t parent = ::getpid();
  const auto t0 = Clock::now();
  const pid_t pid = ::fork();
  if (pid == 0) {
    // Child: async-signal-safe calls only until exec.
    ::setpgid(0, 0);
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (::getppid() != parent) ::_exit(127);
    sigset_t none;
    sigemptyset(&none);
    ::sigprocmask(SIG_SETMASK, &none, nullptr);
    ::dup2(nullfd, 0);
    ::dup2(nullfd, 1);
    ::dup2(errfd, 2);
    ::execv(argv[0], argv.data());
    static const char msg[] = "suanwang: cannot execute the worker binary\n";
    ssize_t ignored = ::write(2, msg, sizeof msg - 1);
    (void)ignored;
    ::_exit(127);
  }
  ::close(errfd);
  ::close(nullfd);
  if (pid < 0) {
    res.status = std::string("failed: fork: ") + std::strerror(errno);
    return res;
  }
  ::setpgid(pid, pid);  // both sides, so a kill right away reaches the group
  track_child(pid, true);
  int st = 0;
  bool timed_out = false;
  if (timeout_s <= 0) {
    while (::waitpid(pid, &st, 0) < 0 && errno == EINTR) {
    }
  } else {
    const auto deadline = t0 + std::chrono::duration_cast<Clock::duration>(
                                   std::chrono::duration<double>(timeout_s));
    for (;;) {
      const pid_t r = ::waitpid(pid, &st, WNOHANG);
      if (r == pid) break;
      if (r < 0 && errno != EINTR) break;
      if (Clock::now() >= deadline) {
        ::kill(-pid, SIGKILL);
        ::kill(pid, SIGKILL);
        while (::waitpid(pid, &st, 0) < 0 && errno == EINTR) {
        }
        timed_out = true;
        break;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
  }
  track_child(pid, false);
  res.wall_s = seconds_since(t0);
  if (timed_out) {
    res.status = "failed: timeout after " + num_text(timeout_s) + "s";
  } else if (WIFEXITED(st) && WEXITSTATUS(st) == 0) {
    res.ok = true;
    res.status = run_format::kStatusCompleted;
  } else if (WIFEXITED(st)) {
    const std::string line = first_line(stderr_path);
    res.status = "failed: " + (line.empty() ? "exit code " + std::to_string(WEXITSTATUS(st)) : line);
  } else if (WIFSIGNALED(st)) {
    const int sig = WTERMSIG(st);
    const std::string line = first_line(stderr_path);
    res.status = "failed: killed by " + std::string(signal_name(sig)) + " (" +
                 std::to_string(sig) + ")" + (line.empty() ? "" : ": " + line);
  } else {
    res.status = "failed: unknown wait status " + std::to_string(st);
  }
  return res;
}

// Progress on stderr: a bar redrawn in place on a terminal, else one line per
// finished point.
class Progress {
 public:
  Progress(std::size_t total, std::size_t already_done, bool enabled)
      : total_(total), done_(already_done), enabled_(enabled), tty_(::isatty(2) != 0),
        t0_(Clock::now()) {
    if (enabled_ && tty_) ticker_ = std::thread([this] { tick(); });
  }
  ~Progress() { stop(); }

  void started() {
    std::lock_guard<std::mutex> lk(mu_);
    ++running_;
    if (enabled_ && tty_) draw_locked();
  }

  void finished(const std::string& id, const std::string& what, const ChildResult& r) {
    std::lock_guard<std::mutex> lk(mu_);
    --running_;
    ++done_;
    ++ran_;
    if (!enabled_) return;
    char head[64];
    std::snprintf(head, sizeof head, "[%zu/%zu] ", done_, total_);
    std::string line = "suanwang: " + std::string(head) + id + (what.empty() ? "" : " " + what) +
                       ": " + (r.ok ? "completed in " + duration_text(r.wall_s) : r.status);
    if (tty_) {
      if (!r.ok) std::fprintf(stderr, "\r\033[K%s\n", line.c_str());
      draw_locked();
    } else {
      std::fprintf(stderr, "%s\n", line.c_str());
      std::fflush(stderr);
    }
  }

  void stop() {
    {
      std::lock_guard<std::mutex> lk(mu_);
      if (stopped_) return;
      stopped_ = true;
      if (enabled_ && tty_) {
        draw_locked();
        std::fputc('\n', stderr);
        std::fflush(stderr);
      }
    }
    cv_.notify_all();
    if (ticker_.joinable()) ticker_.join();
  }

 private:
  void tick() {
    std::unique_lock<std::mutex> lk(mu_);
    while (!stopped_) {
      cv_.wait_for(lk, std::chrono::seconds(1));
      if (!stopped_) draw_locked();
    }
  }

  void draw_locked() {
    constexpr int kWidth = 30;
    const double frac = total_ ? static_cast<double>(done_) / static_cast<double>(total_) : 1.0;
    const int fill = static_cast<int>(frac * kWidth);
    std::string bar(static_cast<std::size_t>(fill), '=');
    if (fill < kWidth) bar += '>';
    bar.resize(kWidth, ' ');
    const double el = seconds_since(t0_);
    std::string eta = "--:--";
    if (ran_ > 0 && done_ <= total_)
      eta = clock_text(el / static_cast<double>(ran_) * static_cast<double>(total_ - done_));
    std::fprintf(stderr, "\r\033[K[%s] %zu/%zu points, %zu running, %s elapsed, ETA %s", bar.c_str(),
                 done_, total_, running_, clock_text(el).c_str(), eta.c_str());
    std::fflush(stderr);
  }

  std::mutex mu_;
  std::condition_variable cv_;
  std::size_t total_, done_, ran_ = 0, running_ = 0;
  bool enabled_, tty_, stopped_ = false;
  Clock::time_point t0_;
  std::thread ticker_;
};

// Holds an exclusive flock on a file for its lifetime.
class LockFile {
 public:
  explicit LockFile(const std::string& path) {
    fd_ = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd_ < 0) throw std::runtime_error(path + ": cannot open: " + std::strerror(errno));
    if (::flock(fd_, LOCK_EX | LOCK_NB) != 0) {
      ::close(fd_);
      fd_ = -1;
      throw UserError(path, "", "another sweep is writing this output right now");
    }
  }
  ~LockFile() { release(); }
  void release() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }

 private:
  int fd_ = -1;
};

std::string read_text(const fs::path& p) {
  std::ifstream in(p);
  std::string s;
  std::getline(in, s);
  return s;
}

// What a point that failed records: the RunInfo its own run would have had
// (its scenario loaded with the sweep's --set and the point's settings), so
// it names its own policy, parameters and seed. Should the point's scenario
// no longer load (the file was edited during the sweep), only what the plan
// knows is recorded, and `status` says why.
RunInfo failed_point_info(const Scenario& sc, const SweepPlan& plan, const SweepOptions& opts,
                          const SweepPoint& p, std::string& status) {
  std::map<std::string, std::string> settings;
  for (const auto& o : p.settings) settings[o.key] = o.value;
  std::vector<Override> sets = opts.sets;
  sets.insert(sets.end(), p.settings.begin(), p.settings.end());
  try {
    return make_run_info(load_scenario(opts.scenario_file, sets), p.id, settings);
  } catch (const UserError& e) {
    RunInfo info;
    info.run_id = p.id;
    info.scenario_name = sc.name;
    info.scenario_file = sc.file;
    info.seed = plan.base_seed + static_cast<std::uint64_t>(p.replication);
    info.sweep_point = settings;
    status += std::string(" (its scenario no longer loads, so its attributes are incomplete: ") +
              e.what() + ")";
    return info;
  }
}

struct PointState {
  std::size_t index = 0;
  bool done = false;        // completed (now or earlier)
  bool reused = false;
  std::string status;       // final status
};

// The output a --resume continues: its seal is checked before HDF5 reads it.
void verify_output_seal(const std::string& output) {
  try {
    verify_seal(output);
  } catch (const UserError& e) {
    throw UserError(std::string(e.what()) + " (use --force to start the sweep over)");
  }
}

// Room for gathering the finished points' files into `tmp` (see
// check_room_for_copies); the refusal says where the points are kept.
void check_room_for_gather(const std::string& tmp, const std::vector<std::string>& done,
                           const std::string& parts) {
  try {
    check_room_for_copies(tmp, done);
  } catch (const UserError& e) {
    throw UserError(std::string(e.what()) + "; the points done are kept in " + parts + " for --resume");
  }
}

// Refuses an output that cannot be written (no folder; exists without --force
// or --resume; not a result of this sweep when resumed). True when --resume
// continues an existing result, whose completed points are then reused.
bool check_output(const SweepOptions& opts, const std::string& fp) {
  const fs::path out = opts.output;
  std::error_code ec;
  const fs::path out_dir = out.has_parent_path() ? out.parent_path() : fs::path(".");
  if (!fs::is_directory(out_dir, ec))
    throw UserError(opts.output, "", "its folder does not exist");

  const bool out_exists = fs::exists(fs::symlink_status(out, ec));
  if (out_exists && !opts.force && !opts.resume)
    throw UserError(opts.output, "",
                    "exists (use --force to overwrite or --resume to continue the sweep)");
  PendingFile::check_target(opts.output, opts.force || opts.resume);
  bool reuse_output = false;
  if (out_exists && opts.resume) {
    verify_output_seal(opts.output);
    if (!has_sweep(opts.output) || read_sweep_info(opts.output).fingerprint != fp)
      throw UserError(opts.output, "",
                      "is not a result of this sweep (different scenario, --set or axes); "
                      "cannot --resume it (use --force to start over)");
    reuse_output = true;
  }
  return reuse_output;
}

// The folder of finished points, `<output>.parts`: kept with --resume (if it
// is of this sweep), removed with --force (unless another sweep holds its
// lock), refused otherwise; then created.
void prepare_parts_dir(const fs::path& parts, const SweepOptions& opts, const std::string& fp) {
  std::error_code ec;
  if (fs::exists(parts, ec)) {
    if (opts.resume) {
      const std::string old = read_text(parts / "fingerprint");
      if (!old.empty() && old != fp)
        throw UserError(parts.string(), "",
                        "holds points of a different sweep (use --force to start over)");
    } else if (opts.force) {
      LockFile probe((parts / "lock").string());  // not while another sweep uses it
      probe.release();
      fs::remove_all(parts, ec);
      if (ec) throw std::runtime_error(parts.string() + ": cannot remove: " + ec.message());
    } else {
      throw UserError(parts.string(), "",
                      "left by an interrupted sweep (use --resume to continue it or --force "
                      "to start over)");
    }
  }
  fs::create_directories(parts, ec);
  if (ec) throw std::runtime_error(parts.string() + ": cannot create: " + ec.message());
}

// Called holding the lock: stamps the folder with the sweep's fingerprint and
// removes leftovers of killed workers.
void claim_parts_dir(const fs::path& parts, const std::string& fp) {
  {
    std::ofstream f(parts / "fingerprint", std::ios::trunc);
    f << fp << "\n";
  }
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(parts, ec))
    if (PendingFile::is_temp_name(e.path().string())) fs::remove(e.path(), ec);
}

// A point's own result file in the parts folder.
std::string part_path(const fs::path& parts, const SweepPoint& p) {
  return (parts / (p.id + ".h5")).string();
}

// Ids of the runs an existing output holds as completed.
std::set<std::string> completed_runs(const std::string& output) {
  std::set<std::string> completed;
  Hdf5Reader r(output);
  for (const auto& id : r.run_ids()) {
    const auto a = r.run_attributes(id);
    auto it = a.find(run_format::run_attr::status);
    if (it != a.end() && it->second == run_format::kStatusCompleted) completed.insert(id);
  }
  return completed;
}

// Which points are done already: completed in the parts folder (--resume), or
// in the output being resumed (then copied into the parts folder). Any other
// part file is a failed or foreign attempt and is removed.
std::vector<PointState> point_states(const SweepPlan& plan, const std::vector<std::size_t>& selected,
                                     const SweepOptions& opts, const fs::path& parts,
                                     bool reuse_output) {
  std::error_code ec;
  std::vector<PointState> states;
  std::set<std::string> completed_in_output;
  if (reuse_output) completed_in_output = completed_runs(opts.output);
  for (std::size_t k : selected) {
    const SweepPoint& p = plan.points[k];
    PointState s;
    s.index = k;
    const std::string part = part_path(parts, p);
    if (opts.resume && run_status(part, p.id) == run_format::kStatusCompleted) {
      s.done = s.reused = true;
    } else if (completed_in_output.count(p.id)) {
      check_room_for_copies(part, {opts.output});
      fs::remove(part, ec);
      PendingFile copy(part);
      copy_run(opts.output, p.id, copy.path());
      commit_result_file(copy, true);
      s.done = s.reused = true;
    } else {
      fs::remove(part, ec);  // a failed or foreign attempt
    }
    if (s.done) s.status = run_format::kStatusCompleted;
    states.push_back(std::move(s));
  }
  return states;
}

void print_sweep_header(const Scenario& sc, const SweepPlan& plan, const SweepOptions& opts,
                        std::size_t points, std::size_t reused) {
  std::fprintf(stderr, "suanwang: sweep %s: %zu points", sc.name.c_str(), points);
  if (!opts.shard.all())
    std::fprintf(stderr, " (shard %d/%d of %zu)", opts.shard.index, opts.shard.count,
                 plan.points.size());
  if (reused) std::fprintf(stderr, ", %zu already done", reused);
  std::fprintf(stderr, "\n");
}

// The command line of the worker that runs one point into `part`.
std::vector<std::string> worker_argv(const std::string& exe, const SweepOptions& opts,
                                     const SweepPoint& p, const std::string& part) {
  std::vector<std::string> a = {exe, "run", opts.scenario_file};
  for (const auto& o : opts.sets) {
    a.push_back("--set");
    a.push_back(o.key + "=" + o.value);
  }
  for (const auto& o : p.settings) {
    a.push_back("--sweep-point");
    a.push_back(o.key + "=" + o.value);
  }
  for (const char* s : {"--run-id"}) a.push_back(s);
  a.push_back(p.id);
  a.push_back("-o");
  a.push_back(part);
  a.push_back("--force");
  a.push_back("--quiet");
  a.insert(a.end(), opts.worker_args.begin(), opts.worker_args.end());
  return a;
}

// Runs the pending points in `jobs` worker processes at a time; a worker that
// exits 0 without writing its part file has failed.
std::vector<ChildResult> run_workers(const SweepPlan& plan, const SweepOptions& opts,
                                     const fs::path& parts, const std::vector<PointState>& states,
                                     const std::vector<std::size_t>& pending,
                                     const std::vector<std::vector<std::string>>& argvs, int jobs,
                                     std::size_t reused) {
  std::vector<ChildResult> results(pending.size());
  Progress progress(states.size(), reused, opts.progress);
  std::atomic<std::size_t> next{0};
  auto worker = [&] {
    for (;;) {
      const std::size_t j = next.fetch_add(1);
      if (j >= pending.size()) return;
      const SweepPoint& p = plan.points[states[pending[j]].index];
      progress.started();
      ChildResult r = run_child(argvs[j], (parts / (p.id + ".stderr")).string(),
                                opts.point_timeout_s);
      if (r.ok && !fs::exists(part_path(parts, p))) {
        r.ok = false;
        r.status = "failed: the worker exited without writing " + part_path(parts, p);
      }
      results[j] = r;
      progress.finished(p.id, describe_point(p), r);
    }
  };
  {
    tbb::global_control gc(tbb::global_control::max_allowed_parallelism,
                           static_cast<std::size_t>(jobs));
    tbb::task_arena arena(jobs);
    arena.execute([&] {
      tbb::task_group tg;
      for (int t = 0; t < jobs; ++t) tg.run(worker);
      tg.wait();
    });
  }
  progress.stop();
  return results;
}

// Runs the points not done yet (positions in `states`) and records their outcome.
void run_pending_points(const SweepPlan& plan, const SweepOptions& opts, const fs::path& parts,
                        std::vector<PointState>& states, const std::vector<std::size_t>& pending,
                        std::size_t reused) {
  int jobs = opts.jobs > 0 ? opts.jobs : available_cpus();
  jobs = std::max(1, std::min<int>(jobs, static_cast<int>(pending.size())));
  if (opts.progress)
    std::fprintf(stderr, "suanwang: running %zu points in %d worker process%s\n", pending.size(),
                 jobs, jobs == 1 ? "" : "es");
  const std::string exe = opts.executable.empty() ? self_exe() : opts.executable;
  std::vector<std::vector<std::string>> argvs(pending.size());
  for (std::size_t j = 0; j < pending.size(); ++j) {
    const SweepPoint& p = plan.points[states[pending[j]].index];
    argvs[j] = worker_argv(exe, opts, p, part_path(parts, p));
  }
  const std::vector<ChildResult> results =
      run_workers(plan, opts, parts, states, pending, argvs, jobs, reused);
  for (std::size_t j = 0; j < pending.size(); ++j) {
    PointState& s = states[pending[j]];
    s.done = results[j].ok;
    s.status = results[j].status;
  }
}

// Gathers every point, in plan order, into the result file `tmp`: a completed
// point's run is copied; any other is written as a failed run saying why.
void gather_points(const Scenario& sc, const SweepPlan& plan, const SweepOptions& opts,
                   const fs::path& parts, std::vector<PointState>& states, const std::string& tmp) {
  {
    std::vector<std::string> done;
    for (const PointState& s : states)
      if (s.done) done.push_back(part_path(parts, plan.points[s.index]));
    check_room_for_gather(tmp, done, parts.string());
  }
  create_result_file(tmp);
  for (PointState& s : states) {
    const SweepPoint& p = plan.points[s.index];
    if (s.done) {
      const std::string st = run_status(part_path(parts, p), p.id);
      if (st == run_format::kStatusCompleted) {
        copy_run(part_path(parts, p), p.id, tmp);
        continue;
      }
      s.done = false;
      s.status = std::string(run_format::kStatusFailedPrefix) +
                 "the point's result file is incomplete (status '" + st + "')";
    }
    std::string status =
        s.status.empty() ? std::string(run_format::kStatusFailedPrefix) + "not run" : s.status;
    const RunInfo info = failed_point_info(sc, plan, opts, p, status);
    write_failed_run(tmp, info, status);
  }
}

}  // namespace

SweepOutcome run_sweep(const Scenario& sc, const SweepPlan& plan, const SweepOptions& opts) {
  const auto t0 = Clock::now();
  SweepOutcome outcome;
  const std::string fp = fingerprint(sc.text, opts.sets, plan);
  outcome.meta = make_sweep_info(sc, plan, fp, opts.shard);
  const std::vector<std::size_t> selected = shard_points(plan, opts.shard);

  const fs::path parts = opts.output + ".parts";
  const bool reuse_output = check_output(opts, fp);
  prepare_parts_dir(parts, opts, fp);
  LockFile lock((parts / "lock").string());
  claim_parts_dir(parts, fp);

  std::vector<PointState> states = point_states(plan, selected, opts, parts, reuse_output);
  std::vector<std::size_t> pending;  // positions in `states`
  for (std::size_t i = 0; i < states.size(); ++i)
    if (!states[i].done) pending.push_back(i);
  outcome.reused = states.size() - pending.size();
  outcome.ran = pending.size();

  if (opts.progress) print_sweep_header(sc, plan, opts, states.size(), outcome.reused);
  if (!pending.empty()) run_pending_points(plan, opts, parts, states, pending, outcome.reused);

  // Gather into a temporary file renamed onto the output.
  PendingFile result(opts.output);
  gather_points(sc, plan, opts, parts, states, result.path());
  outcome.totals = write_sweep_summary(result.path(), outcome.meta);
  commit_result_file(result, opts.force || opts.resume);
  lock.release();
  std::error_code ec;
  fs::remove_all(parts, ec);
  outcome.wall_s = seconds_since(t0);
  return outcome;
}

}  // namespace suanwang::sweep

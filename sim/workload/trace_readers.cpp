#include "sim/workload/trace_readers.hpp"

#include <zlib.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <string_view>

#include "sim/core/units.hpp"
#include "sim/core/user_error.hpp"

namespace suanwang {
namespace {

bool parse_double(std::string_view s, double* out) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  if (s.empty()) return false;
  if (s.front() == '+') s.remove_prefix(1);
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), *out);
  return ec == std::errc() && p == s.data() + s.size() && std::isfinite(*out);
}

void split_csv(const std::string& line, std::vector<std::string_view>* fields) {
  fields->clear();
  std::string_view s(line);
  for (;;) {
    auto comma = s.find(',');
    fields->push_back(s.substr(0, comma));
    if (comma == std::string_view::npos) break;
    s.remove_prefix(comma + 1);
  }
}

bool blank(const std::string& line) {
  return line.find_first_not_of(" \t") == std::string::npos;
}

// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm).
long long days_from_civil(long long y, unsigned m, unsigned d) {
  y -= m <= 2;
  const long long era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<long long>(doe) - 719468;
}

// "YYYY-MM-DD HH:MM:SS" -> seconds since the epoch, read as UTC.
bool parse_timestamp(std::string_view s, double* out) {
  while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  if (s.size() != 19 || s[4] != '-' || s[7] != '-' || (s[10] != ' ' && s[10] != 'T') ||
      s[13] != ':' || s[16] != ':')
    return false;
  auto num = [&](std::size_t pos, std::size_t len, int* v) {
    auto [p, ec] = std::from_chars(s.data() + pos, s.data() + pos + len, *v);
    return ec == std::errc() && p == s.data() + pos + len;
  };
  int y, mo, d, h, mi, se;
  if (!num(0, 4, &y) || !num(5, 2, &mo) || !num(8, 2, &d) || !num(11, 2, &h) ||
      !num(14, 2, &mi) || !num(17, 2, &se))
    return false;
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || se > 60) return false;
  *out = static_cast<double>(days_from_civil(y, static_cast<unsigned>(mo), static_cast<unsigned>(d))) *
             units::kSecondsPerDay +
         h * units::kSecondsPerHour + mi * units::kSecondsPerMinute + se;
  return true;
}

std::string too_many_gpus(double gpus) {
  char b[32];
  std::snprintf(b, sizeof b, "%.6g", gpus);
  return "a job of " + std::string(b) + " GPUs (expected at most " +
         std::to_string(static_cast<long long>(kMaxJobGpus)) + ", the largest pool there can be)";
}

std::string trim_cr(std::string s) {
  while (!s.empty() && (s.back() == '\r' || s.back() == '\n')) s.pop_back();
  return s;
}

// The stream of a pod list's shuffle and tuning draws: its own, so that
// shuffling changes no origin or dataset draw of the trace.
constexpr std::uint64_t kPodListStream = 0x706f646c69737421ULL;  // "podlist!"
// A tuned list longer than this is refused (4 bytes per entry: 40 MB).
constexpr std::size_t kMaxListedPods = 10'000'000;

// A uniform integer in [0, n), n > 0, by rejection: the same numbers on
// every platform (std::uniform_int_distribution is implementation-defined).
std::uint64_t below(Rng& rng, std::uint64_t n) {
  const std::uint64_t limit = UINT64_MAX - UINT64_MAX % n;  // a multiple of n
  for (;;) {
    const std::uint64_t x = rng();
    if (x < limit) return x % n;
  }
}

// GPU demand of a record in milli-GPU: per GPU, and in all (num x per GPU).
std::int64_t milli_per_gpu(double gpus) {
  if (gpus <= 0) return 0;
  return gpus < 1 ? std::llround(gpus * 1000) : 1000;
}
std::int64_t milli_total(double gpus) {
  return gpus < 1 ? milli_per_gpu(gpus) : std::llround(gpus) * 1000;
}

}  // namespace

// ---------------------------------------------------------------- line reader

TraceLineReader::TraceLineReader(const std::string& path) : path_(path), buf_(64 * 1024) {
  gzFile f = gzopen(path.c_str(), "rb");
  if (f == nullptr)
    throw UserError(path, "", std::string("cannot open trace file: ") + std::strerror(errno) +
                                  " (expected a readable SWF or CSV file, plain or gzip)");
  gzbuffer(f, 128 * 1024);
  gz_ = f;
}

TraceLineReader::~TraceLineReader() {
  if (gz_ != nullptr) gzclose(static_cast<gzFile>(gz_));
}

void TraceLineReader::fail(long long line, const std::string& what) const {
  throw UserError(path_, "line " + std::to_string(line), what);
}

bool TraceLineReader::fill() {
  if (eof_) return false;
  auto f = static_cast<gzFile>(gz_);
  const int n = gzread(f, buf_.data(), static_cast<unsigned>(buf_.size()));
  int err = Z_OK;
  const char* msg = gzerror(f, &err);
  // Z_BUF_ERROR: the gzip stream ends before its trailer (a cut-short file).
  if (n < 0 || (err != Z_OK && (err != Z_BUF_ERROR || n == 0)))
    fail(line_no_ + 1, std::string("read error: ") + (msg ? msg : "?") +
                           " (expected an intact file; is the gzip data cut short or corrupt?)");
  pos_ = 0;
  len_ = static_cast<std::size_t>(n);
  if (n == 0) eof_ = true;
  return n > 0;
}

bool TraceLineReader::getline(std::string* line) {
  line->clear();
  bool got = false;
  for (;;) {
    if (pos_ == len_ && !fill()) break;
    got = true;
    const char* p = buf_.data() + pos_;
    const std::size_t avail = len_ - pos_;
    const char* nl = static_cast<const char*>(std::memchr(p, '\n', avail));
    const std::size_t take = nl != nullptr ? static_cast<std::size_t>(nl - p) : avail;
    if (std::memchr(p, '\0', take) != nullptr)
      fail(line_no_ + 1, "a NUL byte (expected a text trace, not binary data or zeros)");
    if (line->size() + take > kMaxTraceLine)
      fail(line_no_ + 1, "line longer than " + std::to_string(kMaxTraceLine) + " bytes (expected a text trace)");
    line->append(p, take);
    pos_ += take;
    if (nl != nullptr) {
      ++pos_;
      break;
    }
  }
  if (!got) return false;
  ++line_no_;
  *line = trim_cr(std::move(*line));
  return true;
}

// ---------------------------------------------------------------- base reader

TraceReader::TraceReader(const TraceSpec& spec, const topo::Topology& topo, std::uint64_t seed,
                         std::size_t index, std::uint16_t source)
    : spec_(spec),
      lines_(spec.path),
      origins_(topo, spec.origin, "trace " + std::to_string(index + 1) + " (" + spec.path + ")"),
      rng_(workload_detail::stream_seed(seed, workload_detail::kTraceStream, index)),
      source_(source) {
  const std::string who = "trace " + std::to_string(index + 1);
  workload_detail::check_city(topo, spec.center, who, "center");
  if (!(spec.time_scale > 0) || !std::isfinite(spec.time_scale))
    throw UserError(spec.path, "", "time_scale must be > 0");
  if (!(spec.walltime_factor >= 1) || !std::isfinite(spec.walltime_factor))
    throw UserError(spec.path, "", "walltime_factor must be >= 1");
  if (!(spec.procs_per_gpu > 0) || !std::isfinite(spec.procs_per_gpu))
    throw UserError(spec.path, "", "procs_per_gpu must be > 0");
  if (!(spec.default_duration_s > 0) || !std::isfinite(spec.default_duration_s))
    throw UserError(spec.path, "", "default_duration_s must be > 0");
  if (!std::isfinite(spec.start_s)) throw UserError(spec.path, "", "start_s must be finite");
  if (spec.checkpoint_interval_s < 0)
    throw UserError(spec.path, "", "checkpoint_interval_s must be >= 0");
  check_list_options(spec);
  eof_ = spec.max_jobs == 0;
}

void TraceReader::check_list_options(const TraceSpec& spec) {
  if (!(spec.interval_s >= 0) || !std::isfinite(spec.interval_s))
    throw UserError(spec.path, "", "interval must be a finite duration >= 0 (0: the trace's times)");
  if (!(spec.duration_s >= 0))
    throw UserError(spec.path, "", "duration must be > 0 or \"never\" (0: the trace's durations)");
  if (std::isinf(spec.duration_s) && spec.checkpoint_interval_s > 0)
    throw UserError(spec.path, "", "a job that never ends needs no checkpoint (duration = \"never\")");
  if (!(spec.tune_to >= 0) || !std::isfinite(spec.tune_to))
    throw UserError(spec.path, "", "tune_to must be a finite share > 0 of the center's GPUs");
  if (!spec.shuffle && spec.tune_to == 0) return;
  const char* what = spec.shuffle ? "shuffle" : "tune_to";
  if (spec.format != TraceFormat::alibaba)
    throw UserError(spec.path, "", std::string(what) + " is for Alibaba pod lists (format = \"alibaba\")");
  if (spec.interval_s <= 0)
    throw UserError(spec.path, "", std::string(what) +
                                       " needs interval = \"<duration>\": the pods then arrive one at a time, in list order");
  if (spec.tune_to > 0 && spec.center < 0)
    throw UserError(spec.path, "", "tune_to needs center = \"<city>\": the center whose GPUs the list is tuned to");
}

void TraceReader::fail(const std::string& what) const {
  throw UserError(spec_.path, "line " + std::to_string(lines_.line_number()), what);
}

std::optional<Job> TraceReader::next() {
  if (spec_.max_jobs >= 0 && released_ >= spec_.max_jobs) return std::nullopt;
  while (!eof_ && window_.size() <= kReorderWindow) {
    Record r;
    if (!read_record(&r)) {
      eof_ = true;
      break;
    }
    if (released_any_ && r.t_raw < t_last_)
      throw UserError(spec_.path, "line " + std::to_string(r.line),
                      "submit time goes back by " + std::to_string(t_last_ - r.t_raw) +
                          " s, beyond the " + std::to_string(kReorderWindow) +
                          "-record reorder window (expected a trace sorted by submit time; "
                          "sort the file first)");
    window_.push(r);
  }
  if (window_.empty()) {
    // A trace that yields nothing is almost always the wrong file (or the
    // wrong format): a silent empty workload would be a wrong answer.
    if (!released_any_ && spec_.max_jobs != 0)
      throw UserError(spec_.path, "",
                      "no usable job in its " + std::to_string(lines_read()) +
                          " lines (expected records of the trace format; rows without a positive "
                          "run time and processor or GPU count are skipped)");
    return std::nullopt;
  }
  Record r = window_.top();
  window_.pop();
  if (!released_any_) {
    released_any_ = true;
    t_first_ = r.t_raw;
  }
  t_last_ = r.t_raw;
  ++released_;

  Job job;
  job.kind = r.kind;
  job.origin = origins_.draw(rng_);
  job.pinned_center = spec_.center;
  job.submit_s = spec_.interval_s > 0
                     ? spec_.start_s + static_cast<double>(released_ - 1) * spec_.interval_s
                     : spec_.start_s + (r.t_raw - t_first_) * spec_.time_scale;
  job.gpus = r.gpus;
  job.cpu_cores = r.cpu_cores;
  job.memory_B = r.memory_B;
  if (spec_.duration_s > 0) {
    r.duration_s = spec_.duration_s;
    r.walltime_s = spec_.duration_s * spec_.walltime_factor;
  }
  job.duration_s = r.duration_s;
  job.walltime_s = std::max(r.walltime_s, r.duration_s);
  auto draw_bytes = [&](const Distribution& d, const char* field) {
    double x = d.sample(rng_);
    if (!std::isfinite(x) || x < 0)
      throw UserError(spec_.path, "", std::string(field) + " drew " + std::to_string(x) +
                                          " (expected a finite value >= 0)");
    return x;
  };
  job.dataset_B = draw_bytes(spec_.dataset_B, "dataset");
  job.result_B = draw_bytes(spec_.result_B, "result");
  job.checkpoint_interval_s = spec_.checkpoint_interval_s;
  job.source = source_;
  return job;
}

// ---------------------------------------------------------------- SWF

bool SwfReader::read_record(Record* out) {
  std::string line;
  double f[18];
  while (getline(&line)) {
    auto start = line.find_first_not_of(" \t");
    if (start == std::string::npos || line[start] == ';') continue;
    std::string_view s(line);
    s.remove_prefix(start);
    int n = 0;
    bool bad_number = false;
    while (!s.empty()) {
      auto end = s.find_first_of(" \t");
      std::string_view tok = s.substr(0, end);
      if (n < 18 && !parse_double(tok, &f[n])) bad_number = true;
      ++n;
      if (end == std::string_view::npos) break;
      s.remove_prefix(end);
      auto next = s.find_first_not_of(" \t");
      if (next == std::string_view::npos) break;
      s.remove_prefix(next);
    }
    if (n != 18 || bad_number)
      fail("expected 18 SWF fields (whitespace-separated numbers), got " + std::to_string(n) +
           (bad_number ? " with a non-numeric field" : ""));
    double submit = f[1], run = f[3], procs = f[4] > 0 ? f[4] : f[7], req_time = f[8];
    if (run <= 0 || procs <= 0) continue;
    if (submit < 0) fail("negative submit time (expected seconds >= 0)");
    out->t_raw = submit;
    out->line = line_number();
    out->gpus = std::ceil(procs / spec_.procs_per_gpu);
    if (out->gpus > kMaxJobGpus) fail(too_many_gpus(out->gpus));
    out->duration_s = run;
    out->walltime_s = req_time > 0 ? std::max(req_time, run) : run * spec_.walltime_factor;
    out->kind = spec_.kind;
    return true;
  }
  return false;
}

// ---------------------------------------------------------------- Philly

namespace {
int column_of(const std::vector<std::string_view>& header, std::string_view name) {
  for (std::size_t i = 0; i < header.size(); ++i) {
    std::string_view h = header[i];
    while (!h.empty() && (h.front() == ' ' || h.front() == '"' || h.front() == '\xEF' ||
                          h.front() == '\xBB' || h.front() == '\xBF'))
      h.remove_prefix(1);
    while (!h.empty() && (h.back() == ' ' || h.back() == '"')) h.remove_suffix(1);
    if (h == name) return static_cast<int>(i);
  }
  return -1;
}
}  // namespace

PhillyReader::PhillyReader(const TraceSpec& spec, const topo::Topology& topo, std::uint64_t seed,
                           std::size_t index, std::uint16_t source)
    : TraceReader(spec, topo, seed, index, source) {
  std::string header;
  if (!getline(&header)) fail("empty file (expected a Philly CSV header: timestamp,duration,num_gpus,...)");
  std::vector<std::string_view> h;
  split_csv(header, &h);
  c_time_ = column_of(h, "timestamp");
  c_duration_ = column_of(h, "duration");
  c_gpus_ = column_of(h, "num_gpus");
  if (c_time_ < 0 || c_duration_ < 0 || c_gpus_ < 0)
    fail("expected a Philly CSV header with columns timestamp, duration and num_gpus");
  columns_ = h.size();

  // A plain file is replayed through a sorted index; a gzip file (magic 1f 8b)
  // cannot seek cheaply and stays in windowed streaming mode.
  std::unique_ptr<std::FILE, FileCloser> f(std::fopen(spec.path.c_str(), "rb"));
  if (f == nullptr) return;  // gzopen could read it; stay in streaming mode
  std::setvbuf(f.get(), nullptr, _IONBF, 0);  // we buffer ourselves
  unsigned char magic[2] = {0, 0};
  std::size_t n = std::fread(magic, 1, 2, f.get());
  if (n == 2 && magic[0] == 0x1f && magic[1] == 0x8b) return;
  file_ = std::move(f);
}

long long PhillyReader::lines_read() const {
  return indexed() ? index_lines_ : TraceReader::lines_read();
}

void PhillyReader::fail_at(long long line, const std::string& what) const {
  throw UserError(spec_.path, "line " + std::to_string(line), what);
}

std::string PhillyReader::parse_row(const std::string& line, Record* out, bool* skip) const {
  std::vector<std::string_view> f;
  *skip = false;
  if (blank(line)) {
    *skip = true;
    return "";
  }
  split_csv(line, &f);
  if (f.size() != columns_)
    return "expected " + std::to_string(columns_) + " comma-separated fields, got " +
           std::to_string(f.size());
  double t, dur, gpus;
  if (!parse_timestamp(f[c_time_], &t)) return "expected timestamp as YYYY-MM-DD HH:MM:SS";
  if (!parse_double(f[c_duration_], &dur)) return "expected duration in seconds (a number)";
  if (!parse_double(f[c_gpus_], &gpus)) return "expected num_gpus (a number)";
  if (dur <= 0 || gpus <= 0) {
    *skip = true;
    return "";
  }
  if (gpus > kMaxJobGpus) return too_many_gpus(gpus);
  out->t_raw = t;
  out->gpus = gpus < 1 ? gpus : std::round(gpus);
  out->duration_s = dur;
  out->walltime_s = dur * spec_.walltime_factor;
  out->kind = spec_.kind;
  return "";
}

// First pass over a plain file: validate every row, index the usable ones by
// (submit time, byte offset), then sort. Memory: 16 bytes per usable row.
void PhillyReader::build_index() {
  index_built_ = true;
  std::FILE* f = file_.get();
  if (std::fseek(f, 0, SEEK_SET) != 0)
    throw UserError(spec_.path, "", std::string("cannot seek: ") + std::strerror(errno));
  std::vector<char> buf(64 * 1024);
  std::string line;
  std::uint64_t pos = 0, line_start = 0;
  long long line_no = 0;
  Record r;
  auto process = [&] {
    ++line_no;
    if (line_no == 1) return;  // header (already parsed)
    while (!line.empty() && line.back() == '\r') line.pop_back();
    bool skip = false;
    std::string err = parse_row(line, &r, &skip);
    if (!err.empty()) fail_at(line_no, err);
    if (!skip) index_.push_back({r.t_raw, line_start});
  };
  for (;;) {
    std::size_t n = std::fread(buf.data(), 1, buf.size(), f);
    if (n == 0) {
      if (std::ferror(f))
        throw UserError(spec_.path, "line " + std::to_string(line_no + 1),
                        "read error (expected an intact file)");
      break;
    }
    const char* p = buf.data();
    const char* end = p + n;
    while (p < end) {
      const char* nl = static_cast<const char*>(std::memchr(p, '\n', static_cast<std::size_t>(end - p)));
      if (nl == nullptr) {
        line.append(p, end);
        pos += static_cast<std::uint64_t>(end - p);
        if (line.size() > kMaxTraceLine)
          fail_at(line_no + 1, "line longer than " + std::to_string(kMaxTraceLine) + " bytes (expected a text trace)");
        break;
      }
      line.append(p, nl);
      pos += static_cast<std::uint64_t>(nl - p) + 1;
      process();
      line.clear();
      line_start = pos;
      p = nl + 1;
    }
  }
  if (!line.empty()) process();  // last line without a trailing newline
  index_lines_ = line_no;
  index_.shrink_to_fit();
  // (time, offset) is a total order: the result does not depend on the sort.
  std::stable_sort(index_.begin(), index_.end(), [](const IndexEntry& a, const IndexEntry& b) {
    return a.t_raw != b.t_raw ? a.t_raw < b.t_raw : a.offset < b.offset;
  });
}

// The line starting at byte offset (without "\n" / "\r\n"); false at end of file.
bool PhillyReader::line_at(std::uint64_t offset, std::string* line) {
  constexpr std::size_t kChunk = 4096;  // rows are ~45 bytes; neighbours often share a chunk
  if (rbuf_.size() < kChunk) rbuf_.resize(kChunk);
  line->clear();
  for (;;) {
    if (offset >= rbuf_start_ && offset < rbuf_start_ + rbuf_len_) {
      const char* p = rbuf_.data() + (offset - rbuf_start_);
      std::size_t avail = static_cast<std::size_t>(rbuf_start_ + rbuf_len_ - offset);
      const char* nl = static_cast<const char*>(std::memchr(p, '\n', avail));
      if (nl != nullptr) {
        line->append(p, nl);
        break;
      }
      line->append(p, avail);
      offset += avail;
    }
    if (std::fseek(file_.get(), static_cast<long>(offset), SEEK_SET) != 0)
      throw UserError(spec_.path, "", std::string("cannot seek: ") + std::strerror(errno));
    std::size_t n = std::fread(rbuf_.data(), 1, rbuf_.size(), file_.get());
    rbuf_start_ = offset;
    rbuf_len_ = n;
    if (n == 0) {
      if (std::ferror(file_.get()))
        throw UserError(spec_.path, "", "read error (expected an intact file)");
      if (line->empty()) return false;
      break;
    }
  }
  while (!line->empty() && line->back() == '\r') line->pop_back();
  return true;
}

// Line number of the line starting at offset (error path only: rescans).
long long PhillyReader::line_number_at(std::uint64_t offset) {
  std::vector<char> buf(64 * 1024);
  long long line = 1;
  std::uint64_t pos = 0;
  if (std::fseek(file_.get(), 0, SEEK_SET) != 0) return 0;
  rbuf_len_ = 0;
  while (pos < offset) {
    std::size_t want = static_cast<std::size_t>(std::min<std::uint64_t>(buf.size(), offset - pos));
    std::size_t n = std::fread(buf.data(), 1, want, file_.get());
    if (n == 0) break;
    line += std::count(buf.data(), buf.data() + n, '\n');
    pos += n;
  }
  return line;
}

bool PhillyReader::read_record(Record* out) {
  if (indexed()) {
    if (!index_built_) build_index();
    if (served_ >= index_.size()) return false;
    const IndexEntry& e = index_[served_];
    std::string line;
    bool skip = false;
    std::string err = line_at(e.offset, &line) ? parse_row(line, out, &skip)
                                               : std::string("unexpected end of file");
    if (err.empty() && (skip || out->t_raw != e.t_raw)) err = "row differs from the indexed one";
    if (!err.empty())
      fail_at(line_number_at(e.offset), err + " (the file changed while it was being replayed)");
    // Records leave the index in order; line only breaks ties in the reorder
    // window, so the rank keeps the index order.
    out->line = static_cast<long long>(served_);
    ++served_;
    return true;
  }
  std::string line;
  while (getline(&line)) {
    bool skip = false;
    std::string err = parse_row(line, out, &skip);
    if (!err.empty()) fail(err);
    if (skip) continue;
    out->line = line_number();
    return true;
  }
  return false;
}

// ---------------------------------------------------------------- Alibaba

AlibabaReader::AlibabaReader(const TraceSpec& spec, const topo::Topology& topo, std::uint64_t seed,
                             std::size_t index, std::uint16_t source)
    : TraceReader(spec, topo, seed, index, source) {
  std::string header;
  if (!getline(&header)) fail("empty file (expected an Alibaba pod-list CSV header)");
  std::vector<std::string_view> h;
  split_csv(header, &h);
  c_name_ = column_of(h, "name");
  c_num_gpu_ = column_of(h, "num_gpu");
  c_milli_ = column_of(h, "gpu_milli");
  c_create_ = column_of(h, "creation_time");
  c_delete_ = column_of(h, "deletion_time");
  c_sched_ = column_of(h, "scheduled_time");
  c_cpu_ = column_of(h, "cpu_milli");
  c_mem_ = column_of(h, "memory_mib");
  if (c_num_gpu_ < 0 || c_milli_ < 0 || c_create_ < 0 || c_delete_ < 0 || c_sched_ < 0)
    fail("expected an Alibaba pod-list header with columns num_gpu, gpu_milli, creation_time, "
         "deletion_time and scheduled_time");
  columns_ = h.size();
  list_mode_ = spec.shuffle || spec.tune_to > 0;
  if (list_mode_) load_list(topo, seed, index);
}

bool AlibabaReader::parse_row(const std::string& line, Record* out) {
  std::vector<std::string_view> f;
  if (blank(line)) return false;
  split_csv(line, &f);
  if (f.size() != columns_)
    fail("expected " + std::to_string(columns_) + " comma-separated fields, got " +
         std::to_string(f.size()));
  double num_gpu, milli, created;
  if (!parse_double(f[c_num_gpu_], &num_gpu) || num_gpu < 0)
    fail("expected num_gpu (a number >= 0)");
  if (!parse_double(f[c_milli_], &milli) || milli < 0)
    fail("expected gpu_milli (a number >= 0)");
  if (!parse_double(f[c_create_], &created)) fail("expected creation_time in seconds");
  double cpu_milli = 0, mem_mib = 0;
  if (c_cpu_ >= 0 && (!parse_double(f[c_cpu_], &cpu_milli) || cpu_milli < 0))
    fail("expected cpu_milli (a number >= 0)");
  if (c_mem_ >= 0 && (!parse_double(f[c_mem_], &mem_mib) || mem_mib < 0))
    fail("expected memory_mib (a number >= 0)");
  if (num_gpu <= 0 && !spec_.keep_cpu_only) return false;  // a CPU-only pod
  double gpus;
  if (num_gpu <= 0)
    gpus = 0;
  else if (num_gpu == 1 && milli > 0 && milli < 1000)
    gpus = milli / 1000.0;
  else
    gpus = std::max(1.0, std::round(num_gpu));
  if (gpus > kMaxJobGpus) fail(too_many_gpus(gpus));
  out->cpu_cores = cpu_milli / 1000.0;
  out->memory_B = mem_mib * 1048576.0;
  double deleted = 0, scheduled = 0;
  bool has_deleted = parse_double(f[c_delete_], &deleted);
  bool has_scheduled = parse_double(f[c_sched_], &scheduled);
  double duration = spec_.default_duration_s;
  if (has_deleted && has_scheduled) {
    double d = deleted - std::max(created, scheduled);
    if (d > 0) duration = d;
  }
  out->t_raw = created;
  out->line = line_number();
  out->gpus = gpus;
  out->duration_s = duration;
  out->walltime_s = duration * spec_.walltime_factor;
  if (spec_.kind == JobKind::inference)
    out->kind = gpus < 1 ? JobKind::inference : JobKind::training;
  else
    out->kind = spec_.kind;
  return true;
}

// List mode: every usable pod in memory, in base order, then the release
// order (shuffled, tuned). See the header for the rules.
void AlibabaReader::load_list(const topo::Topology& topo, std::uint64_t seed, std::size_t index) {
  std::string line;
  std::vector<std::string_view> f;
  Record r;
  while (getline(&line)) {
    if (!parse_row(line, &r)) continue;
    ListedPod p{r, ""};
    if (c_name_ >= 0) {
      split_csv(line, &f);
      p.name = std::string(f[c_name_]);
    }
    pods_.push_back(std::move(p));
  }
  if (pods_.empty()) fail("no usable pod in the list (shuffle and tune_to need at least one)");
  // Base order: by name to shuffle (the list as a set, whatever the file's
  // order), else by submit time; ties keep file order.
  std::stable_sort(pods_.begin(), pods_.end(), [&](const ListedPod& a, const ListedPod& b) {
    return spec_.shuffle ? a.name < b.name : a.record.t_raw < b.record.t_raw;
  });
  order_.resize(pods_.size());
  for (std::size_t i = 0; i < order_.size(); ++i) order_[i] = static_cast<std::uint32_t>(i);
  Rng rng(workload_detail::stream_seed(seed, kPodListStream, index));
  if (spec_.shuffle)
    for (std::size_t i = order_.size() - 1; i > 0; --i) std::swap(order_[i], order_[below(rng, i + 1)]);
  tuned_from_ = order_.size();
  if (spec_.tune_to > 0) {
    std::int64_t chips = 0;
    for (const topo::Pool& pool : topo.cities[static_cast<std::size_t>(spec_.center)].pools) chips += pool.count;
    if (chips == 0)
      throw UserError(spec_.path, "", "tune_to: center " + topo.cities[static_cast<std::size_t>(spec_.center)].name +
                                          " has no accelerator to tune the pod list to");
    tune(static_cast<double>(chips) * 1000.0, rng);
  }
}

void AlibabaReader::tune(double capacity_milli, Rng& rng) {
  const double target = spec_.tune_to * capacity_milli;
  std::int64_t total = 0;
  for (const std::uint32_t i : order_) total += milli_total(pods_[i].record.gpus);
  if (static_cast<double>(total) == target) return;
  if (static_cast<double>(total) > target) {  // tune down: remove pods at random
    while (static_cast<double>(total) > target) {
      const std::size_t k = below(rng, order_.size());
      total -= milli_total(pods_[order_[k]].record.gpus);
      order_.erase(order_.begin() + static_cast<std::ptrdiff_t>(k));
    }
    tuned_from_ = order_.size();
    return;
  }
  bool any_gpu = false;
  for (const ListedPod& p : pods_) any_gpu = any_gpu || p.record.gpus > 0;
  if (!any_gpu) throw UserError(spec_.path, "", "tune_to: no pod of the list asks for a GPU");
  for (;;) {  // tune up: append copies drawn with replacement from the base order
    const auto k = static_cast<std::uint32_t>(below(rng, pods_.size()));
    const double gpus = pods_[k].record.gpus;
    if (static_cast<double>(total + milli_per_gpu(gpus)) > target) break;  // the artifact's stop test
    total += milli_total(gpus);
    if (order_.size() >= kMaxListedPods)
      throw UserError(spec_.path, "", "tune_to " + std::to_string(spec_.tune_to) + " would list more than " +
                                          std::to_string(kMaxListedPods) + " pods (expected a smaller share)");
    order_.push_back(k);
  }
}

std::vector<std::string> AlibabaReader::pod_names() const {
  std::vector<std::string> out;
  out.reserve(order_.size());
  for (std::size_t i = 0; i < order_.size(); ++i) {
    std::string name = pods_[order_[i]].name;
    if (i >= tuned_from_) name += "-tuned-" + std::to_string(i - tuned_from_);
    out.push_back(std::move(name));
  }
  return out;
}

bool AlibabaReader::read_record(Record* out) {
  if (list_mode_) {
    if (served_ >= order_.size()) return false;
    *out = pods_[order_[served_]].record;
    // Release in list order: the reorder window sees increasing times.
    out->t_raw = static_cast<double>(served_);
    ++served_;
    return true;
  }
  std::string line;
  while (getline(&line)) {
    if (parse_row(line, out)) return true;
  }
  return false;
}

std::unique_ptr<TraceReader> make_trace_reader(const TraceSpec& spec, const topo::Topology& topo,
                                               std::uint64_t seed, std::size_t index,
                                               std::uint16_t source) {
  switch (spec.format) {
    case TraceFormat::swf:
      return std::make_unique<SwfReader>(spec, topo, seed, index, source);
    case TraceFormat::philly:
      return std::make_unique<PhillyReader>(spec, topo, seed, index, source);
    case TraceFormat::alibaba:
      return std::make_unique<AlibabaReader>(spec, topo, seed, index, source);
  }
  throw UserError(spec.path, "", "unknown trace format (expected swf, philly or alibaba)");
}

}  // namespace suanwang

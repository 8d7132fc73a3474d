// Streaming trace readers: SWF, Philly (Pollux CSV), Alibaba PAI 2023 pods.
//
// Files are read line by line through zlib (gzip-compressed or plain text,
// detected automatically), so memory is O(1) in the trace length: one line
// plus a bounded reorder window of kReorderWindow parsed records. The one
// exception is a plain (uncompressed) Philly file, see below: it streams the
// trace too, but an unsorted Philly file costs 16 bytes per job for its index
// (never the text itself).
//
// Ordering (SWF, Alibaba, gzip-compressed Philly): a trace must be sorted by
// submit time. Small disorder is tolerated: up to kReorderWindow records are
// held in a min-heap and released in time order (ties: file order). A record
// that is earlier than one already released is a UserError naming the file
// and line ("sort the file by submit time first").
//
// Ordering (plain Philly file): the shared Philly file
// (philly_pollux/philly.csv) is NOT sorted (rows are essentially shuffled,
// lags up to ~106 days), so a plain Philly file is always replayed through an
// index, whatever its order (simple and deterministic): on the first next(), one
// pass over the file validates every row (a malformed row is a UserError
// naming the file and its line, as in streaming mode) and records, per usable
// row, (submit time, byte offset of the line) = 16 bytes per job (1.3 MB for
// the 82,247 Philly jobs); the index is sorted by (time, offset), i.e. ties in
// file order, and jobs are then served by seeking to each offset (the file
// stays open; reads go through a small buffer) and parsing that line. The
// result is a pure function of the file and equals reading a stably sorted
// copy. A gzip-compressed Philly file cannot seek cheaply, so it keeps the
// windowed mode and its error: decompress it, or sort it first, e.g.
//   (head -1 philly.csv; tail -n +2 philly.csv | sort -t, -k1,1 -s) > philly_sorted.csv
//
// Times: submit_s = start_s + (t - t_first) * time_scale, t_first being the
// earliest submit time of the trace (the first record released).
// Every job: kind from the spec (Alibaba rule below), origin = spec.origin or
// a demand-weighted draw, then dataset_B, result_B draws, from the trace's own
// Rng (streams.hpp); pinned_center = spec.center.
//
// SWF (Standard Workload Format v2.2): 18 whitespace-separated numbers per
// line, ';' lines are header comments, blank lines ignored. Uses submit (2),
// run time (4), allocated procs (5; requested procs (8) when 5 <= 0) and
// requested time (9). Records with run time <= 0 or no positive processor
// count are skipped (mostly cancelled jobs). gpus = ceil(procs/procs_per_gpu);
// walltime = max(requested time, run time) when requested time > 0 (a few
// jobs overrun their request slightly), else run time * walltime_factor.
//
// Philly (header timestamp,duration,num_gpus,...; columns found by name):
// timestamp "YYYY-MM-DD HH:MM:SS" (no time zone; read as UTC), duration (s),
// num_gpus. Rows with duration <= 0 or num_gpus <= 0 are skipped.
// walltime = duration * walltime_factor.
//
// Alibaba PAI 2023 pod list (header name,...,num_gpu,gpu_milli,...,
// creation_time,deletion_time,scheduled_time; columns found by name):
//  - CPU-only pods (num_gpu = 0) are skipped: they need no accelerator.
//  - gpus = num_gpu * gpu_milli / 1000 when num_gpu = 1 (a share < 1 is a vGPU
//    fraction), else num_gpu whole chips.
//  - duration = deletion_time - max(creation_time, scheduled_time) (run time
//    without the queueing delay). A pod that never ran or never ended (empty
//    scheduled_time, i.e. Pending; empty deletion_time; or a non-positive
//    difference) gets default_duration_s. walltime = duration * walltime_factor.
//    (Caveat: 34 Running pods have deletion_time = 12,902,960, the trace end;
//    their duration is the time they were observed, not a true run time.)
//  - kind: with spec.kind = inference, pods with a share < 1 are inference and
//    whole-GPU pods are training; with any other spec.kind every pod has that
//    kind.
//
// Replays in list order (any format; the static-packing experiment of the FGD
// paper, Weng et al., USENIX ATC'23, uses all of them):
//  - interval_s > 0: the i-th job released (i from 0) arrives at
//    start_s + i * interval_s; the trace's own times only order the jobs.
//  - duration_s > 0 replaces every job's duration (walltime = duration *
//    walltime_factor); +infinity: jobs never end (they hold what they got
//    until the horizon and are recorded unfinished).
// Alibaba only, both need interval_s > 0 (the pod list is then read whole, at
// about 100 bytes per pod, before the first job is released):
//  - shuffle: the pods are put in name order (column `name`; file order
//    without it), then shuffled (Fisher-Yates) with the trace's seed.
//    Without shuffle they keep submit-time order.
//  - tune_to = r > 0: the list's GPU demand (sum of num_gpu x gpu_milli) is
//    tuned to r x the GPUs of spec.center (x 1000 milli), as the FGD
//    artifact's TunePodsByNodeTotalResource does. Below the target, pods
//    drawn with replacement from the list before shuffling are appended
//    (named <name>-tuned-<k>) until the next draw would pass it; the stop
//    test adds the drawn pod's milli per GPU, not its total (the artifact's
//    rule, kept: a multi-GPU pod can end the list slightly above the
//    target). Above the target, pods drawn at random are removed until the
//    demand is at most the target. The draws come from the same seeded
//    stream, after the shuffle.
#pragma once

#include <cstdint>
#include <cstdio>
#include <memory>
#include <optional>
#include <queue>
#include <string>
#include <vector>

#include "sim/workload/job_source.hpp"
#include "sim/workload/streams.hpp"

namespace suanwang {

// Line reader over a gzip or plain file (zlib gzFile). Lines are returned
// without the trailing "\n" / "\r\n". A trace is text: a NUL byte (a file
// of zeros, a gzip bomb of zeros), a line longer than kMaxTraceLine, or
// gzip data that is corrupt or cut short is a UserError naming the line.
class TraceLineReader {
 public:
  explicit TraceLineReader(const std::string& path);  // UserError when unreadable
  ~TraceLineReader();
  TraceLineReader(const TraceLineReader&) = delete;
  TraceLineReader& operator=(const TraceLineReader&) = delete;
  bool getline(std::string* line);
  long long line_number() const { return line_no_; }

 private:
  bool fill();  // more bytes into buf_; false at the end of the data
  [[noreturn]] void fail(long long line, const std::string& what) const;

  std::string path_;
  void* gz_ = nullptr;  // gzFile
  long long line_no_ = 0;
  std::vector<char> buf_;
  std::size_t pos_ = 0, len_ = 0;  // unread bytes: buf_[pos_, len_)
  bool eof_ = false;
};

// The longest line a trace may have (the Alibaba pod list's are ~200 bytes).
inline constexpr std::size_t kMaxTraceLine = 1 << 20;

inline constexpr std::size_t kReorderWindow = 1024;

class TraceReader : public JobSource {
 public:
  // index: position in WorkloadSpec::traces (seed stream, messages); source: Job::source.
  TraceReader(const TraceSpec& spec, const topo::Topology& topo, std::uint64_t seed,
              std::size_t index, std::uint16_t source);
  std::optional<Job> next() final;
  // Lines read so far (header and comments included).
  virtual long long lines_read() const { return lines_.line_number(); }

 protected:
  // One parsed record; t_raw in the trace's own time base (seconds).
  struct Record {
    double t_raw = 0;
    long long line = 0;
    double gpus = 1, duration_s = 0, walltime_s = 0;
    double cpu_cores = 0, memory_B = 0;
    JobKind kind = JobKind::training;
  };
  // Reads the next usable record (skipping comments and skipped rows);
  // false at end of file. Throws UserError on a malformed line.
  virtual bool read_record(Record* out) = 0;
  [[noreturn]] void fail(const std::string& what) const;
  // The list-order options (interval, duration, shuffle, tune_to) make sense.
  static void check_list_options(const TraceSpec& spec);
  bool getline(std::string* line) { return lines_.getline(line); }
  long long line_number() const { return lines_.line_number(); }

  TraceSpec spec_;

 private:
  struct Later {
    bool operator()(const Record& a, const Record& b) const {
      return a.t_raw != b.t_raw ? a.t_raw > b.t_raw : a.line > b.line;
    }
  };
  TraceLineReader lines_;
  workload_detail::OriginSampler origins_;
  Rng rng_;
  std::uint16_t source_;
  std::priority_queue<Record, std::vector<Record>, Later> window_;
  bool eof_ = false;
  bool released_any_ = false;
  double t_first_ = 0, t_last_ = 0;
  long long released_ = 0;
};

class SwfReader final : public TraceReader {
 public:
  using TraceReader::TraceReader;

 protected:
  bool read_record(Record* out) override;
};

class PhillyReader final : public TraceReader {
 public:
  PhillyReader(const TraceSpec& spec, const topo::Topology& topo, std::uint64_t seed,
               std::size_t index, std::uint16_t source);
  long long lines_read() const override;
  // True when the file is plain text and is replayed through the sorted index.
  bool indexed() const { return file_ != nullptr; }

 protected:
  bool read_record(Record* out) override;

 private:
  // One usable row of a plain file: 16 bytes per job.
  struct IndexEntry {
    double t_raw;
    std::uint64_t offset;  // byte offset of the line's first character
  };
  static_assert(sizeof(IndexEntry) == 16);
  struct FileCloser {
    void operator()(std::FILE* f) const { std::fclose(f); }
  };
  // Parses one data line: "" and *skip = false when usable, "" and *skip = true
  // for a row to skip, else what is wrong with it.
  std::string parse_row(const std::string& line, Record* out, bool* skip) const;
  void build_index();
  bool line_at(std::uint64_t offset, std::string* line);
  long long line_number_at(std::uint64_t offset);
  [[noreturn]] void fail_at(long long line, const std::string& what) const;

  int c_time_ = -1, c_duration_ = -1, c_gpus_ = -1;
  std::size_t columns_ = 0;
  // Indexed mode (plain file): the file stays open, unbuffered; rbuf_ holds
  // the bytes [rbuf_start_, rbuf_start_ + rbuf_len_).
  std::unique_ptr<std::FILE, FileCloser> file_;
  bool index_built_ = false;
  std::vector<IndexEntry> index_;
  std::size_t served_ = 0;
  long long index_lines_ = 1;  // header
  std::vector<char> rbuf_;
  std::uint64_t rbuf_start_ = 0;
  std::size_t rbuf_len_ = 0;
};

class AlibabaReader final : public TraceReader {
 public:
  AlibabaReader(const TraceSpec& spec, const topo::Topology& topo, std::uint64_t seed,
                std::size_t index, std::uint16_t source);
  // List mode (shuffle or tune_to): the pods in release order, by name
  // (tuned copies "<name>-tuned-<k>"); empty in streaming mode. For tests.
  std::vector<std::string> pod_names() const;

 protected:
  bool read_record(Record* out) override;

 private:
  // One usable row: false for a row to skip (blank, or CPU-only unless kept).
  bool parse_row(const std::string& line, Record* out);
  void load_list(const topo::Topology& topo, std::uint64_t seed, std::size_t index);
  void tune(double capacity_milli, Rng& rng);

  int c_name_ = -1, c_num_gpu_ = -1, c_milli_ = -1, c_create_ = -1, c_delete_ = -1, c_sched_ = -1;
  int c_cpu_ = -1, c_mem_ = -1;  // optional: cpu_milli, memory_mib
  std::size_t columns_ = 0;
  // List mode: the pods in base order (name order with shuffle, else submit
  // order), and the release order as indices into it (tuned copies repeat
  // an index; k-th copy = tuned_from_ + k).
  struct ListedPod {
    Record record;
    std::string name;
  };
  bool list_mode_ = false;
  std::vector<ListedPod> pods_;
  std::vector<std::uint32_t> order_;
  std::size_t tuned_from_ = 0;   // order_[i >= tuned_from_] are tuned copies
  std::size_t served_ = 0;
};

std::unique_ptr<TraceReader> make_trace_reader(const TraceSpec& spec, const topo::Topology& topo,
                                               std::uint64_t seed, std::size_t index,
                                               std::uint16_t source);

}  // namespace suanwang

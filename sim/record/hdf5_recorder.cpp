#include "sim/record/hdf5_recorder.hpp"

#include <algorithm>
#include <condition_variable>
#include <exception>
#include <filesystem>
#include <initializer_list>
#include <map>
#include <mutex>
#include <set>
#include <stdexcept>
#include <system_error>
#include <thread>
#include <utility>
#include <vector>

#include "sim/core/user_error.hpp"
#include "sim/record/h5table.hpp"
#include "sim/record/h5util.hpp"
#include "sim/record/pending_file.hpp"
#include "sim/record/result_file.hpp"
#include "sim/record/result_seal.hpp"
#include "sim/record/run_format.hpp"
#include "sim/record/run_writer.hpp"

namespace suanwang {

namespace rf = run_format;
using h5::check_status;
using h5::Hid;
using run_writer::check_name;

namespace {

std::size_t max_len(const std::vector<std::string>& v, std::size_t at_least = 1) {
  std::size_t m = at_least;
  for (const auto& s : v) m = std::max(m, s.size());
  return m;
}

// Width of a fixed-length column holding the names (to_string) of `values`.
template <class E>
std::size_t name_width(std::initializer_list<E> values) {
  std::size_t m = 1;
  for (E v : values) m = std::max(m, std::string(to_string(v)).size());
  return m;
}

// Width of a column of traffic purposes (the traffic and flows tables).
std::size_t purpose_width() {
  std::size_t m = 1;
  for (int p = 0; p < kTrafficPurposes; ++p)
    m = std::max(m, std::string(to_string(static_cast<TrafficPurpose>(p))).size());
  return m;
}

h5::Layout layout_of(const rf::FieldSpec* specs, std::size_t n) {
  h5::Layout L;
  for (std::size_t f = 0; f < n; ++f) L.add(specs[f]);
  return L;
}

// A compound time series being appended in blocks of `block_rows` rows (its
// chunk): one series per center and per service, so their buffers together
// must stay small whatever the run's length.
struct Series {
  explicit Series(const h5::Layout* layout) : buf(layout) {}
  h5::Appender ds;
  h5::RowBuffer buf;
  hsize_t block_rows = 1;
};

// A series' chunk: chunk_rows, but at most ~32 KiB of rows. A center's hourly
// samples filled 4,096-row buffers only after 171 simulated days: 35 centers'
// buffers, grown by doubling, were what raised a year's peak RSS after the
// first month (+~25 MiB; heaptrack, bench/PROFILE.md).
constexpr std::size_t kSeriesBlockBytes = std::size_t{32} << 10;

// Writes the jobs and flows tables' chunks (HDF5's shuffle + deflate + the chunk write)
// on a worker thread while the simulation goes on: on 2 cores that takes the
// compression, a quarter of a run's CPU, off the simulation's path.
// Serial HDF5 is not thread-safe, so HDF5 is never called from two threads at
// once: the recorder calls drain() before any other HDF5 call, which waits
// until the worker is idle. The calls therefore reach HDF5 in the same order
// as without the worker, and the file is the same, byte for byte. At most two
// chunks are in the worker's hands (one being written, one waiting): memory
// stays bounded and a slow disk slows the simulation instead of filling RAM.
class ChunkWriter {
 public:
  ~ChunkWriter() { stop(); }

  // Hands `buf`'s rows to the worker for `ds` and gives back an empty buffer
  // in `buf`. Rethrows an error of an earlier write.
  void submit(h5::Appender& ds, h5::RowBuffer& buf) {
    std::unique_lock<std::mutex> lk(mu_);
    if (!thread_.joinable()) thread_ = std::thread([this] { work(); });
    idle_.wait(lk, [this] { return !has_next_ || error_; });
    rethrow_locked();
    // Three buffers go round: the caller's, the waiting one, the worker's.
    // Tables take turns (jobs, flows): a spare of another table's layout is
    // dropped, not handed to the wrong caller.
    h5::RowBuffer spare = std::move(next_);
    next_ = std::move(buf);
    buf = spare.layout() == next_.layout() ? std::move(spare) : h5::RowBuffer(next_.layout());
    buf.clear();
    next_ds_ = &ds;
    has_next_ = true;
    wake_.notify_one();
  }

  // Waits until every chunk handed over is written; rethrows a write error.
  void drain() {
    std::unique_lock<std::mutex> lk(mu_);
    idle_.wait(lk, [this] { return (!has_next_ && !busy_) || error_; });
    rethrow_locked();
  }

  // Waits for the worker and ends it (errors are dropped: for error paths).
  void stop() noexcept {
    {
      std::unique_lock<std::mutex> lk(mu_);
      if (!thread_.joinable()) return;
      idle_.wait(lk, [this] { return (!has_next_ && !busy_) || error_; });
      quit_ = true;
      has_next_ = false;
      wake_.notify_one();
    }
    thread_.join();
    thread_ = std::thread();
    quit_ = false;
    error_ = nullptr;
  }

 private:
  void rethrow_locked() {
    if (!error_) return;
    std::exception_ptr e = error_;
    error_ = nullptr;
    has_next_ = false;
    std::rethrow_exception(e);
  }

  void work() {
    std::unique_lock<std::mutex> lk(mu_);
    for (;;) {
      wake_.wait(lk, [this] { return has_next_ || quit_; });
      if (quit_) return;
      std::swap(current_, next_);
      h5::Appender* ds = next_ds_;
      has_next_ = false;
      busy_ = true;
      idle_.notify_all();
      lk.unlock();
      std::exception_ptr err;
      try {
        ds->write(current_.data(), current_.rows());
      } catch (...) {
        err = std::current_exception();
      }
      current_.clear();
      lk.lock();
      busy_ = false;
      if (err) error_ = err;
      idle_.notify_all();
    }
  }

  std::mutex mu_;
  std::condition_variable wake_, idle_;
  std::thread thread_;
  h5::RowBuffer next_{nullptr}, current_{nullptr};
  h5::Appender* next_ds_ = nullptr;
  bool has_next_ = false, busy_ = false, quit_ = false;
  std::exception_ptr error_;
};

}  // namespace

struct Hdf5Recorder::Impl {
  // First member, so destroyed last: after every HDF5 handle below is closed.
  std::unique_ptr<PendingFile> pending;
  Hdf5Options opt;
  Hid file, runs;
  std::set<std::string> run_ids;
  bool committed = false;
  bool in_run = false;
  RunSummary last_summary;
  SummaryAccumulator acc;

  // Per run: index -> name maps of the run's network, and open datasets.
  std::string run_id;
  std::vector<std::string> cities, centers, pools, datasets;
  RunInfo data_tier;  // its datasets and storage only, written at end_run
  std::size_t link_count = 0;
  Hid run, centers_group, links_group, services_group;
  h5::Layout job_layout;
  std::unique_ptr<Series> jobs;
  h5::Layout part_layout;
  std::unique_ptr<Series> parts;
  h5::Layout flow_layout;
  std::unique_ptr<Series> flows;  // null unless RunInfo::record_flows
  h5::Layout center_layout = layout_of(rf::kCenterFields, rf::center_col::n_fields);
  std::vector<std::unique_ptr<Series>> center_series;
  h5::Layout service_layout = layout_of(rf::kServiceFields, rf::service_col::n_fields);
  std::map<int, std::unique_ptr<Series>> services;
  hsize_t link_chunk = 1;
  h5::Appender link_time, link_util, link_bytes, link_up;
  std::vector<double> lt_buf, lu_buf, lb_buf;
  std::vector<std::uint8_t> lup_buf;

  // Last member, so destroyed first: its worker is done before any handle
  // above is closed.
  ChunkWriter writer;

  hsize_t chunk() const { return opt.chunk_rows == 0 ? 1 : opt.chunk_rows; }

  void flush(Series& s) {
    writer.drain();
    s.ds.write(s.buf.data(), s.buf.rows());
    s.buf.clear();
  }

  // A full chunk of job or flow rows goes to the worker (see ChunkWriter).
  void flush_in_background(Series& s) {
    if (opt.background_writes) {
      writer.submit(s.ds, s.buf);
    } else {
      flush(s);
    }
  }

  void flush_links() {
    const hsize_t n = lt_buf.size();
    if (n == 0) return;
    writer.drain();
    link_time.write(lt_buf.data(), n);
    link_util.write(lu_buf.data(), n);
    link_bytes.write(lb_buf.data(), n);
    link_up.write(lup_buf.data(), n);
    lt_buf.clear();
    lu_buf.clear();
    lb_buf.clear();
    lup_buf.clear();
  }

  // `small`: a per-center or per-service series (kSeriesBlockBytes blocks);
  // else the jobs or parts table (chunk_rows).
  void create_series_dataset(Series& s, hid_t parent, const std::string& name,
                             const h5::Layout& layout, const std::string& description, bool small = false) {
    Hid mt = layout.mem_type();
    Hid ft = layout.file_type();
    s.block_rows = small ? std::max<hsize_t>(1, std::min<hsize_t>(chunk(), kSeriesBlockBytes / std::max<std::size_t>(1, layout.size())))
                         : chunk();
    s.ds.create(parent, name, mt, ft, 1, 0, s.block_rows, opt.compression);
    h5::describe(s.ds.id(), description, layout);
  }

  void create_link_dataset(h5::Appender& a, const rf::DatasetSpec& spec, hid_t mem_type,
                           hid_t file_type, int rank) {
    a.create(links_group, spec.name, mem_type, file_type, rank, link_count, link_chunk,
             opt.compression);
    h5::describe(a.id(), spec.description, spec.units);
  }

  // Name of `index` in `names`; "" for a negative index (JobRecord's "none").
  static const std::string& name_of(const std::vector<std::string>& names, int index,
                                    const char* what) {
    static const std::string none;
    if (index < 0) return none;
    if (static_cast<std::size_t>(index) >= names.size())
      throw std::logic_error(std::string("HDF5 recorder: ") + what + " index " +
                             std::to_string(index) + " out of range");
    return names[static_cast<std::size_t>(index)];
  }
  const std::string& center_name(int index) const {
    if (index < 0 || static_cast<std::size_t>(index) >= centers.size())
      throw std::logic_error("HDF5 recorder: center index " + std::to_string(index) +
                             " out of range");
    return centers[static_cast<std::size_t>(index)];
  }

  // Closes every handle of the current run (never throws).
  void drop_run() noexcept {
    writer.stop();
    jobs.reset();
    parts.reset();
    flows.reset();
    center_series.clear();
    services.clear();
    link_time = {};
    link_util = {};
    link_bytes = {};
    link_up = {};
    lt_buf.clear();
    lu_buf.clear();
    lb_buf.clear();
    lup_buf.clear();
    services_group.reset();
    links_group.reset();
    centers_group.reset();
    run.reset();
    in_run = false;
  }

  void create_jobs_table() {
    namespace c = rf::job_col;
    const std::size_t kind_w = name_width({JobKind::training, JobKind::finetune, JobKind::inference});
    const std::size_t status_w =
        name_width({JobStatus::completed, JobStatus::failed, JobStatus::rejected, JobStatus::unfinished});
    // chip is as wide as pool ("City/chip"), which holds it.
    const std::size_t city_w = max_len(cities), pool_w = max_len(pools);
    h5::Layout L;
    for (std::size_t f = 0; f < c::n_fields; ++f) {
      std::size_t w = 0;
      switch (f) {
        case c::kind: w = kind_w; break;
        case c::origin: case c::center: case c::data_from: w = city_w; break;
        case c::dataset: w = max_len(datasets); break;
        case c::pool: case c::chip: w = pool_w; break;
        case c::status: w = status_w; break;
      }
      L.add(rf::kJobFields[f], w);
    }
    job_layout = std::move(L);
    jobs = std::make_unique<Series>(&job_layout);
    create_series_dataset(*jobs, run, rf::run_member::jobs, job_layout, rf::kJobsDescription);
  }

  void create_parts_table() {
    namespace c = rf::part_col;
    const std::size_t outcome_w =
        name_width({PartOutcome::completed, PartOutcome::killed, PartOutcome::released, PartOutcome::unfinished});
    h5::Layout L;
    for (std::size_t f = 0; f < c::n_fields; ++f) {
      std::size_t w = 0;
      switch (f) {
        case c::center: w = max_len(cities); break;
        case c::pool: w = max_len(pools); break;
        case c::outcome: w = outcome_w; break;
      }
      L.add(rf::kPartFields[f], w);
    }
    part_layout = std::move(L);
    parts = std::make_unique<Series>(&part_layout);
    create_series_dataset(*parts, run, rf::run_member::parts, part_layout, rf::kPartsDescription);
  }

  void create_flows_table() {
    namespace c = rf::flow_col;
    const std::size_t purpose_w = purpose_width();
    const std::size_t outcome_w = name_width({FlowOutcome::completed, FlowOutcome::lost, FlowOutcome::unfinished});
    h5::Layout L;
    for (std::size_t f = 0; f < c::n_fields; ++f) {
      std::size_t w = 0;
      switch (f) {
        case c::purpose: w = purpose_w; break;
        case c::src: case c::dst: w = max_len(cities); break;
        case c::outcome: w = outcome_w; break;
      }
      L.add(rf::kFlowFields[f], w);
    }
    flow_layout = std::move(L);
    flows = std::make_unique<Series>(&flow_layout);
    create_series_dataset(*flows, run, rf::run_member::flows, flow_layout, rf::kFlowsDescription);
  }

  void create_center_series() {
    centers_group = h5::create_group(run, rf::run_member::centers);
    center_series.clear();
    std::set<std::string> seen;
    for (const std::string& name : centers) {
      check_name(name, "center");
      if (!seen.insert(name).second)
        throw std::logic_error("HDF5 recorder: center " + name + " listed twice");
      auto s = std::make_unique<Series>(&center_layout);
      create_series_dataset(*s, centers_group, name, center_layout,
                            rf::center_series_description(name), true);
      center_series.push_back(std::move(s));
    }
  }

  void create_link_series(const NetworkInfo& net) {
    namespace ls = rf::link_series;
    links_group = h5::create_group(run, rf::run_member::links);
    link_count = net.links.size();
    // Keep a chunk of an (n x links) dataset near 1 MiB.
    const hsize_t per_row = std::max<hsize_t>(1, link_count) * 8;
    link_chunk = std::max<hsize_t>(1, std::min<hsize_t>(chunk(), (1u << 20) / per_row));
    create_link_dataset(link_time, ls::time_s, H5T_NATIVE_DOUBLE, H5T_NATIVE_DOUBLE, 1);
    create_link_dataset(link_util, ls::utilization, H5T_NATIVE_DOUBLE, H5T_NATIVE_DOUBLE, 2);
    create_link_dataset(link_bytes, ls::bytes, H5T_NATIVE_DOUBLE, H5T_NATIVE_DOUBLE, 2);
    create_link_dataset(link_up, ls::up, H5T_NATIVE_UINT8, H5T_STD_U8LE, 2);
    Hid t = h5::vlen_utf8();
    hsize_t n = link_count;
    Hid space(H5Screate_simple(1, &n, nullptr), "H5Screate_simple");
    Hid ds(H5Dcreate2(links_group, ls::names.name, t, space, H5P_DEFAULT, H5P_DEFAULT,
                      H5P_DEFAULT),
           "H5Dcreate2 names");
    if (n > 0) {
      std::vector<const char*> p;
      for (const LinkInfo& l : net.links) p.push_back(l.name.c_str());
      check_status(H5Dwrite(ds, t, H5S_ALL, H5S_ALL, H5P_DEFAULT, p.data()), "H5Dwrite names");
    }
    h5::describe(ds, ls::names.description, ls::names.units);
    ds.close("H5Dclose names");
  }

  void write_center_totals(const RunEnd& end) {
    namespace c = rf::totals_col;
    std::size_t center_w = max_len(centers);
    h5::Layout L;
    for (std::size_t f = 0; f < c::n_fields; ++f)
      L.add(rf::kCenterTotalsFields[f], f == c::center ? center_w : 0);
    h5::RowBuffer b(&L);
    for (const CenterTotals& t : end.centers) {
      b.begin_row();
      b.str(c::center, center_name(t.center));
      b.f64(c::energy_J, t.energy_J);
      b.f64(c::it_energy_J, t.it_energy_J);
      b.f64(c::cost_CNY, t.cost_CNY);
      b.f64(c::carbon_kg, t.carbon_kg);
      b.f64(c::busy_chip_seconds, t.busy_chip_seconds);
      b.u64(c::jobs_completed, t.jobs_completed);
      b.f64(c::cache_B, t.cache_B);
      b.u64(c::cache_hits, t.cache_hits);
      b.u64(c::cache_misses, t.cache_misses);
      b.u64(c::cache_evictions, t.cache_evictions);
    }
    h5::write_table(run, rf::run_member::center_totals, L, b, rf::kCenterTotalsDescription);
  }

  // The datasets, storage and traffic tables (the data tier).
  void write_data_tier(const RunEnd& end) {
    write_datasets(end);
    write_storage(end);
    write_traffic(end);
  }

  void write_datasets(const RunEnd& end) {
    namespace c = rf::dataset_col;
    const auto& ds = data_tier.datasets;
    if (end.dataset_requests.size() != ds.size() || end.dataset_served.size() != ds.size())
      throw std::logic_error("HDF5 recorder: dataset counts do not match the catalog");
    std::vector<std::string> homes;
    for (const DatasetInfo& d : ds) {
      std::string h;
      for (const int city : d.homes) h += (h.empty() ? "" : ";") + name_of(cities, city, "city");
      homes.push_back(std::move(h));
    }
    h5::Layout L;
    for (std::size_t f = 0; f < c::n_fields; ++f)
      L.add(rf::kDatasetFields[f], f == c::name ? max_len(datasets) : f == c::homes ? max_len(homes) : 0);
    h5::RowBuffer b(&L);
    for (std::size_t i = 0; i < ds.size(); ++i) {
      b.begin_row();
      b.str(c::name, ds[i].name);
      b.f64(c::size_B, ds[i].size_B);
      b.f64(c::weight, ds[i].weight);
      b.str(c::homes, homes[i]);
      b.u64(c::requests, end.dataset_requests[i]);
      b.u64(c::cache_served, end.dataset_served[i]);
    }
    h5::write_table(run, rf::run_member::datasets, L, b, rf::kDatasetsDescription);
  }

  void write_storage(const RunEnd& end) {
    namespace c = rf::storage_col;
    const auto& sites = data_tier.storage;
    if (end.storage_read_B.size() != sites.size())
      throw std::logic_error("HDF5 recorder: storage reads do not match the sites");
    h5::Layout L;
    for (std::size_t f = 0; f < c::n_fields; ++f) L.add(rf::kStorageFields[f], f == c::city ? max_len(cities) : 0);
    h5::RowBuffer b(&L);
    for (std::size_t i = 0; i < sites.size(); ++i) {
      b.begin_row();
      b.str(c::city, name_of(cities, sites[i].city, "city"));
      b.f64(c::read_Bps, sites[i].read_Bps);
      b.f64(c::capacity_B, sites[i].capacity_B);
      b.f64(c::read_B, end.storage_read_B[i]);
    }
    h5::write_table(run, rf::run_member::storage, L, b, rf::kStorageDescription);
  }

  void write_traffic(const RunEnd& end) {
    namespace c = rf::traffic_col;
    const std::size_t purpose_w = purpose_width();
    h5::Layout L;
    for (std::size_t f = 0; f < c::n_fields; ++f)
      L.add(rf::kTrafficFields[f], f == c::purpose ? purpose_w : f == c::bytes ? 0 : max_len(cities));
    h5::RowBuffer b(&L);
    for (const TrafficCell& t : end.traffic) {
      b.begin_row();
      b.str(c::src, name_of(cities, t.src, "city"));
      b.str(c::dst, name_of(cities, t.dst, "city"));
      b.str(c::purpose, to_string(t.purpose));
      b.f64(c::bytes, t.bytes);
    }
    h5::write_table(run, rf::run_member::traffic, L, b, rf::kTrafficDescription);
  }
};

Hdf5Recorder::Hdf5Recorder(std::string target_path, Hdf5Options options)
    : impl_(std::make_unique<Impl>()) {
  Impl& m = *impl_;
  m.opt = options;
  if (m.opt.compression < 0) m.opt.compression = 0;
  if (m.opt.compression > 9) m.opt.compression = 9;
  PendingFile::check_target(target_path, m.opt.force);
  m.pending = std::make_unique<PendingFile>(std::move(target_path));
  h5::about_file(m.pending->target(), "create the result file", [&] {
    m.file = h5::create_file(m.pending->path(), H5F_ACC_TRUNC, kSealBytes);
    try {
      run_writer::write_root_attributes(m.file);
      m.runs = h5::create_group(m.file, rf::kRuns);
    } catch (...) {
      m.runs.reset();
      m.file.reset();
      throw;
    }
  });
}

// The methods below are function-try-blocks: an HDF5 failure (a full disk,
// a quota) is about the target, one line naming it.

Hdf5Recorder::~Hdf5Recorder() {
  if (!impl_ || impl_->committed) return;
  Impl& m = *impl_;
  m.drop_run();
  m.runs.reset();
  m.file.reset();
  // m.pending removes the temporary file.
}

void Hdf5Recorder::begin_run(const RunInfo& info) try {
  Impl& m = *impl_;
  if (m.committed) throw std::logic_error("HDF5 recorder: begin_run after commit");
  if (m.in_run) throw std::logic_error("HDF5 recorder: begin_run inside a run");
  check_name(info.run_id, "run id");
  if (!m.run_ids.insert(info.run_id).second)
    throw std::logic_error("HDF5 recorder: run " + info.run_id + " recorded twice");
  const NetworkInfo& net = info.network;
  for (std::size_t p = 0; p < net.pools.size(); ++p) {
    const int city = net.pools[p].city;
    if (city < 0 || static_cast<std::size_t>(city) >= net.cities.size() ||
        (p > 0 && city < net.pools[p - 1].city))
      throw std::logic_error("HDF5 recorder: pool " + std::to_string(p) +
                             " has no city, or pools are not grouped by center in city order");
  }
  m.run_id = info.run_id;
  m.cities.clear();
  for (const CityInfo& c : net.cities) m.cities.push_back(c.name);
  m.centers.clear();
  for (int c : net.center_cities()) m.centers.push_back(Impl::name_of(m.cities, c, "city"));
  m.pools.clear();
  for (std::size_t p = 0; p < net.pools.size(); ++p) m.pools.push_back(net.pool_name(p));
  m.datasets.clear();
  for (const DatasetInfo& d : info.datasets) m.datasets.push_back(d.name);
  m.data_tier.datasets = info.datasets;
  m.data_tier.storage = info.storage;
  m.acc.reset();
  m.in_run = true;

  m.run = run_writer::create_run_group(m.runs, info, rf::kStatusRunning);  // status: end_run
  run_writer::write_network(m.run, net);
  m.create_jobs_table();
  m.create_parts_table();
  if (info.record_flows) m.create_flows_table();
  m.create_center_series();
  m.create_link_series(net);
  m.services_group = h5::create_group(m.run, rf::run_member::services);
  m.services.clear();
} catch (const h5::Error& e) {
  h5::rethrow_about_file(impl_->pending->target(), "write the result file", e);
}

void Hdf5Recorder::job(const JobRecord& row) try {
  namespace c = rf::job_col;
  Impl& m = *impl_;
  if (!m.in_run) throw std::logic_error("HDF5 recorder: job outside a run");
  h5::RowBuffer& b = m.jobs->buf;
  b.begin_row();
  b.u64(c::id, row.id);
  b.str(c::kind, to_string(row.kind));
  b.str(c::origin, Impl::name_of(m.cities, row.origin, "city"));
  b.str(c::center, Impl::name_of(m.cities, row.center, "city"));
  b.str(c::pool, Impl::name_of(m.pools, row.pool, "pool"));
  b.str(c::chip, row.chip);
  b.f64(c::submit_s, row.submit_s);
  b.f64(c::start_s, row.start_s);
  b.f64(c::end_s, row.end_s);
  b.f64(c::wait_s, row.wait_s);
  b.f64(c::gpus, row.gpus);
  b.f64(c::transfer_s, row.transfer_s);
  b.f64(c::transfer_delay_s, row.transfer_delay_s);
  b.f64(c::bytes_moved, row.bytes_moved);
  b.f64(c::energy_J, row.energy_J);
  b.f64(c::cost_CNY, row.cost_CNY);
  b.f64(c::carbon_kg, row.carbon_kg);
  b.i32(c::restarts, row.restarts);
  b.i32(c::server, row.server);
  b.i32(c::servers, row.servers);
  b.i32(c::preemptions, row.preemptions);
  b.f64(c::lost_chip_s, row.lost_chip_s);
  b.str(c::dataset, Impl::name_of(m.datasets, row.dataset, "dataset"));
  b.i32(c::cache_hit, row.cache_hit);
  b.str(c::data_from, Impl::name_of(m.cities, row.data_from, "city"));
  b.f64(c::data_wait_s, row.data_wait_s);
  b.f64(c::stall_s, row.stall_s);
  b.i32(c::parts, row.parts);
  b.f64(c::sync_B, row.sync_B);
  b.f64(c::span_slowdown, row.span_slowdown);
  b.str(c::status, to_string(row.status));
  b.str(c::reason, rf::clip_reason(row.reason));
  m.acc.add(row);
  if (b.rows() >= m.chunk()) m.flush_in_background(*m.jobs);
} catch (const h5::Error& e) {
  h5::rethrow_about_file(impl_->pending->target(), "write the result file", e);
}

void Hdf5Recorder::part(const PartRecord& row) try {
  namespace c = rf::part_col;
  Impl& m = *impl_;
  if (!m.in_run) throw std::logic_error("HDF5 recorder: part outside a run");
  h5::RowBuffer& b = m.parts->buf;
  b.begin_row();
  b.u64(c::job, row.job);
  b.i32(c::attempt, row.attempt);
  b.i32(c::part, row.part);
  b.str(c::center, Impl::name_of(m.cities, row.center, "city"));
  b.str(c::pool, Impl::name_of(m.pools, row.pool, "pool"));
  b.f64(c::gpus, row.gpus);
  b.f64(c::start_s, row.start_s);
  b.f64(c::end_s, row.end_s);
  b.f64(c::held_idle_s, row.held_idle_s);
  b.f64(c::sync_B, row.sync_B);
  b.f64(c::sync_delay_s, row.sync_delay_s);
  b.f64(c::energy_J, row.energy_J);
  b.str(c::outcome, to_string(row.outcome));
  if (b.rows() >= m.chunk()) m.flush(*m.parts);
} catch (const h5::Error& e) {
  h5::rethrow_about_file(impl_->pending->target(), "write the result file", e);
}

void Hdf5Recorder::flow(const FlowRecord& row) try {
  namespace c = rf::flow_col;
  Impl& m = *impl_;
  if (!m.in_run) throw std::logic_error("HDF5 recorder: flow outside a run");
  if (!m.flows) throw std::logic_error("HDF5 recorder: flow in a run without record_flows");
  h5::RowBuffer& b = m.flows->buf;
  b.begin_row();
  b.u64(c::job, row.job);
  b.str(c::purpose, to_string(row.purpose));
  b.str(c::src, Impl::name_of(m.cities, row.src, "city"));
  b.str(c::dst, Impl::name_of(m.cities, row.dst, "city"));
  b.i32(c::from_storage, row.from_storage ? 1 : 0);
  b.i32(c::variant, row.variant);
  b.f64(c::start_s, row.start_s);
  b.f64(c::end_s, row.end_s);
  b.f64(c::bytes, row.bytes);
  b.f64(c::moved_B, row.moved_B);
  b.str(c::outcome, to_string(row.outcome));
  if (b.rows() >= m.chunk()) m.flush_in_background(*m.flows);
} catch (const h5::Error& e) {
  h5::rethrow_about_file(impl_->pending->target(), "write the result file", e);
}

void Hdf5Recorder::center_sample(const CenterSample& s) try {
  namespace c = rf::center_col;
  Impl& m = *impl_;
  if (!m.in_run) throw std::logic_error("HDF5 recorder: center_sample outside a run");
  m.center_name(s.center);  // range check
  Series& ser = *m.center_series[static_cast<std::size_t>(s.center)];
  ser.buf.begin_row();
  ser.buf.f64(c::time_s, s.time_s);
  ser.buf.f64(c::busy_chips, s.busy_chips);
  ser.buf.i32(c::queue_length, s.queue_length);
  ser.buf.i32(c::running_jobs, s.running_jobs);
  ser.buf.f64(c::power_W, s.power_W);
  ser.buf.f64(c::energy_J, s.energy_J);
  ser.buf.u8(c::up, s.up ? 1 : 0);
  ser.buf.f64(c::fragmented_chips, s.fragmented_chips);
  ser.buf.f64(c::cache_used_B, s.cache_used_B);
  if (ser.buf.rows() >= ser.block_rows) m.flush(ser);
} catch (const h5::Error& e) {
  h5::rethrow_about_file(impl_->pending->target(), "write the result file", e);
}

void Hdf5Recorder::link_sample(const LinkSample& s) try {
  Impl& m = *impl_;
  if (!m.in_run) throw std::logic_error("HDF5 recorder: link_sample outside a run");
  const std::size_t nl = m.link_count;
  if (s.utilization.size() != nl || s.bytes.size() != nl || s.up.size() != nl)
    throw std::logic_error("HDF5 recorder: link sample has the wrong number of links");
  m.lt_buf.push_back(s.time_s);
  m.lu_buf.insert(m.lu_buf.end(), s.utilization.begin(), s.utilization.end());
  m.lb_buf.insert(m.lb_buf.end(), s.bytes.begin(), s.bytes.end());
  m.lup_buf.insert(m.lup_buf.end(), s.up.begin(), s.up.end());
  if (m.lt_buf.size() >= m.link_chunk) m.flush_links();
} catch (const h5::Error& e) {
  h5::rethrow_about_file(impl_->pending->target(), "write the result file", e);
}

void Hdf5Recorder::service_sample(const ServiceSample& s) try {
  namespace c = rf::service_col;
  Impl& m = *impl_;
  if (!m.in_run) throw std::logic_error("HDF5 recorder: service_sample outside a run");
  if (s.service < 0) throw std::logic_error("HDF5 recorder: service index < 0");
  auto it = m.services.find(s.service);
  if (it == m.services.end()) {
    m.writer.drain();
    // Names arrive with RunEnd: the dataset is created under its index and
    // renamed by end_run.
    auto ser = std::make_unique<Series>(&m.service_layout);
    m.create_series_dataset(*ser, m.services_group, std::to_string(s.service), m.service_layout,
                            rf::kServiceDescription, true);
    it = m.services.emplace(s.service, std::move(ser)).first;
  }
  Series& ser = *it->second;
  ser.buf.begin_row();
  ser.buf.f64(c::time_s, s.time_s);
  ser.buf.f64(c::request_rate_per_s, s.request_rate_per_s);
  ser.buf.f64(c::p50_latency_s, s.p50_latency_s);
  ser.buf.f64(c::p95_latency_s, s.p95_latency_s);
  ser.buf.f64(c::p99_latency_s, s.p99_latency_s);
  ser.buf.f64(c::slo_violation_fraction, s.slo_violation_fraction);
  ser.buf.f64(c::utilization, s.utilization);
  ser.buf.f64(c::lent_chips, s.lent_chips);
  ser.buf.f64(c::borrowed_chips, s.borrowed_chips);
  if (ser.buf.rows() >= ser.block_rows) m.flush(ser);
} catch (const h5::Error& e) {
  h5::rethrow_about_file(impl_->pending->target(), "write the result file", e);
}

void Hdf5Recorder::end_run(const RunEnd& end) try {
  namespace a = rf::run_attr;
  Impl& m = *impl_;
  if (!m.in_run) throw std::logic_error("HDF5 recorder: end_run outside a run");
  hid_t r = m.run;

  m.flush(*m.jobs);
  m.jobs->ds.close("H5Dclose jobs");
  m.flush(*m.parts);
  m.parts->ds.close("H5Dclose parts");
  if (m.flows) {
    m.flush(*m.flows);
    m.flows->ds.close("H5Dclose flows");
  }
  for (auto& s : m.center_series) {
    m.flush(*s);
    s->ds.close("H5Dclose center");
  }
  m.flush_links();
  m.link_time.close("H5Dclose links/time_s");
  m.link_util.close("H5Dclose links/utilization");
  m.link_bytes.close("H5Dclose links/bytes");
  m.link_up.close("H5Dclose links/up");
  for (auto& [index, s] : m.services) {
    m.flush(*s);
    s->ds.close("H5Dclose service");
  }
  // Rename services from index to name (two passes would be needed only if a
  // name were itself a number of another service; names are checked unique).
  {
    std::set<std::string> seen;
    for (auto& [index, s] : m.services) {
      if (static_cast<std::size_t>(index) >= end.services.size()) continue;
      const std::string& name = end.services[static_cast<std::size_t>(index)];
      check_name(name, "service");
      if (!seen.insert(name).second)
        throw std::logic_error("HDF5 recorder: service " + name + " listed twice");
      const std::string from = std::to_string(index);
      if (name == from) continue;
      check_status(H5Lmove(m.services_group, from.c_str(), m.services_group, name.c_str(),
                           H5P_DEFAULT, H5P_DEFAULT),
                   ("H5Lmove services/" + from + " -> " + name).c_str());
    }
  }

  h5::attr_f64(r, a::wall_time_s, end.wall_time_s);
  h5::attr_f64(r, a::simulated_s, end.simulated_s);
  h5::attr_f64(r, a::chip_seconds_available, end.chip_seconds_available);
  h5::attr_f64(r, a::busy_chip_seconds, end.busy_chip_seconds);
  check_status(H5Adelete(r, a::status), "H5Adelete status");
  h5::attr_string(r, a::status, end.status);

  m.last_summary = m.acc.finish(end);
  run_writer::write_summary(r, m.last_summary);
  m.write_center_totals(end);
  m.write_data_tier(end);

  m.services_group.close("H5Gclose services");
  m.links_group.close("H5Gclose links");
  m.centers_group.close("H5Gclose centers");
  m.run.close("H5Gclose run");
  m.drop_run();
} catch (const h5::Error& e) {
  h5::rethrow_about_file(impl_->pending->target(), "write the result file", e);
}

void Hdf5Recorder::commit() try {
  Impl& m = *impl_;
  if (m.committed) return;
  if (m.in_run) throw std::logic_error("HDF5 recorder: commit with a run still open");
  m.runs.close("H5Gclose runs");
  const ssize_t open = H5Fget_obj_count(m.file, H5F_OBJ_ALL);
  if (open != 1)
    throw std::logic_error("HDF5 recorder: " + std::to_string(open) +
                           " HDF5 objects open at commit (expected only the file)");
  check_status(H5Fflush(m.file, H5F_SCOPE_LOCAL), "H5Fflush");
  m.file.close("H5Fclose");
  commit_result_file(*m.pending, m.opt.force);
  m.committed = true;
} catch (const h5::Error& e) {
  h5::rethrow_about_file(impl_->pending->target(), "write the result file", e);
}

const RunSummary& Hdf5Recorder::summary() const { return impl_->last_summary; }
const std::string& Hdf5Recorder::target_path() const { return impl_->pending->target(); }
const std::string& Hdf5Recorder::temp_path() const { return impl_->pending->path(); }

}  // namespace suanwang

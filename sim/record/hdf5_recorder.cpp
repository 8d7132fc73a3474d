#include "sim/record/hdf5_recorder.hpp"

#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <set>
#include <stdexcept>
#include <system_error>
#include <vector>

#include "sim/core/user_error.hpp"
#include "sim/core/version.hpp"
#include "sim/record/h5table.hpp"
#include "sim/record/h5util.hpp"

namespace suanwang {

namespace fs = std::filesystem;
using h5::check_status;
using h5::FieldKind;
using h5::Hid;

namespace {

// The reason column is fixed-width: a variable-length field would make every
// copy of the table (sweeps merge runs with H5Ocopy) convert each row through
// the global heap, 30x slower than copying the compressed chunks as they are.
// Zero padding compresses away. Longer texts are cut at a UTF-8 boundary.
constexpr std::size_t kReasonBytes = 256;

std::string clip_reason(const std::string& reason) {
  if (reason.size() <= kReasonBytes) return reason;
  std::size_t cut = kReasonBytes - 3;
  while (cut > 0 && (static_cast<unsigned char>(reason[cut]) & 0xC0) == 0x80) --cut;
  return reason.substr(0, cut) + "...";
}

}  // namespace

namespace {

constexpr const char* kFormatVersion = "1.0";

std::size_t max_len(const std::vector<std::string>& v, std::size_t at_least = 1) {
  std::size_t m = at_least;
  for (const auto& s : v) m = std::max(m, s.size());
  return m;
}

void check_name(const std::string& name, const std::string& what) {
  if (name.empty() || name == "." || name.find('/') != std::string::npos)
    throw std::logic_error("HDF5 recorder: " + what + " '" + name +
                           "' cannot be an HDF5 name (empty, '.' or contains '/')");
}

// Column indices of the jobs table.
struct JobCols {
  std::size_t id, kind, origin, center, pool, chip, submit_s, start_s, end_s, wait_s, gpus,
      transfer_s, transfer_delay_s, bytes_moved, energy_J, cost_CNY, carbon_kg, restarts, status,
      reason;
};

struct CenterCols {
  std::size_t time_s, busy_chips, queue_length, running_jobs, power_W, energy_J, up;
};

struct ServiceCols {
  std::size_t time_s, rate, p50, p95, p99, slo, util;
};

h5::Layout center_layout(CenterCols& c) {
  h5::Layout L;
  c.time_s = L.add("time_s", FieldKind::f64, "s");
  c.busy_chips = L.add("busy_chips", FieldKind::f64, "chips");
  c.queue_length = L.add("queue_length", FieldKind::i32, "jobs");
  c.running_jobs = L.add("running_jobs", FieldKind::i32, "jobs");
  c.power_W = L.add("power_W", FieldKind::f64, "W");
  c.energy_J = L.add("energy_J", FieldKind::f64, "J");
  c.up = L.add("up", FieldKind::u8, "1");
  return L;
}

h5::Layout service_layout(ServiceCols& c) {
  h5::Layout L;
  c.time_s = L.add("time_s", FieldKind::f64, "s");
  c.rate = L.add("request_rate_per_s", FieldKind::f64, "1/s");
  c.p50 = L.add("p50_latency_s", FieldKind::f64, "s");
  c.p95 = L.add("p95_latency_s", FieldKind::f64, "s");
  c.p99 = L.add("p99_latency_s", FieldKind::f64, "s");
  c.slo = L.add("slo_violation_fraction", FieldKind::f64, "1");
  c.util = L.add("utilization", FieldKind::f64, "1");
  return L;
}

// A compound time series being appended in blocks.
struct Series {
  explicit Series(const h5::Layout* layout) : buf(layout) {}
  h5::Appender ds;
  h5::RowBuffer buf;
};

}  // namespace

struct Hdf5Recorder::Impl {
  std::string target, temp;
  Hdf5Options opt;
  Hid file, runs;
  std::set<std::string> run_ids;
  bool committed = false;
  bool in_run = false;
  RunSummary last_summary;
  SummaryAccumulator acc;

  // Per run.
  RunInfo info;
  Hid run, centers_group, links_group, services_group;
  h5::Layout job_layout;
  JobCols jc{};
  std::unique_ptr<Series> jobs;
  h5::Layout center_lay;
  CenterCols cc{};
  std::vector<std::unique_ptr<Series>> centers;
  h5::Layout service_lay;
  ServiceCols sc{};
  std::map<int, std::unique_ptr<Series>> services;
  hsize_t link_chunk = 1;
  h5::Appender link_time, link_util, link_bytes, link_up;
  std::vector<double> lt_buf, lu_buf, lb_buf;
  std::vector<std::uint8_t> lup_buf;

  hsize_t chunk() const { return opt.chunk_rows == 0 ? 1 : opt.chunk_rows; }

  void flush(Series& s) {
    s.ds.write(s.buf.data(), s.buf.rows());
    s.buf.clear();
  }

  void flush_links() {
    const hsize_t n = lt_buf.size();
    if (n == 0) return;
    link_time.write(lt_buf.data(), n);
    link_util.write(lu_buf.data(), n);
    link_bytes.write(lb_buf.data(), n);
    link_up.write(lup_buf.data(), n);
    lt_buf.clear();
    lu_buf.clear();
    lb_buf.clear();
    lup_buf.clear();
  }

  void create_series_dataset(Series& s, hid_t parent, const std::string& name,
                             const h5::Layout& layout, const std::string& description) {
    Hid mt = layout.mem_type();
    Hid ft = layout.file_type();
    s.ds.create(parent, name, mt, ft, 1, 0, chunk(), opt.compression);
    h5::describe(s.ds.id(), description, layout);
  }

  std::string city(int index) const {
    if (index < 0) return "";
    if (static_cast<std::size_t>(index) >= info.cities.size())
      throw std::logic_error("HDF5 recorder: city index " + std::to_string(index) +
                             " out of range");
    return info.cities[static_cast<std::size_t>(index)];
  }
  std::string pool(int index) const {
    if (index < 0) return "";
    if (static_cast<std::size_t>(index) >= info.pools.size())
      throw std::logic_error("HDF5 recorder: pool index " + std::to_string(index) +
                             " out of range");
    return info.pools[static_cast<std::size_t>(index)];
  }
  std::string center_name(int index) const {
    if (index < 0 || static_cast<std::size_t>(index) >= info.centers.size())
      throw std::logic_error("HDF5 recorder: center index " + std::to_string(index) +
                             " out of range");
    return info.centers[static_cast<std::size_t>(index)];
  }

  // Closes every handle of the current run (never throws).
  void drop_run() noexcept {
    jobs.reset();
    centers.clear();
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
};

Hdf5Recorder::Hdf5Recorder(std::string target_path, Hdf5Options options)
    : impl_(std::make_unique<Impl>()) {
  Impl& m = *impl_;
  m.target = std::move(target_path);
  m.opt = options;
  if (m.opt.compression < 0) m.opt.compression = 0;
  if (m.opt.compression > 9) m.opt.compression = 9;
  std::error_code ec;
  if (fs::exists(m.target, ec) && !m.opt.force)
    throw UserError(m.target, "", "exists (use --force to overwrite)");
  fs::path dir = fs::path(m.target).parent_path();
  if (!dir.empty() && !fs::is_directory(dir, ec))
    throw UserError(m.target, "", "directory " + dir.string() + " does not exist");
  m.temp = m.target + ".tmp-" + std::to_string(::getpid());
  m.file = Hid(H5Fcreate(m.temp.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT),
               ("H5Fcreate " + m.temp).c_str());
  try {
    h5::attr_string(m.file, "suanwang_version", kVersion);
    h5::attr_string(m.file, "git_revision", kGitRevision);
    h5::attr_string(m.file, "format_version", kFormatVersion);
    h5::attr_string(m.file, "created", h5::iso8601_utc_now());
    m.runs = h5::create_group(m.file, "runs");
  } catch (...) {
    m.runs.reset();
    m.file.reset();
    fs::remove(m.temp, ec);
    throw;
  }
}

Hdf5Recorder::~Hdf5Recorder() {
  if (!impl_ || impl_->committed) return;
  Impl& m = *impl_;
  m.drop_run();
  m.runs.reset();
  m.file.reset();
  std::error_code ec;
  fs::remove(m.temp, ec);
}

void Hdf5Recorder::begin_run(const RunInfo& info) {
  Impl& m = *impl_;
  if (m.committed) throw std::logic_error("HDF5 recorder: begin_run after commit");
  if (m.in_run) throw std::logic_error("HDF5 recorder: begin_run inside a run");
  check_name(info.run_id, "run id");
  if (!m.run_ids.insert(info.run_id).second)
    throw std::logic_error("HDF5 recorder: run " + info.run_id + " recorded twice");
  m.info = info;
  m.acc.reset();
  m.in_run = true;

  m.run = h5::create_group(m.runs, info.run_id);
  hid_t r = m.run;
  h5::attr_string(r, "scenario_name", info.scenario_name);
  h5::attr_string(r, "scenario_file", info.scenario_file);
  h5::attr_string(r, "scenario_text", info.scenario_text);
  h5::attr_string(r, "policy_name", info.policy_name);
  h5::attr_string(r, "policy_text", info.policy_text);
  h5::attr_u64(r, "seed", info.seed);
  h5::attr_f64(r, "duration_s", info.duration_s);
  h5::attr_f64(r, "sample_interval_s", info.sample_interval_s);
  h5::attr_string(r, "git_revision", kGitRevision);
  h5::attr_string(r, "suanwang_version", kVersion);
  h5::attr_string(r, "status", "running");   // replaced by end_run
  for (const auto& [k, v] : info.parameters) h5::attr_string(r, ("param." + k).c_str(), v);
  for (const auto& [k, v] : info.sweep_point) h5::attr_string(r, ("sweep." + k).c_str(), v);

  // Jobs table.
  {
    h5::Layout L;
    JobCols& c = m.jc;
    std::size_t kind_w = 1, status_w = 1;
    for (JobKind k : {JobKind::training, JobKind::finetune, JobKind::inference})
      kind_w = std::max(kind_w, std::string(to_string(k)).size());
    for (JobStatus s :
         {JobStatus::completed, JobStatus::failed, JobStatus::rejected, JobStatus::unfinished})
      status_w = std::max(status_w, std::string(to_string(s)).size());
    const std::size_t city_w = max_len(info.cities), pool_w = max_len(info.pools);
    c.id = L.add("id", FieldKind::u64, "1");
    c.kind = L.add("kind", FieldKind::fixed_str, "", kind_w);
    c.origin = L.add("origin", FieldKind::fixed_str, "", city_w);
    c.center = L.add("center", FieldKind::fixed_str, "", city_w);
    c.pool = L.add("pool", FieldKind::fixed_str, "", pool_w);
    c.chip = L.add("chip", FieldKind::fixed_str, "", pool_w);
    c.submit_s = L.add("submit_s", FieldKind::f64, "s");
    c.start_s = L.add("start_s", FieldKind::f64, "s");
    c.end_s = L.add("end_s", FieldKind::f64, "s");
    c.wait_s = L.add("wait_s", FieldKind::f64, "s");
    c.gpus = L.add("gpus", FieldKind::f64, "chips");
    c.transfer_s = L.add("transfer_s", FieldKind::f64, "s");
    c.transfer_delay_s = L.add("transfer_delay_s", FieldKind::f64, "s");
    c.bytes_moved = L.add("bytes_moved", FieldKind::f64, "B");
    c.energy_J = L.add("energy_J", FieldKind::f64, "J");
    c.cost_CNY = L.add("cost_CNY", FieldKind::f64, "CNY");
    c.carbon_kg = L.add("carbon_kg", FieldKind::f64, "kg");
    c.restarts = L.add("restarts", FieldKind::i32, "1");
    c.status = L.add("status", FieldKind::fixed_str, "", status_w);
    c.reason = L.add("reason", FieldKind::fixed_str, "", kReasonBytes);
    m.job_layout = std::move(L);
    m.jobs = std::make_unique<Series>(&m.job_layout);
    m.create_series_dataset(
        *m.jobs, r, "jobs", m.job_layout,
        "One row per job, written when it ends (or at the horizon as unfinished). Times are "
        "simulated seconds, -1 when the event did not happen; names are \"\" when none.");
  }

  // Centers.
  m.centers_group = h5::create_group(r, "centers");
  m.center_lay = center_layout(m.cc);
  m.centers.clear();
  {
    std::set<std::string> seen;
    for (const std::string& name : info.centers) {
      check_name(name, "center");
      if (!seen.insert(name).second)
        throw std::logic_error("HDF5 recorder: center " + name + " listed twice");
      auto s = std::make_unique<Series>(&m.center_lay);
      m.create_series_dataset(*s, m.centers_group, name, m.center_lay,
                              "Samples of center " + name + " every sample_interval_s; power_W "
                              "is the facility power averaged over the interval, energy_J the "
                              "facility energy so far.");
      m.centers.push_back(std::move(s));
    }
  }

  // Links.
  m.links_group = h5::create_group(r, "links");
  {
    const hsize_t nl = info.links.size();
    // Keep a chunk of an (n x links) dataset near 1 MiB.
    const hsize_t per_row = std::max<hsize_t>(1, nl) * 8;
    m.link_chunk = std::max<hsize_t>(1, std::min<hsize_t>(m.chunk(), (1u << 20) / per_row));
    hid_t g = m.links_group;
    m.link_time.create(g, "time_s", H5T_NATIVE_DOUBLE, H5T_NATIVE_DOUBLE, 1, 0, m.link_chunk,
                       m.opt.compression);
    h5::describe(m.link_time.id(), "Sample times of the link datasets (rows)", "s");
    m.link_util.create(g, "utilization", H5T_NATIVE_DOUBLE, H5T_NATIVE_DOUBLE, 2, nl,
                       m.link_chunk, m.opt.compression);
    h5::describe(m.link_util.id(),
                 "Per link (columns, see names): mean utilization over the interval, 0..1, "
                 "max of the two directions",
                 "1");
    m.link_bytes.create(g, "bytes", H5T_NATIVE_DOUBLE, H5T_NATIVE_DOUBLE, 2, nl, m.link_chunk,
                        m.opt.compression);
    h5::describe(m.link_bytes.id(), "Per link (columns, see names): bytes carried during the interval",
                 "B");
    m.link_up.create(g, "up", H5T_NATIVE_UINT8, H5T_STD_U8LE, 2, nl, m.link_chunk,
                     m.opt.compression);
    h5::describe(m.link_up.id(), "Per link (columns, see names): 1 when up at sample time", "1");
    Hid t = h5::vlen_utf8();
    hsize_t n = nl;
    Hid space(H5Screate_simple(1, &n, nullptr), "H5Screate_simple");
    Hid ds(H5Dcreate2(g, "names", t, space, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT),
           "H5Dcreate2 names");
    if (nl > 0) {
      std::vector<const char*> p;
      for (const auto& s : info.links) p.push_back(s.c_str());
      check_status(H5Dwrite(ds, t, H5S_ALL, H5S_ALL, H5P_DEFAULT, p.data()), "H5Dwrite names");
    }
    h5::describe(ds, "Link names (\"A-B/carrier\"), the columns of utilization, bytes and up",
                 "");
    ds.close("H5Dclose names");
  }

  m.services_group = h5::create_group(r, "services");
  m.service_lay = service_layout(m.sc);
  m.services.clear();
}

void Hdf5Recorder::job(const JobRecord& row) {
  Impl& m = *impl_;
  if (!m.in_run) throw std::logic_error("HDF5 recorder: job outside a run");
  const JobCols& c = m.jc;
  h5::RowBuffer& b = m.jobs->buf;
  b.begin_row();
  b.u64(c.id, row.id);
  b.str(c.kind, to_string(row.kind));
  b.str(c.origin, m.city(row.origin));
  b.str(c.center, m.city(row.center));
  b.str(c.pool, m.pool(row.pool));
  b.str(c.chip, row.chip);
  b.f64(c.submit_s, row.submit_s);
  b.f64(c.start_s, row.start_s);
  b.f64(c.end_s, row.end_s);
  b.f64(c.wait_s, row.wait_s);
  b.f64(c.gpus, row.gpus);
  b.f64(c.transfer_s, row.transfer_s);
  b.f64(c.transfer_delay_s, row.transfer_delay_s);
  b.f64(c.bytes_moved, row.bytes_moved);
  b.f64(c.energy_J, row.energy_J);
  b.f64(c.cost_CNY, row.cost_CNY);
  b.f64(c.carbon_kg, row.carbon_kg);
  b.i32(c.restarts, row.restarts);
  b.str(c.status, to_string(row.status));
  b.str(c.reason, clip_reason(row.reason));
  m.acc.add(row);
  if (b.rows() >= m.chunk()) m.flush(*m.jobs);
}

void Hdf5Recorder::center_sample(const CenterSample& s) {
  Impl& m = *impl_;
  if (!m.in_run) throw std::logic_error("HDF5 recorder: center_sample outside a run");
  m.center_name(s.center);  // range check
  Series& ser = *m.centers[static_cast<std::size_t>(s.center)];
  const CenterCols& c = m.cc;
  ser.buf.begin_row();
  ser.buf.f64(c.time_s, s.time_s);
  ser.buf.f64(c.busy_chips, s.busy_chips);
  ser.buf.i32(c.queue_length, s.queue_length);
  ser.buf.i32(c.running_jobs, s.running_jobs);
  ser.buf.f64(c.power_W, s.power_W);
  ser.buf.f64(c.energy_J, s.energy_J);
  ser.buf.u8(c.up, s.up ? 1 : 0);
  if (ser.buf.rows() >= m.chunk()) m.flush(ser);
}

void Hdf5Recorder::link_sample(const LinkSample& s) {
  Impl& m = *impl_;
  if (!m.in_run) throw std::logic_error("HDF5 recorder: link_sample outside a run");
  const std::size_t nl = m.info.links.size();
  if (s.utilization.size() != nl || s.bytes.size() != nl || s.up.size() != nl)
    throw std::logic_error("HDF5 recorder: link sample has the wrong number of links");
  m.lt_buf.push_back(s.time_s);
  m.lu_buf.insert(m.lu_buf.end(), s.utilization.begin(), s.utilization.end());
  m.lb_buf.insert(m.lb_buf.end(), s.bytes.begin(), s.bytes.end());
  m.lup_buf.insert(m.lup_buf.end(), s.up.begin(), s.up.end());
  if (m.lt_buf.size() >= m.link_chunk) m.flush_links();
}

void Hdf5Recorder::service_sample(const ServiceSample& s) {
  Impl& m = *impl_;
  if (!m.in_run) throw std::logic_error("HDF5 recorder: service_sample outside a run");
  if (s.service < 0) throw std::logic_error("HDF5 recorder: service index < 0");
  auto it = m.services.find(s.service);
  if (it == m.services.end()) {
    // Names arrive with RunEnd: the dataset is created under its index and
    // renamed by end_run.
    auto ser = std::make_unique<Series>(&m.service_lay);
    m.create_series_dataset(*ser, m.services_group, std::to_string(s.service), m.service_lay,
                            "Request statistics of one inference service per sample interval");
    it = m.services.emplace(s.service, std::move(ser)).first;
  }
  Series& ser = *it->second;
  const ServiceCols& c = m.sc;
  ser.buf.begin_row();
  ser.buf.f64(c.time_s, s.time_s);
  ser.buf.f64(c.rate, s.request_rate_per_s);
  ser.buf.f64(c.p50, s.p50_latency_s);
  ser.buf.f64(c.p95, s.p95_latency_s);
  ser.buf.f64(c.p99, s.p99_latency_s);
  ser.buf.f64(c.slo, s.slo_violation_fraction);
  ser.buf.f64(c.util, s.utilization);
  if (ser.buf.rows() >= m.chunk()) m.flush(ser);
}

void Hdf5Recorder::end_run(const RunEnd& end) {
  Impl& m = *impl_;
  if (!m.in_run) throw std::logic_error("HDF5 recorder: end_run outside a run");
  hid_t r = m.run;

  m.flush(*m.jobs);
  m.jobs->ds.close("H5Dclose jobs");
  for (auto& s : m.centers) {
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

  h5::attr_f64(r, "wall_time_s", end.wall_time_s);
  h5::attr_f64(r, "simulated_s", end.simulated_s);
  h5::attr_f64(r, "chip_seconds_available", end.chip_seconds_available);
  h5::attr_f64(r, "busy_chip_seconds", end.busy_chip_seconds);
  check_status(H5Adelete(r, "status"), "H5Adelete status");
  h5::attr_string(r, "status", end.status);

  // Summary.
  m.last_summary = m.acc.finish(end);
  {
    const RunSummary& s = m.last_summary;
    Hid g = h5::create_group(r, "summary");
    h5::attr_string(g, "description",
                    "Headline numbers of the run; definitions in sim/record/summary.hpp");
    h5::attr_u64(g, "jobs_submitted", s.jobs_submitted);
    h5::attr_u64(g, "jobs_completed", s.jobs_completed);
    h5::attr_u64(g, "jobs_failed", s.jobs_failed);
    h5::attr_u64(g, "jobs_rejected", s.jobs_rejected);
    h5::attr_u64(g, "jobs_unfinished", s.jobs_unfinished);
    h5::attr_f64(g, "mean_wait_s", s.mean_wait_s);
    h5::attr_f64(g, "p50_wait_s", s.p50_wait_s);
    h5::attr_f64(g, "p95_wait_s", s.p95_wait_s);
    h5::attr_f64(g, "p99_wait_s", s.p99_wait_s);
    h5::attr_f64(g, "mean_jct_s", s.mean_jct_s);
    h5::attr_f64(g, "makespan_s", s.makespan_s);
    h5::attr_f64(g, "utilization", s.utilization);
    h5::attr_f64(g, "energy_J", s.energy_J);
    h5::attr_f64(g, "cost_CNY", s.cost_CNY);
    h5::attr_f64(g, "carbon_kg", s.carbon_kg);
    h5::attr_f64(g, "bytes_moved", s.bytes_moved);
    g.close("H5Gclose summary");
  }

  // Center totals.
  {
    h5::Layout L;
    std::size_t center_w = std::max(max_len(m.info.centers), std::size_t{1});
    for (const CenterTotals& t : end.centers)
      if (t.center >= 0 && static_cast<std::size_t>(t.center) < m.info.centers.size())
        center_w = std::max(center_w, m.info.centers[static_cast<std::size_t>(t.center)].size());
    const std::size_t f_center = L.add("center", FieldKind::fixed_str, "", center_w);
    const std::size_t f_e = L.add("energy_J", FieldKind::f64, "J");
    const std::size_t f_it = L.add("it_energy_J", FieldKind::f64, "J");
    const std::size_t f_cost = L.add("cost_CNY", FieldKind::f64, "CNY");
    const std::size_t f_co2 = L.add("carbon_kg", FieldKind::f64, "kg");
    const std::size_t f_busy = L.add("busy_chip_seconds", FieldKind::f64, "chip*s");
    const std::size_t f_done = L.add("jobs_completed", FieldKind::u64, "jobs");
    h5::RowBuffer b(&L);
    for (const CenterTotals& t : end.centers) {
      b.begin_row();
      b.str(f_center, m.center_name(t.center));
      b.f64(f_e, t.energy_J);
      b.f64(f_it, t.it_energy_J);
      b.f64(f_cost, t.cost_CNY);
      b.f64(f_co2, t.carbon_kg);
      b.f64(f_busy, t.busy_chip_seconds);
      b.u64(f_done, t.jobs_completed);
    }
    h5::write_table(r, "center_totals", L, b,
                    "Per center over the whole run: facility energy (IT x PUE), IT energy, "
                    "electricity cost, carbon, busy chip-seconds, completed jobs");
  }

  m.services_group.close("H5Gclose services");
  m.links_group.close("H5Gclose links");
  m.centers_group.close("H5Gclose centers");
  m.run.close("H5Gclose run");
  m.drop_run();
}

void Hdf5Recorder::commit() {
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
  std::error_code ec;
  if (!m.opt.force && fs::exists(m.target, ec))
    throw UserError(m.target, "", "exists (use --force to overwrite)");
  fs::rename(m.temp, m.target, ec);
  if (ec) throw std::runtime_error(m.target + ": cannot rename " + m.temp + ": " + ec.message());
  m.committed = true;
}

const RunSummary& Hdf5Recorder::summary() const { return impl_->last_summary; }
const std::string& Hdf5Recorder::target_path() const { return impl_->target; }
const std::string& Hdf5Recorder::temp_path() const { return impl_->temp; }

}  // namespace suanwang

#include "sim/record/result_file.hpp"

#include <filesystem>
#include <iterator>
#include <system_error>

#include "sim/core/units.hpp"
#include "sim/core/user_error.hpp"
#include "sim/record/h5table.hpp"
#include "sim/record/h5util.hpp"
#include "sim/record/hdf5_reader.hpp"
#include "sim/record/pending_file.hpp"
#include "sim/record/result_seal.hpp"
#include "sim/record/run_writer.hpp"

namespace suanwang {

namespace rf = run_format;
using h5::check_status;
using h5::Hid;

namespace {

// The /runs group of an open file, created when missing.
Hid runs_group(hid_t file) {
  if (!h5::link_exists(file, rf::kRuns)) return h5::create_group(file, rf::kRuns);
  return Hid(H5Gopen2(file, rf::kRuns, H5P_DEFAULT), "H5Gopen2 runs");
}

std::vector<std::string> split(const std::string& s, char sep) {
  std::vector<std::string> out;
  if (s.empty()) return out;
  std::string cur;
  for (char c : s) {
    if (c == sep) {
      out.push_back(cur);
      cur.clear();
    } else {
      cur += c;
    }
  }
  out.push_back(cur);
  return out;
}

std::uint64_t to_u64(const std::string& s) {
  try {
    return std::stoull(s);
  } catch (...) {
    return 0;
  }
}

}  // namespace

void create_result_file(const std::string& path) {
  h5::about_file(path, "create the result file", [&] {
    Hid f = h5::create_file(path, H5F_ACC_EXCL, kSealBytes);
    run_writer::write_root_attributes(f);
    Hid g = h5::create_group(f, rf::kRuns);
    g.close("H5Gclose runs");
    f.close("H5Fclose");
  });
}

void check_room_for_copies(const std::string& target, const std::vector<std::string>& sources) {
  namespace fs = std::filesystem;
  std::error_code ec;
  double need = 256e3;  // an empty result file and its metadata
  for (const std::string& s : sources) {
    const auto size = fs::file_size(s, ec);
    if (!ec) need += 1.1 * static_cast<double>(size);
  }
  const fs::path p(target);
  const fs::path dir = p.has_parent_path() ? p.parent_path() : fs::path(".");
  const fs::space_info room = fs::space(dir, ec);
  if (ec) return;  // cannot tell: let the write report what happens
  if (static_cast<double>(room.available) < need)
    throw UserError(PendingFile::shown_name(target), "",
                    "not enough free space in " + dir.string() + " (" +
                        units::format_bytes(static_cast<double>(room.available)) + " free, about " +
                        units::format_bytes(need) + " needed)");
}

void commit_result_file(PendingFile& pending, bool force) {
  PendingFile::check_target(pending.target(), force);  // it may have appeared meanwhile
  seal(pending.path());
  pending.commit();
}

void write_failed_run(const std::string& path, const RunInfo& info, const std::string& status) {
  h5::about_file(path, "write", [&] {
    Hid f = h5::open_file(path, H5F_ACC_RDWR);
    if (h5::link_exists(f, rf::run_path(info.run_id)))
      throw UserError(path, "run " + info.run_id, "already present");
    Hid runs = runs_group(f);
    Hid r = run_writer::create_run_group(runs, info, status);
    r.close("H5Gclose run");
    runs.close("H5Gclose runs");
    f.close("H5Fclose");
  });
}

void copy_run(const std::string& src_path, const std::string& run_id, const std::string& dst_path) {
  h5::about_file(dst_path, "copy run " + run_id + " of " + src_path + " into it", [&] {
    Hid src = h5::open_file(src_path, H5F_ACC_RDONLY);
    const std::string p = rf::run_path(run_id);
    if (!h5::link_exists(src, p)) throw UserError(src_path, "run " + run_id, "not in the file");
    std::error_code ec;
    if (!std::filesystem::exists(dst_path, ec)) create_result_file(dst_path);
    Hid dst = h5::open_file(dst_path, H5F_ACC_RDWR);
    if (h5::link_exists(dst, p)) throw UserError(dst_path, "run " + run_id, "already present");
    Hid runs = runs_group(dst);
    runs.close("H5Gclose runs");
    check_status(H5Ocopy(src, p.c_str(), dst, p.c_str(), H5P_DEFAULT, H5P_DEFAULT), "H5Ocopy");
    dst.close("H5Fclose dst");
    src.close("H5Fclose src");
  });
}

std::string run_status(const std::string& path, const std::string& run_id) {
  try {
    std::error_code ec;
    if (!std::filesystem::exists(path, ec)) return "";
    verify_seal(path);
    h5::Quiet q;
    Hdf5Reader r(path);
    if (!r.exists(rf::run_path(run_id))) return "";
    const auto a = r.run_attributes(run_id);
    auto it = a.find(rf::run_attr::status);
    return it == a.end() ? "" : it->second;
  } catch (...) {
    return "";
  }
}

void write_sweep(const std::string& path, const SweepInfo& info,
                 const std::vector<SweepSummaryRow>& rows) {
  h5::about_file(path, "write", [&] {
    namespace a = rf::sweep_attr;
    std::uint64_t in_file = 0, completed = 0, failed = 0;
    for (const SweepSummaryRow& r : rows) {
      in_file += r.runs;
      completed += r.completed;
      failed += r.failed;
    }
    Hid f = h5::open_file(path, H5F_ACC_RDWR);
    for (const char* old : {rf::kSweep, rf::kSweepSummary})
      if (h5::link_exists(f, old)) check_status(H5Ldelete(f, old, H5P_DEFAULT), "H5Ldelete");

    {
      Hid g = h5::create_group(f, rf::kSweep);
      h5::attr_string(g, rf::kDescription, rf::kSweepDescription);
      h5::attr_string(g, a::scenario_name, info.scenario_name);
      h5::attr_string(g, a::scenario_file, info.scenario_file);
      h5::attr_string(g, a::fingerprint, info.fingerprint);
      h5::attr_strings(g, a::axes, info.axes);
      for (const auto& k : info.axes) {
        auto it = info.axis_values.find(k);
        h5::attr_string(g, (a::axis_prefix + k).c_str(),
                        it == info.axis_values.end() ? "" : it->second);
      }
      h5::attr_u64(g, a::replications, static_cast<std::uint64_t>(info.replications));
      h5::attr_u64(g, a::base_seed, info.base_seed);
      h5::attr_u64(g, a::points_total, info.points_total);
      h5::attr_u64(g, a::points_in_file, in_file);
      h5::attr_u64(g, a::points_completed, completed);
      h5::attr_u64(g, a::points_failed, failed);
      h5::attr_string(g, a::shard, info.shard);
      g.close("H5Gclose sweep");
    }

    {
      using h5::FieldKind;
      constexpr std::size_t kM = rf::kNumSweepMetrics;
      h5::Layout L;
      const std::size_t f_group = L.add(rf::kSweepGroupField);
      std::vector<std::size_t> f_axes;
      for (const auto& ax : info.axes)
        f_axes.push_back(L.add(ax, FieldKind::vlen_str, "", rf::sweep_axis_description(ax)));
      constexpr std::size_t kCounts = std::size(rf::kSweepCountFields);
      static_assert(kCounts == 3, "runs, completed, failed");
      std::size_t f_count[kCounts];
      for (std::size_t i = 0; i < kCounts; ++i) f_count[i] = L.add(rf::kSweepCountFields[i]);
      std::size_t f_mean[kM], f_ci[kM];
      for (std::size_t k = 0; k < kM; ++k) {
        const std::string n = rf::kSweepMetrics[k];
        const char* units = rf::find_summary_attr(n)->units;
        f_mean[k] = L.add(n + "_mean", FieldKind::f64, units, rf::sweep_mean_description(n));
        f_ci[k] = L.add(n + "_ci95", FieldKind::f64, units, rf::sweep_ci95_description(n));
      }
      h5::RowBuffer b(&L);
      for (const SweepSummaryRow& r : rows) {
        b.begin_row();
        b.u64(f_group, r.group);
        for (std::size_t i = 0; i < f_axes.size(); ++i) b.str(f_axes[i], r.axis_values.at(i));
        const std::uint64_t counts[kCounts] = {r.runs, r.completed, r.failed};
        for (std::size_t i = 0; i < kCounts; ++i) b.u64(f_count[i], counts[i]);
        for (std::size_t k = 0; k < kM; ++k) {
          b.f64(f_mean[k], r.mean[k]);
          b.f64(f_ci[k], r.ci95[k]);
        }
      }
      h5::write_table(f, rf::kSweepSummary, L, b, rf::kSweepSummaryDescription);
    }
    f.close("H5Fclose");
  });
}

bool has_sweep(const std::string& path) {
  return h5::about_file(path, "read", [&] {
    Hdf5Reader r(path);
    return r.exists(rf::kSweep);
  });
}

SweepInfo read_sweep_info(const std::string& path) {
  return h5::about_file(path, "read", [&] {
    namespace a = rf::sweep_attr;
    Hdf5Reader r(path);
    if (!r.exists(rf::kSweep)) throw UserError(path, "", "has no /sweep group (not a sweep result)");
    const auto attrs = r.attributes(rf::kSweep);
    auto get = [&](const std::string& k) {
      auto it = attrs.find(k);
      return it == attrs.end() ? std::string() : it->second;
    };
    SweepInfo m;
    m.scenario_name = get(a::scenario_name);
    m.scenario_file = get(a::scenario_file);
    m.fingerprint = get(a::fingerprint);
    m.axes = split(get(a::axes), ',');
    for (const auto& k : m.axes) m.axis_values[k] = get(a::axis_prefix + k);
    m.replications = static_cast<int>(to_u64(get(a::replications)));
    if (m.replications < 1) m.replications = 1;
    m.base_seed = to_u64(get(a::base_seed));
    m.points_total = to_u64(get(a::points_total));
    m.shard = get(a::shard);
    return m;
  });
}

}  // namespace suanwang

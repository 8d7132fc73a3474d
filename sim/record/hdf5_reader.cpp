#include "sim/record/hdf5_reader.hpp"

#include <algorithm>
#include <filesystem>
#include <stdexcept>

#include "sim/core/user_error.hpp"
#include "sim/record/h5util.hpp"

namespace suanwang {

using h5::check_status;
using h5::Hid;

namespace {

hid_t open_file(const std::string& path, unsigned flags) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) throw UserError(path, "", "does not exist");
  hid_t f;
  {
    h5::Quiet q;  // "not an HDF5 file" is the user's mistake, reported below
    f = H5Fopen(path.c_str(), flags, H5P_DEFAULT);
  }
  if (f < 0) throw UserError(path, "", "cannot open as an HDF5 file");
  return f;
}

std::map<std::string, std::string> attrs_of(hid_t obj) {
  std::map<std::string, std::string> out;
  H5O_info_t oi;
  check_status(H5Oget_info2(obj, &oi, H5O_INFO_NUM_ATTRS), "H5Oget_info2");
  for (hsize_t i = 0; i < oi.num_attrs; ++i) {
    Hid a(H5Aopen_by_idx(obj, ".", H5_INDEX_NAME, H5_ITER_INC, i, H5P_DEFAULT, H5P_DEFAULT),
          "H5Aopen_by_idx");
    ssize_t len = H5Aget_name(a, 0, nullptr);
    if (len < 0) h5::fail("H5Aget_name");
    std::string name(static_cast<std::size_t>(len), '\0');
    if (H5Aget_name(a, static_cast<std::size_t>(len) + 1, name.data()) < 0)
      h5::fail("H5Aget_name");
    out[name] = h5::attr_as_text(a);
  }
  return out;
}

std::vector<std::string> members(hid_t group) {
  H5G_info_t gi;
  check_status(H5Gget_info(group, &gi), "H5Gget_info");
  std::vector<std::string> out;
  for (hsize_t i = 0; i < gi.nlinks; ++i) {
    ssize_t len =
        H5Lget_name_by_idx(group, ".", H5_INDEX_NAME, H5_ITER_INC, i, nullptr, 0, H5P_DEFAULT);
    if (len < 0) h5::fail("H5Lget_name_by_idx");
    std::string name(static_cast<std::size_t>(len), '\0');
    if (H5Lget_name_by_idx(group, ".", H5_INDEX_NAME, H5_ITER_INC, i, name.data(),
                           static_cast<std::size_t>(len) + 1, H5P_DEFAULT) < 0)
      h5::fail("H5Lget_name_by_idx");
    out.push_back(std::move(name));
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::size_t npoints(hid_t ds) {
  Hid space(H5Dget_space(ds), "H5Dget_space");
  hssize_t n = H5Sget_simple_extent_npoints(space);
  if (n < 0) h5::fail("H5Sget_simple_extent_npoints");
  return static_cast<std::size_t>(n);
}

// The file type of `field` in the compound dataset ds (or of ds itself).
Hid field_type(hid_t ds, const std::string& field) {
  Hid t(H5Dget_type(ds), "H5Dget_type");
  if (field.empty()) return t;
  int idx = H5Tget_member_index(t, field.c_str());
  if (idx < 0) throw std::runtime_error("HDF5 reader: no field " + field);
  return Hid(H5Tget_member_type(t, static_cast<unsigned>(idx)), "H5Tget_member_type");
}

// Memory type: `elem` alone, or a one-member compound {field: elem}.
Hid mem_for(hid_t elem, const std::string& field, std::size_t size) {
  if (field.empty()) return Hid(H5Tcopy(elem), "H5Tcopy");
  Hid t(H5Tcreate(H5T_COMPOUND, size), "H5Tcreate");
  check_status(H5Tinsert(t, field.c_str(), 0, elem), "H5Tinsert");
  return t;
}

std::vector<double> read_numbers(hid_t ds, const std::string& field) {
  std::vector<double> out(npoints(ds));
  Hid mt = mem_for(H5T_NATIVE_DOUBLE, field, sizeof(double));
  if (!out.empty())
    check_status(H5Dread(ds, mt, H5S_ALL, H5S_ALL, H5P_DEFAULT, out.data()), "H5Dread numbers");
  return out;
}

std::vector<std::string> read_strings(hid_t ds, const std::string& field) {
  const std::size_t n = npoints(ds);
  std::vector<std::string> out(n);
  if (n == 0) return out;
  Hid ft = field_type(ds, field);
  if (H5Tget_class(ft) != H5T_STRING) throw std::runtime_error("HDF5 reader: not a string: " + field);
  htri_t var = H5Tis_variable_str(ft);
  if (var < 0) h5::fail("H5Tis_variable_str");
  if (var) {
    Hid st = h5::vlen_utf8();
    Hid mt = mem_for(st, field, sizeof(char*));
    std::vector<char*> p(n, nullptr);
    check_status(H5Dread(ds, mt, H5S_ALL, H5S_ALL, H5P_DEFAULT, p.data()), "H5Dread strings");
    for (std::size_t i = 0; i < n; ++i)
      if (p[i]) out[i] = p[i];
    Hid space(H5Dget_space(ds), "H5Dget_space");
    check_status(H5Dvlen_reclaim(mt, space, H5P_DEFAULT, p.data()), "H5Dvlen_reclaim");
  } else {
    const std::size_t w = H5Tget_size(ft);
    if (w == 0) h5::fail("H5Tget_size");
    Hid st(H5Tcopy(ft), "H5Tcopy");
    Hid mt = mem_for(st, field, w);
    std::vector<char> buf(n * w);
    check_status(H5Dread(ds, mt, H5S_ALL, H5S_ALL, H5P_DEFAULT, buf.data()), "H5Dread strings");
    for (std::size_t i = 0; i < n; ++i) {
      const char* s = buf.data() + i * w;
      std::size_t len = 0;
      while (len < w && s[len] != '\0') ++len;
      out[i].assign(s, len);
    }
  }
  return out;
}

}  // namespace

Hdf5Reader::Hdf5Reader(const std::string& path) : path_(path) {
  file_ = open_file(path, H5F_ACC_RDONLY);
}

Hdf5Reader::~Hdf5Reader() {
  if (file_ >= 0) H5Fclose(static_cast<hid_t>(file_));
}

bool Hdf5Reader::exists(const std::string& path) const {
  return h5::link_exists(static_cast<hid_t>(file_), path);
}

std::map<std::string, std::string> Hdf5Reader::attributes(const std::string& path) const {
  if (path.empty() || path == "/") return attrs_of(static_cast<hid_t>(file_));
  if (!exists(path)) throw UserError(path_, path, "no such object");
  Hid o(H5Oopen(static_cast<hid_t>(file_), path.c_str(), H5P_DEFAULT), "H5Oopen");
  return attrs_of(o);
}

std::map<std::string, std::string> Hdf5Reader::file_attributes() const { return attributes("/"); }

std::vector<std::string> Hdf5Reader::children(const std::string& group_path) const {
  if (!exists(group_path)) throw UserError(path_, group_path, "no such group");
  Hid g(H5Gopen2(static_cast<hid_t>(file_), group_path.c_str(), H5P_DEFAULT), "H5Gopen2");
  return members(g);
}

std::vector<std::string> Hdf5Reader::run_ids() const {
  if (!exists("runs")) return {};
  return children("runs");
}

std::map<std::string, std::string> Hdf5Reader::run_attributes(const std::string& run_id) const {
  if (!exists("runs/" + run_id)) throw UserError(path_, "run " + run_id, "not in the file");
  return attributes("runs/" + run_id);
}

std::map<std::string, double> Hdf5Reader::summary(const std::string& run_id) const {
  const std::string p = "runs/" + run_id + "/summary";
  if (!exists(p)) throw UserError(path_, "run " + run_id, "has no summary (run not ended)");
  std::map<std::string, double> out;
  for (const auto& [k, v] : attributes(p)) {
    if (k == "description") continue;
    out[k] = std::stod(v);
  }
  return out;
}

std::vector<double> Hdf5Reader::numbers(const std::string& dataset_path,
                                        const std::string& field) const {
  if (!exists(dataset_path)) throw UserError(path_, dataset_path, "no such dataset");
  Hid ds(H5Dopen2(static_cast<hid_t>(file_), dataset_path.c_str(), H5P_DEFAULT), "H5Dopen2");
  return read_numbers(ds, field);
}

std::vector<std::string> Hdf5Reader::strings(const std::string& dataset_path,
                                             const std::string& field) const {
  if (!exists(dataset_path)) throw UserError(path_, dataset_path, "no such dataset");
  Hid ds(H5Dopen2(static_cast<hid_t>(file_), dataset_path.c_str(), H5P_DEFAULT), "H5Dopen2");
  return read_strings(ds, field);
}

std::vector<std::uint64_t> Hdf5Reader::shape(const std::string& dataset_path) const {
  if (!exists(dataset_path)) throw UserError(path_, dataset_path, "no such dataset");
  Hid ds(H5Dopen2(static_cast<hid_t>(file_), dataset_path.c_str(), H5P_DEFAULT), "H5Dopen2");
  Hid space(H5Dget_space(ds), "H5Dget_space");
  int rank = H5Sget_simple_extent_ndims(space);
  if (rank < 0) h5::fail("H5Sget_simple_extent_ndims");
  std::vector<hsize_t> d(static_cast<std::size_t>(rank));
  if (rank > 0 && H5Sget_simple_extent_dims(space, d.data(), nullptr) < 0)
    h5::fail("H5Sget_simple_extent_dims");
  return {d.begin(), d.end()};
}

std::vector<JobRow> Hdf5Reader::jobs(const std::string& run_id) const {
  const std::string p = "runs/" + run_id + "/jobs";
  if (!exists(p)) throw UserError(path_, "run " + run_id, "has no jobs table");
  Hid ds(H5Dopen2(static_cast<hid_t>(file_), p.c_str(), H5P_DEFAULT), "H5Dopen2 jobs");
  const std::size_t n = npoints(ds);
  std::vector<JobRow> rows(n);
  auto num = [&](const char* f, auto setter) {
    std::vector<double> v = read_numbers(ds, f);
    for (std::size_t i = 0; i < n; ++i) setter(rows[i], v[i]);
  };
  auto str = [&](const char* f, std::string JobRow::*member) {
    std::vector<std::string> v = read_strings(ds, f);
    for (std::size_t i = 0; i < n; ++i) rows[i].*member = std::move(v[i]);
  };
  {  // id exactly (u64 does not survive a trip through double above 2^53)
    std::vector<std::uint64_t> ids(n);
    Hid mt = mem_for(H5T_NATIVE_UINT64, "id", sizeof(std::uint64_t));
    if (n > 0)
      check_status(H5Dread(ds, mt, H5S_ALL, H5S_ALL, H5P_DEFAULT, ids.data()), "H5Dread id");
    for (std::size_t i = 0; i < n; ++i) rows[i].id = ids[i];
  }
  str("kind", &JobRow::kind);
  str("origin", &JobRow::origin);
  str("center", &JobRow::center);
  str("pool", &JobRow::pool);
  str("chip", &JobRow::chip);
  num("submit_s", [](JobRow& r, double v) { r.submit_s = v; });
  num("start_s", [](JobRow& r, double v) { r.start_s = v; });
  num("end_s", [](JobRow& r, double v) { r.end_s = v; });
  num("wait_s", [](JobRow& r, double v) { r.wait_s = v; });
  num("gpus", [](JobRow& r, double v) { r.gpus = v; });
  num("transfer_s", [](JobRow& r, double v) { r.transfer_s = v; });
  num("transfer_delay_s", [](JobRow& r, double v) { r.transfer_delay_s = v; });
  num("bytes_moved", [](JobRow& r, double v) { r.bytes_moved = v; });
  num("energy_J", [](JobRow& r, double v) { r.energy_J = v; });
  num("cost_CNY", [](JobRow& r, double v) { r.cost_CNY = v; });
  num("carbon_kg", [](JobRow& r, double v) { r.carbon_kg = v; });
  num("restarts", [](JobRow& r, double v) { r.restarts = static_cast<std::int32_t>(v); });
  str("status", &JobRow::status);
  str("reason", &JobRow::reason);
  return rows;
}

void copy_run(const std::string& src_path, const std::string& run_id, const std::string& dst_path) {
  Hid src(open_file(src_path, H5F_ACC_RDONLY));
  const std::string p = "runs/" + run_id;
  if (!h5::link_exists(src, p)) throw UserError(src_path, "run " + run_id, "not in the file");
  std::error_code ec;
  Hid dst;
  if (std::filesystem::exists(dst_path, ec)) {
    dst = Hid(open_file(dst_path, H5F_ACC_RDWR));
  } else {
    dst = Hid(H5Fcreate(dst_path.c_str(), H5F_ACC_EXCL, H5P_DEFAULT, H5P_DEFAULT),
              ("H5Fcreate " + dst_path).c_str());
    for (const auto& [k, v] : attrs_of(src)) h5::attr_string(dst, k.c_str(), v);
  }
  if (h5::link_exists(dst, p)) throw UserError(dst_path, "run " + run_id, "already present");
  if (!h5::link_exists(dst, "runs")) {
    Hid g = h5::create_group(dst, "runs");
    g.close("H5Gclose runs");
  }
  check_status(H5Ocopy(src, p.c_str(), dst, p.c_str(), H5P_DEFAULT, H5P_DEFAULT), "H5Ocopy");
  dst.close("H5Fclose dst");
  src.close("H5Fclose src");
}

}  // namespace suanwang

#include "sim/record/hdf5_reader.hpp"

#include <algorithm>
#include <filesystem>
#include <stdexcept>

#include "sim/core/user_error.hpp"
#include "sim/record/h5util.hpp"
#include "sim/record/run_format.hpp"

namespace suanwang {

namespace rf = run_format;
using h5::check_status;
using h5::Hid;

namespace {

// "runs/<id>/<member>".
std::string member(const std::string& run_id, const char* name) {
  return rf::run_path(run_id) + "/" + name;
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
  file_ = h5::open_file(path, H5F_ACC_RDONLY).release();
}

// The methods that call HDF5 are function-try-blocks: a failure (a damaged
// file, an I/O error) is a UserError naming the file.

Hdf5Reader::~Hdf5Reader() {
  if (file_ >= 0) H5Fclose(static_cast<hid_t>(file_));
}

bool Hdf5Reader::exists(const std::string& path) const try {
  return h5::link_exists(static_cast<hid_t>(file_), path);
} catch (const h5::Error& e) {
  h5::rethrow_about_file(path_, "read", e);
}

std::map<std::string, std::string> Hdf5Reader::attributes(const std::string& path) const try {
  if (path.empty() || path == "/") return attrs_of(static_cast<hid_t>(file_));
  if (!exists(path)) throw UserError(path_, path, "no such object");
  Hid o(H5Oopen(static_cast<hid_t>(file_), path.c_str(), H5P_DEFAULT), "H5Oopen");
  return attrs_of(o);
} catch (const h5::Error& e) {
  h5::rethrow_about_file(path_, "read", e);
}

std::map<std::string, std::string> Hdf5Reader::file_attributes() const { return attributes("/"); }

std::vector<std::string> Hdf5Reader::children(const std::string& group_path) const try {
  if (!exists(group_path)) throw UserError(path_, group_path, "no such group");
  Hid g(H5Gopen2(static_cast<hid_t>(file_), group_path.c_str(), H5P_DEFAULT), "H5Gopen2");
  return members(g);
} catch (const h5::Error& e) {
  h5::rethrow_about_file(path_, "read", e);
}

std::vector<std::string> Hdf5Reader::run_ids() const {
  if (!exists(rf::kRuns)) return {};
  return children(rf::kRuns);
}

std::map<std::string, std::string> Hdf5Reader::run_attributes(const std::string& run_id) const {
  if (!exists(rf::run_path(run_id))) throw UserError(path_, "run " + run_id, "not in the file");
  return attributes(rf::run_path(run_id));
}

std::map<std::string, double> Hdf5Reader::summary(const std::string& run_id) const {
  const std::string p = member(run_id, rf::run_member::summary);
  if (!exists(p)) throw UserError(path_, "run " + run_id, "has no summary (run not ended)");
  std::map<std::string, double> out;
  for (const auto& [k, v] : attributes(p)) {
    if (k == rf::kDescription) continue;
    out[k] = std::stod(v);
  }
  return out;
}

std::vector<double> Hdf5Reader::numbers(const std::string& dataset_path,
                                        const std::string& field) const try {
  if (!exists(dataset_path)) throw UserError(path_, dataset_path, "no such dataset");
  Hid ds(H5Dopen2(static_cast<hid_t>(file_), dataset_path.c_str(), H5P_DEFAULT), "H5Dopen2");
  return read_numbers(ds, field);
} catch (const h5::Error& e) {
  h5::rethrow_about_file(path_, "read", e);
}

std::vector<std::string> Hdf5Reader::strings(const std::string& dataset_path,
                                             const std::string& field) const try {
  if (!exists(dataset_path)) throw UserError(path_, dataset_path, "no such dataset");
  Hid ds(H5Dopen2(static_cast<hid_t>(file_), dataset_path.c_str(), H5P_DEFAULT), "H5Dopen2");
  return read_strings(ds, field);
} catch (const h5::Error& e) {
  h5::rethrow_about_file(path_, "read", e);
}

std::vector<std::uint64_t> Hdf5Reader::shape(const std::string& dataset_path) const try {
  if (!exists(dataset_path)) throw UserError(path_, dataset_path, "no such dataset");
  Hid ds(H5Dopen2(static_cast<hid_t>(file_), dataset_path.c_str(), H5P_DEFAULT), "H5Dopen2");
  Hid space(H5Dget_space(ds), "H5Dget_space");
  int rank = H5Sget_simple_extent_ndims(space);
  if (rank < 0) h5::fail("H5Sget_simple_extent_ndims");
  std::vector<hsize_t> d(static_cast<std::size_t>(rank));
  if (rank > 0 && H5Sget_simple_extent_dims(space, d.data(), nullptr) < 0)
    h5::fail("H5Sget_simple_extent_dims");
  return {d.begin(), d.end()};
} catch (const h5::Error& e) {
  h5::rethrow_about_file(path_, "read", e);
}

std::vector<JobRow> Hdf5Reader::jobs(const std::string& run_id) const try {
  namespace c = rf::job_col;
  const std::string p = member(run_id, rf::run_member::jobs);
  if (!exists(p)) throw UserError(path_, "run " + run_id, "has no jobs table");
  Hid ds(H5Dopen2(static_cast<hid_t>(file_), p.c_str(), H5P_DEFAULT), "H5Dopen2 jobs");
  const std::size_t n = npoints(ds);
  std::vector<JobRow> rows(n);
  auto num = [&](std::size_t f, double JobRow::*m) {
    std::vector<double> v = read_numbers(ds, rf::kJobFields[f].name);
    for (std::size_t i = 0; i < n; ++i) rows[i].*m = v[i];
  };
  auto str = [&](std::size_t f, std::string JobRow::*m) {
    std::vector<std::string> v = read_strings(ds, rf::kJobFields[f].name);
    for (std::size_t i = 0; i < n; ++i) rows[i].*m = std::move(v[i]);
  };
  {  // id exactly (u64 does not survive a trip through double above 2^53)
    std::vector<std::uint64_t> ids(n);
    Hid mt = mem_for(H5T_NATIVE_UINT64, rf::kJobFields[c::id].name, sizeof(std::uint64_t));
    if (n > 0)
      check_status(H5Dread(ds, mt, H5S_ALL, H5S_ALL, H5P_DEFAULT, ids.data()), "H5Dread id");
    for (std::size_t i = 0; i < n; ++i) rows[i].id = ids[i];
  }
  str(c::kind, &JobRow::kind);
  str(c::origin, &JobRow::origin);
  str(c::center, &JobRow::center);
  str(c::pool, &JobRow::pool);
  str(c::chip, &JobRow::chip);
  num(c::submit_s, &JobRow::submit_s);
  num(c::start_s, &JobRow::start_s);
  num(c::end_s, &JobRow::end_s);
  num(c::wait_s, &JobRow::wait_s);
  num(c::gpus, &JobRow::gpus);
  num(c::transfer_s, &JobRow::transfer_s);
  num(c::transfer_delay_s, &JobRow::transfer_delay_s);
  num(c::bytes_moved, &JobRow::bytes_moved);
  num(c::energy_J, &JobRow::energy_J);
  num(c::cost_CNY, &JobRow::cost_CNY);
  num(c::carbon_kg, &JobRow::carbon_kg);
  auto i32 = [&](std::size_t f, std::int32_t JobRow::*m) {
    const std::vector<double> v = read_numbers(ds, rf::kJobFields[f].name);
    for (std::size_t i = 0; i < n; ++i) rows[i].*m = static_cast<std::int32_t>(v[i]);
  };
  i32(c::restarts, &JobRow::restarts);
  str(c::dataset, &JobRow::dataset);
  i32(c::cache_hit, &JobRow::cache_hit);
  str(c::data_from, &JobRow::data_from);
  num(c::data_wait_s, &JobRow::data_wait_s);
  num(c::stall_s, &JobRow::stall_s);
  str(c::status, &JobRow::status);
  str(c::reason, &JobRow::reason);
  return rows;
} catch (const h5::Error& e) {
  h5::rethrow_about_file(path_, "read", e);
}

namespace {

constexpr double kJoulesPerKWh = 3.6e6;

// The tables of one run's network/ group, read column by column.
struct NetworkTables {
  const Hdf5Reader& reader;
  std::string group;

  // Column `f` of table `t` (a name in network/).
  std::vector<std::string> strs(const char* t, const rf::FieldSpec* specs, std::size_t f) const {
    return reader.strings(group + "/" + t, specs[f].name);
  }
  std::vector<double> nums(const char* t, const rf::FieldSpec* specs, std::size_t f) const {
    return reader.numbers(group + "/" + t, specs[f].name);
  }
};

// Pools and links name their cities; the tables store names, NetworkInfo indices.
class CityIndex {
 public:
  CityIndex(const std::vector<CityInfo>& cities, const std::string& file, const std::string& run_id)
      : file_(file), run_id_(run_id) {
    // A repeated name maps to its last row, as when the index was filled row by row.
    for (std::size_t i = 0; i < cities.size(); ++i) index_[cities[i].name] = static_cast<int>(i);
  }
  int of(const std::string& city) const {
    auto it = index_.find(city);
    if (it == index_.end())
      throw UserError(file_, "run " + run_id_, "network names an unknown city '" + city + "'");
    return it->second;
  }

 private:
  std::map<std::string, int> index_;
  const std::string& file_;
  const std::string& run_id_;
};

std::string topology_file_of(const Hdf5Reader& reader, const std::string& group) {
  const auto a = reader.attributes(group);
  auto it = a.find(rf::kTopologyFileAttr);
  return it != a.end() ? it->second : std::string();
}

std::vector<CityInfo> read_cities(const NetworkTables& tab) {
  namespace c = rf::city_col;
  const char* t = rf::network_member::cities;
  const rf::FieldSpec* F = rf::kCityFields;
  const auto name = tab.strs(t, F, c::name), zh = tab.strs(t, F, c::name_zh),
             province = tab.strs(t, F, c::province), grid = tab.strs(t, F, c::grid),
             hub = tab.strs(t, F, c::hub), series = tab.strs(t, F, c::carbon_series),
             area = tab.strs(t, F, c::carbon_area), profile = tab.strs(t, F, c::carbon_profile);
  const auto lat = tab.nums(t, F, c::lat_deg), lon = tab.nums(t, F, c::lon_deg),
             carbon = tab.nums(t, F, c::carbon_kg_per_kWh), price = tab.nums(t, F, c::price_CNY_per_kWh),
             pue = tab.nums(t, F, c::pue), demand = tab.nums(t, F, c::demand_weight),
             ic = tab.nums(t, F, c::interconnect), year = tab.nums(t, F, c::carbon_year),
             green = tab.nums(t, F, c::green_share), green_power = tab.nums(t, F, c::green_power);
  std::vector<CityInfo> cities;
  for (std::size_t i = 0; i < name.size(); ++i) {
    CityInfo ci;
    ci.name = name[i];
    ci.name_zh = zh[i];
    ci.province = province[i];
    ci.lat_deg = lat[i];
    ci.lon_deg = lon[i];
    ci.grid = grid[i];
    ci.carbon_kg_per_J = carbon[i] / kJoulesPerKWh;
    ci.carbon_series = series[i];
    ci.carbon_year = static_cast<int>(year[i]);
    ci.carbon_area = area[i];
    ci.green_share = green[i];
    ci.green_power = green_power[i] != 0;
    ci.carbon_profile = profile[i];
    ci.price_CNY_per_J = price[i] / kJoulesPerKWh;
    ci.pue = pue[i];
    ci.demand_weight = demand[i];
    ci.hub = hub[i];
    ci.interconnect = ic[i] != 0;
    cities.push_back(std::move(ci));
  }
  return cities;
}

std::vector<PoolInfo> read_pools(const NetworkTables& tab, const CityIndex& city) {
  namespace c = rf::pool_col;
  const char* t = rf::network_member::pools;
  const rf::FieldSpec* F = rf::kPoolFields;
  const auto center = tab.strs(t, F, c::center), chip = tab.strs(t, F, c::chip),
             vendor = tab.strs(t, F, c::vendor), family = tab.strs(t, F, c::family);
  const auto count = tab.nums(t, F, c::count), flops = tab.nums(t, F, c::fp16_flops),
             memory = tab.nums(t, F, c::memory_B), busy = tab.nums(t, F, c::busy_W),
             idle = tab.nums(t, F, c::idle_W), cuda = tab.nums(t, F, c::cuda),
             servers = tab.nums(t, F, c::servers), per_server = tab.nums(t, F, c::per_server);
  std::vector<PoolInfo> pools;
  for (std::size_t i = 0; i < center.size(); ++i) {
    PoolInfo p;
    p.city = city.of(center[i]);
    p.chip = chip[i];
    p.vendor = vendor[i];
    p.family = family[i];
    p.count = static_cast<int>(count[i]);
    p.fp16_flops = flops[i];
    p.memory_B = memory[i];
    p.busy_W = busy[i];
    p.idle_W = idle[i];
    p.cuda = cuda[i] != 0;
    p.servers = static_cast<int>(servers[i]);
    p.per_server = static_cast<int>(per_server[i]);
    pools.push_back(std::move(p));
  }
  return pools;
}

std::vector<LinkInfo> read_links(const NetworkTables& tab, const CityIndex& city) {
  namespace c = rf::netlink_col;
  const char* t = rf::network_member::links;
  const rf::FieldSpec* F = rf::kNetworkLinkFields;
  const auto name = tab.strs(t, F, c::name), a = tab.strs(t, F, c::a), b = tab.strs(t, F, c::b),
             carrier = tab.strs(t, F, c::carrier);
  const auto bw = tab.nums(t, F, c::bandwidth_Bps), lat = tab.nums(t, F, c::latency_s),
             len = tab.nums(t, F, c::length_m);
  std::vector<LinkInfo> links;
  for (std::size_t i = 0; i < name.size(); ++i) {
    LinkInfo l;
    l.name = name[i];
    l.a = city.of(a[i]);
    l.b = city.of(b[i]);
    l.carrier = carrier[i];
    l.bandwidth_Bps = bw[i];
    l.latency_s = lat[i];
    l.length_m = len[i];
    links.push_back(std::move(l));
  }
  return links;
}

}  // namespace

NetworkInfo Hdf5Reader::network(const std::string& run_id) const {
  const std::string g = member(run_id, rf::run_member::network);
  if (!exists(g))
    throw UserError(path_, "run " + run_id, "has no network (a failed point, or format 1.0)");
  NetworkInfo n;
  n.topology_file = topology_file_of(*this, g);
  const NetworkTables tab{*this, g};
  n.cities = read_cities(tab);
  const CityIndex city(n.cities, path_, run_id);
  n.pools = read_pools(tab, city);
  n.links = read_links(tab, city);
  return n;
}

}  // namespace suanwang

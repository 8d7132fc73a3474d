#include "sim/record/run_writer.hpp"

#include <algorithm>
#include <stdexcept>

#include "sim/core/version.hpp"
#include "sim/record/h5table.hpp"
#include "sim/record/run_format.hpp"

namespace suanwang::run_writer {

namespace rf = run_format;
using h5::Hid;

namespace {

constexpr double kJoulesPerKWh = 3.6e6;

// Layout of `specs` with every fixed-length string field as wide as the
// longest value text(item, field) over `items` (at least 1 byte).
template <class Items, class Text>
h5::Layout layout_for(const rf::FieldSpec* specs, std::size_t n, const Items& items, Text text) {
  h5::Layout L;
  for (std::size_t f = 0; f < n; ++f) {
    std::size_t w = 1;
    if (specs[f].kind == rf::FieldKind::fixed_str)
      for (const auto& it : items) w = std::max(w, text(it, f).size());
    L.add(specs[f], w);
  }
  return L;
}

// Every string field of a row, from text(item, field).
template <class Item, class Text>
void put_strings(h5::RowBuffer& b, const h5::Layout& L, const Item& item, Text text) {
  for (std::size_t f = 0; f < L.fields().size(); ++f)
    if (L.fields()[f].kind == rf::FieldKind::fixed_str) b.str(f, text(item, f));
}

void write_cities(hid_t g, const NetworkInfo& n) {
  namespace c = rf::city_col;
  static const std::string none;
  auto text = [](const CityInfo& ci, std::size_t f) -> const std::string& {
    switch (f) {
      case c::name: return ci.name;
      case c::name_zh: return ci.name_zh;
      case c::province: return ci.province;
      case c::grid: return ci.grid;
      case c::carbon_series: return ci.carbon_series;
      case c::carbon_area: return ci.carbon_area;
      case c::carbon_profile: return ci.carbon_profile;
      case c::hub: return ci.hub;
    }
    return none;
  };
  const h5::Layout L = layout_for(rf::kCityFields, c::n_fields, n.cities, text);
  h5::RowBuffer b(&L);
  for (const CityInfo& ci : n.cities) {
    b.begin_row();
    put_strings(b, L, ci, text);
    b.f64(c::lat_deg, ci.lat_deg);
    b.f64(c::lon_deg, ci.lon_deg);
    b.f64(c::carbon_kg_per_kWh, ci.carbon_kg_per_J * kJoulesPerKWh);
    b.i32(c::carbon_year, ci.carbon_year);
    b.f64(c::green_share, ci.green_share);
    b.u8(c::green_power, ci.green_power ? 1 : 0);
    b.f64(c::price_CNY_per_kWh, ci.price_CNY_per_J * kJoulesPerKWh);
    b.f64(c::pue, ci.pue);
    b.f64(c::demand_weight, ci.demand_weight);
    b.u8(c::interconnect, ci.interconnect ? 1 : 0);
  }
  h5::write_table(g, rf::network_member::cities, L, b, rf::kCitiesDescription);
}

void write_pools(hid_t g, const NetworkInfo& n) {
  namespace c = rf::pool_col;
  // Pool and city names as strings, once.
  struct Row {
    const PoolInfo* p;
    std::string name, center;
  };
  std::vector<Row> rows;
  for (std::size_t i = 0; i < n.pools.size(); ++i) {
    const PoolInfo& p = n.pools[i];
    if (p.city < 0 || static_cast<std::size_t>(p.city) >= n.cities.size())
      throw std::logic_error("HDF5 recorder: pool " + std::to_string(i) + " has no city");
    rows.push_back({&p, n.pool_name(i), n.cities[static_cast<std::size_t>(p.city)].name});
  }
  static const std::string none;
  auto text = [](const Row& r, std::size_t f) -> const std::string& {
    switch (f) {
      case c::name: return r.name;
      case c::center: return r.center;
      case c::chip: return r.p->chip;
      case c::vendor: return r.p->vendor;
      case c::family: return r.p->family;
    }
    return none;
  };
  const h5::Layout L = layout_for(rf::kPoolFields, c::n_fields, rows, text);
  h5::RowBuffer b(&L);
  for (const Row& r : rows) {
    b.begin_row();
    put_strings(b, L, r, text);
    b.i32(c::count, r.p->count);
    b.f64(c::fp16_flops, r.p->fp16_flops);
    b.f64(c::memory_B, r.p->memory_B);
    b.f64(c::busy_W, r.p->busy_W);
    b.f64(c::idle_W, r.p->idle_W);
    b.u8(c::cuda, r.p->cuda ? 1 : 0);
    b.i32(c::servers, r.p->servers);
    b.i32(c::per_server, r.p->per_server);
  }
  h5::write_table(g, rf::network_member::pools, L, b, rf::kPoolsDescription);
}

void write_links(hid_t g, const NetworkInfo& n) {
  namespace c = rf::netlink_col;
  auto city = [&](int i) -> const std::string& {
    if (i < 0 || static_cast<std::size_t>(i) >= n.cities.size())
      throw std::logic_error("HDF5 recorder: link end " + std::to_string(i) + " is not a city");
    return n.cities[static_cast<std::size_t>(i)].name;
  };
  static const std::string none;
  auto text = [&](const LinkInfo& l, std::size_t f) -> const std::string& {
    switch (f) {
      case c::name: return l.name;
      case c::a: return city(l.a);
      case c::b: return city(l.b);
      case c::carrier: return l.carrier;
    }
    return none;
  };
  const h5::Layout L = layout_for(rf::kNetworkLinkFields, c::n_fields, n.links, text);
  h5::RowBuffer b(&L);
  for (const LinkInfo& l : n.links) {
    b.begin_row();
    put_strings(b, L, l, text);
    b.f64(c::bandwidth_Bps, l.bandwidth_Bps);
    b.f64(c::latency_s, l.latency_s);
    b.f64(c::length_m, l.length_m);
  }
  h5::write_table(g, rf::network_member::links, L, b, rf::kNetworkLinksDescription);
}

}  // namespace

void check_name(const std::string& name, const std::string& what) {
  if (name.empty() || name == "." || name.find('/') != std::string::npos)
    throw std::logic_error("HDF5 recorder: " + what + " '" + name +
                           "' cannot be an HDF5 name (empty, '.' or contains '/')");
}

void write_root_attributes(hid_t file) {
  h5::attr_string(file, rf::root_attr::suanwang_version, kVersion);
  h5::attr_string(file, rf::root_attr::git_revision, kGitRevision);
  h5::attr_string(file, rf::root_attr::format_version, rf::kFormatVersion);
  h5::attr_string(file, rf::root_attr::created, h5::iso8601_utc_now());
}

Hid create_run_group(hid_t runs, const RunInfo& info, const std::string& status) {
  namespace a = rf::run_attr;
  check_name(info.run_id, "run id");
  Hid r = h5::create_group(runs, info.run_id);
  h5::attr_string(r, a::scenario_name, info.scenario_name);
  h5::attr_string(r, a::scenario_file, info.scenario_file);
  h5::attr_string(r, a::scenario_text, info.scenario_text);
  h5::attr_string(r, a::policy_name, info.policy_name);
  h5::attr_string(r, a::policy_text, info.policy_text);
  h5::attr_u64(r, a::seed, info.seed);
  h5::attr_f64(r, a::duration_s, info.duration_s);
  h5::attr_f64(r, a::sample_interval_s, info.sample_interval_s);
  h5::attr_string(r, a::git_revision, kGitRevision);
  h5::attr_string(r, a::suanwang_version, kVersion);
  h5::attr_string(r, a::status, status);
  for (const auto& [k, v] : info.parameters) h5::attr_string(r, (a::param_prefix + k).c_str(), v);
  for (const auto& [k, v] : info.sweep_point) h5::attr_string(r, (a::sweep_prefix + k).c_str(), v);
  return r;
}

void write_network(hid_t run, const NetworkInfo& network) {
  Hid g = h5::create_group(run, rf::run_member::network);
  h5::attr_string(g, rf::kDescription, rf::kNetworkDescription);
  h5::attr_string(g, rf::kTopologyFileAttr, network.topology_file);
  write_cities(g, network);
  write_pools(g, network);
  write_links(g, network);
  g.close("H5Gclose network");
}

void write_summary(hid_t run, const RunSummary& s) {
  Hid g = h5::create_group(run, rf::run_member::summary);
  h5::attr_string(g, rf::kDescription, rf::summary_description());
  for (const rf::SummaryAttr& a : rf::kSummaryAttrs) {
    if (a.count)
      h5::attr_u64(g, a.name, s.*a.count);
    else
      h5::attr_f64(g, a.name, s.*a.value);
  }
  g.close("H5Gclose summary");
}

}  // namespace suanwang::run_writer

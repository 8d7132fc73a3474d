#include "sim/scenario/storage_reader.hpp"

#include <cmath>
#include <limits>
#include <set>
#include <string>

#include "sim/core/text.hpp"
#include "sim/scenario/distribution_reader.hpp"
#include "sim/scenario/value_readers.hpp"
#include "sim/workload/streams.hpp"

namespace suanwang {

namespace {

using lua::format_number;
using lua::Node;
using lua::TableReader;
using units::Dimension;

// Generated datasets draw sizes and homes from their own stream, so adding a
// workload entry never changes the catalog.
constexpr std::uint64_t kDatasetStream = 0x6461746173657473ULL;  // "datasets"
constexpr std::size_t kMaxNameBytes = 128;

// The site index of each city (-1: none).
std::vector<int> site_of_city(const StorageSpec& s, std::size_t cities) {
  std::vector<int> out(cities, -1);
  for (std::size_t i = 0; i < s.sites.size(); ++i) out[static_cast<std::size_t>(s.sites[i].city)] = static_cast<int>(i);
  return out;
}

void add_site(StorageSpec& s, const LoadContext& lc, int city, double read_Bps, double capacity_B,
              const std::string& path) {
  for (const StorageSite& site : s.sites)
    if (site.city == city)
      lc.fail(path, "city " + text::quote(lc.topology->cities[city].name) + " already has a storage site");
  s.sites.push_back({city, read_Bps, capacity_B});
}

// storage = { { city = ..., read = ..., capacity = ... }, ... }
void read_sites(TableReader& root, const LoadContext& lc, StorageSpec& s) {
  const Node* n = root.get("storage");
  if (!n) return;
  if (n->type != Node::Type::table || !n->fields.empty())
    root.fail_type("storage", *n, "a list of sites { city = ..., read = \"400 Gbps\" [, capacity = \"20 PB\"] }");
  for (std::size_t i = 0; i < n->items.size(); ++i) {
    const std::string path = "storage[" + std::to_string(i + 1) + "]";
    const Node& e = n->items[i];
    if (e.type != Node::Type::table) lc.fail(path, std::string("expected a table, got ") + e.type_name());
    TableReader r(e, path, "storage." + std::to_string(i + 1), root.ctx());
    if (!r.has("read")) r.fail("read", "missing: the site's read bandwidth, e.g. \"400 Gbps\"");
    const double read = positive_quantity(r, "read", Dimension::bandwidth, 0);
    const double capacity =
        positive_quantity(r, "capacity", Dimension::bytes, std::numeric_limits<double>::infinity());
    const std::string city = r.string("city", "");
    if (city.empty()) r.fail("city", "missing: a city name, or \"centers\" for a site in every center's city");
    if (city == "centers") {
      for (std::size_t c = 0; c < lc.topology->cities.size(); ++c)
        if (lc.topology->cities[c].has_center()) add_site(s, lc, static_cast<int>(c), read, capacity, r.key_path("city"));
    } else {
      add_site(s, lc, lc.city_index(city, r.key_path("city"), false), read, capacity, r.key_path("city"));
    }
    r.finish();
  }
}

// caches = { size = ..., centers = { City = size, ... } }
void read_caches(TableReader& root, const LoadContext& lc, StorageSpec& s) {
  const auto& cities = lc.topology->cities;
  s.cache_B.assign(cities.size(), 0.0);
  const Node* n = root.get("caches");
  if (!n) return;
  if (n->type != Node::Type::table) root.fail_type("caches", *n, "a table { size = \"200 TB\" [, centers = { City = size }] }");
  TableReader r(*n, "caches", "caches", root.ctx());
  const double size = nonneg_quantity(r, "size", Dimension::bytes, 0);
  for (std::size_t c = 0; c < cities.size(); ++c)
    if (cities[c].has_center()) s.cache_B[c] = size;
  if (const Node* per = r.get("centers")) {
    if (per->type != Node::Type::table || !per->items.empty())
      r.fail_type("centers", *per, "a table City = size");
    for (const auto& [name, v] : per->fields) {
      const std::string path = r.key_path("centers") + "." + name;
      const int c = lc.city_index(name, path, true);
      const double b = lua::quantity_of(v, Dimension::bytes, lc.file, path);
      if (!(b >= 0) || !std::isfinite(b)) lc.fail(path, "must be a finite size >= 0, got " + format_number(b));
      s.cache_B[static_cast<std::size_t>(c)] = b;
      r.record("centers." + name, format_number(b));
    }
  }
  r.finish();
}

// homes = { "Guiyang", ... }: site indices.
std::vector<int> read_home_list(const LoadContext& lc, const Node& n, const std::string& path,
                                const std::vector<int>& site_of) {
  if (n.type != Node::Type::table || !n.fields.empty() || n.items.empty())
    lc.fail(path, std::string("expected a non-empty list of cities with a storage site, got ") + n.type_name());
  std::set<int> homes;
  for (std::size_t i = 0; i < n.items.size(); ++i) {
    const std::string p = path + "[" + std::to_string(i + 1) + "]";
    if (n.items[i].type != Node::Type::string) lc.fail(p, "expected a city name");
    const int city = lc.city_index(n.items[i].string, p, false);
    const int site = site_of[static_cast<std::size_t>(city)];
    if (site < 0) lc.fail(p, "city " + text::quote(n.items[i].string) + " has no storage site (add it to `storage`)");
    homes.insert(site);
  }
  return {homes.begin(), homes.end()};
}

std::string checked_name(const LoadContext& lc, const std::string& name, const std::string& path,
                         std::set<std::string>& seen) {
  if (name.empty() || name.size() > kMaxNameBytes)
    lc.fail(path, "a dataset name must have 1 to " + std::to_string(kMaxNameBytes) + " bytes");
  if (!seen.insert(name).second) lc.fail(path, "dataset " + text::quote(name) + " is declared twice");
  return name;
}

void read_declared(TableReader& root, const LoadContext& lc, const Node& list, const std::vector<int>& site_of,
                   std::set<std::string>& seen, std::vector<DatasetSpec>& out) {
  if (static_cast<long long>(list.items.size()) > kMaxDatasets)
    lc.fail("datasets", "too many datasets (at most " + std::to_string(kMaxDatasets) + ")");
  for (std::size_t i = 0; i < list.items.size(); ++i) {
    const std::string path = "datasets[" + std::to_string(i + 1) + "]";
    const Node& e = list.items[i];
    if (e.type != Node::Type::table) lc.fail(path, std::string("expected a table, got ") + e.type_name());
    TableReader r(e, path, "datasets." + std::to_string(i + 1), root.ctx());
    DatasetSpec d;
    d.name = checked_name(lc, r.string("name", ""), r.key_path("name"), seen);
    if (!r.has("size")) r.fail("size", "missing: the dataset's size, e.g. \"40 TB\"");
    d.size_B = positive_quantity(r, "size", Dimension::bytes, 0);
    d.weight = r.number("weight", d.weight);
    if (!(d.weight >= 0) || !std::isfinite(d.weight)) r.fail("weight", "must be a finite number >= 0");
    const Node* h = r.get("homes");
    if (!h) r.fail("homes", "missing: the cities whose storage sites hold it");
    d.homes = read_home_list(lc, *h, r.key_path("homes"), site_of);
    r.finish();
    out.push_back(std::move(d));
  }
}

void read_generated(TableReader& parent, const LoadContext& lc, const Node& g, std::uint64_t seed,
                    const StorageSpec& s, const std::vector<int>& site_of, std::set<std::string>& seen,
                    std::vector<DatasetSpec>& out) {
  if (g.type != Node::Type::table) parent.fail_type("generate", g, "a table { count = N, size = ..., zipf = s }");
  TableReader r(g, parent.key_path("generate"), parent.dotted_key("generate"), parent.ctx());
  if (!r.has("count")) r.fail("count", "missing: how many datasets to generate");
  const long long count = integer_in(r, "count", 1, kMaxDatasets, 1);
  if (count > kMaxDatasets - static_cast<long long>(out.size()))
    r.fail("count", "too many datasets (at most " + std::to_string(kMaxDatasets) + " in all)");
  if (!r.has("size")) r.fail("size", "missing: a size or a distribution of sizes in bytes");
  const Distribution size = read_distribution(r, "size", Dimension::bytes, 0, Bound::positive);
  const double zipf = r.number("zipf", 1.0);
  if (!(zipf >= 0 && zipf <= 10)) r.fail("zipf", "must be between 0 (equal popularity) and 10");
  const std::string prefix = r.string("prefix", "ds");
  if (s.sites.empty()) r.fail("homes", "datasets need homes: declare storage sites in `storage`");
  std::vector<int> fixed;  // every site listed
  std::string mode = "one_site";
  if (const Node* h = r.get("homes")) {
    if (h->type == Node::Type::string) {
      mode = h->string;
      if (mode != "one_site" && mode != "every_site")
        r.fail("homes", "expected \"one_site\", \"every_site\" or a list of cities" + text::did_you_mean(mode, {"one_site", "every_site"}));
    } else {
      fixed = read_home_list(lc, *h, r.key_path("homes"), site_of);
      mode = "listed";
    }
  }
  r.record("homes", mode);
  r.finish();
  Rng rng(workload_detail::stream_seed(seed, kDatasetStream, 0));
  std::vector<int> all(s.sites.size());
  for (std::size_t i = 0; i < all.size(); ++i) all[i] = static_cast<int>(i);
  const int digits = std::max<int>(4, static_cast<int>(std::to_string(count).size()));
  for (long long k = 1; k <= count; ++k) {
    DatasetSpec d;
    std::string num = std::to_string(k);
    d.name = checked_name(lc, prefix + std::string(static_cast<std::size_t>(digits) - num.size(), '0') + num,
                          r.key_path("prefix"), seen);
    d.size_B = size.sample(rng);
    if (!(d.size_B > 0) || !std::isfinite(d.size_B))
      r.fail("size", "drew " + format_number(d.size_B) + " (expected a finite size > 0)");
    d.weight = std::pow(static_cast<double>(k), -zipf);
    if (mode == "one_site") d.homes = {all[static_cast<std::size_t>(uniform01(rng) * static_cast<double>(all.size())) % all.size()]};
    else if (mode == "every_site") d.homes = all;
    else d.homes = fixed;
    out.push_back(std::move(d));
  }
}

void read_datasets(TableReader& root, const LoadContext& lc, std::uint64_t seed, const StorageSpec& s,
                   std::vector<DatasetSpec>& out) {
  const Node* n = root.get("datasets");
  if (!n) return;
  if (n->type != Node::Type::table) root.fail_type("datasets", *n, "a list of datasets and/or generate = { ... }");
  const std::vector<int> site_of = site_of_city(s, lc.topology->cities.size());
  std::set<std::string> seen;
  TableReader r(*n, "datasets", "datasets", root.ctx());
  read_declared(root, lc, *n, site_of, seen, out);
  if (const Node* g = r.get("generate")) read_generated(r, lc, *g, seed, s, site_of, seen, out);
  r.finish(true);
  if (out.empty()) lc.fail("datasets", "declares no dataset");
}

// What each site holds must fit its capacity.
void check_capacity(const LoadContext& lc, const StorageSpec& s, const std::vector<DatasetSpec>& datasets) {
  std::vector<double> held(s.sites.size(), 0.0);
  for (const DatasetSpec& d : datasets)
    for (int h : d.homes) held[static_cast<std::size_t>(h)] += d.size_B;
  for (std::size_t i = 0; i < s.sites.size(); ++i)
    if (held[i] > s.sites[i].capacity_B)
      lc.fail("storage", "the site in " + text::quote(lc.topology->cities[s.sites[i].city].name) + " holds " +
                             units::format_bytes(held[i]) + " of datasets, more than its capacity " +
                             units::format_bytes(s.sites[i].capacity_B));
}

}  // namespace

void read_storage(TableReader& root, const LoadContext& lc, std::uint64_t seed, StorageSpec* storage,
                  std::vector<DatasetSpec>* datasets) {
  read_sites(root, lc, *storage);
  read_caches(root, lc, *storage);
  read_datasets(root, lc, seed, *storage, *datasets);
  check_capacity(lc, *storage, *datasets);
}

}  // namespace suanwang

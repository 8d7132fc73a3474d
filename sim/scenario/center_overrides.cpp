#include "sim/scenario/center_overrides.hpp"

#include <set>

#include "sim/core/text.hpp"
#include "sim/scenario/scenario_paths.hpp"
#include "sim/topology/node_list.hpp"
#include "sim/topology/pools_text.hpp"

namespace suanwang {

namespace {

using lua::format_number;
using lua::Node;
using lua::TableReader;

// `pools`: a pools text, or a table chip = count (or "NxG"); either way each
// entry is read by the one parser of the grammar.
std::vector<topo::Pool> read_pools(TableReader& r, const LoadContext& lc, const Node& p) {
  const std::string path = r.key_path("pools");
  const auto parse = [&](const std::string& text, const std::string& where) {
    topo::PoolsParse parsed = topo::parse_pools(text, lc.topology->accelerators);
    if (!parsed.ok()) lc.fail(where, parsed.error);
    return parsed.pools;
  };
  std::vector<topo::Pool> pools;
  if (p.type == Node::Type::string) {
    pools = parse(p.string, path);
  } else if (p.type == Node::Type::table && p.items.empty()) {
    for (const auto& [chip, n] : p.fields) {
      if (n.type != Node::Type::number && n.type != Node::Type::string)
        lc.fail(path + "." + chip, "expected a chip count or \"NxG\"");
      const std::string size = n.type == Node::Type::number ? format_number(n.number) : n.string;
      for (topo::Pool& pool : parse(chip + ":" + size, path + "." + chip)) pools.push_back(std::move(pool));
    }
  } else {
    r.fail_type("pools", p, "\"chip:count,...\" or a table chip = count");
  }
  if (pools.empty()) lc.fail(path, "needs at least one pool");
  r.record("pools", topo::format_pools(pools));
  return pools;
}

// `nodes`: the center becomes one pool of servers listed in a CSV file,
// nodes = { file = "servers.csv", chip = "a100" } (see node_list.hpp).
topo::Pool read_nodes(TableReader& r, const LoadContext& lc, const Node& n) {
  if (n.type != Node::Type::table) r.fail_type("nodes", n, "a table { file = \"servers.csv\", chip = \"<chip id>\" }");
  TableReader t(n, r.key_path("nodes"), r.dotted_key("nodes"), r.ctx());
  if (!t.has("file")) t.fail("file", "missing: the CSV file listing the servers");
  if (!t.has("chip")) t.fail("chip", "missing: the chip of the servers");
  const std::string path = resolve_against(lc.dir, t.string("file", ""));
  if (!is_file(path)) t.fail("file", "node list not found: " + path);
  const std::string chip = lc.chip_id(t.string("chip", ""), t.key_path("chip"));
  t.record("file", path);
  t.finish();
  try {
    return topo::load_node_list(path, chip, lc.topology->accelerators);
  } catch (const UserError& e) {
    t.fail("file", e.what());
  }
}

// `swap_to_chip`: the center's pools become one flat pool of that chip.
void swap_chips(TableReader& r, const LoadContext& lc, topo::City& city) {
  const auto swap = r.opt_string("swap_to_chip");
  if (!swap || *swap == "none" || swap->empty()) return;
  topo::Pool merged;
  merged.chip = lc.chip_id(*swap, r.key_path("swap_to_chip"));
  merged.accel = lc.topology->accelerator_index(merged.chip);
  if (!city.has_center()) r.fail("swap_to_chip", "city " + text::quote(city.name) + " has no computing center");
  for (const auto& pool : city.pools) merged.count += pool.count;
  if (merged.count > topo::kMaxPoolChips)
    r.fail("swap_to_chip", "the merged pool would hold " + std::to_string(merged.count) + " chips (expected at most " +
                               std::to_string(topo::kMaxPoolChips) + " in one pool)");
  city.pools = {merged};
}

// A multiplier of a price (price_factor, the entries of price_profile):
// beyond it, costs overflow (see topo::kMaxPriceCnyPerKwh).
constexpr double kMaxPriceFactor = 1000;

// pue, price, price_factor and green_share, in that order.
void set_energy_terms(TableReader& r, topo::City& city) {
  if (const auto pue = r.opt_number("pue")) {
    if (!(*pue >= 1)) r.fail("pue", "must be >= 1 (got " + format_number(*pue) + ")");
    if (*pue > topo::kMaxPue) r.fail("pue", "must be <= 10 (got " + format_number(*pue) + ")");
    city.pue = *pue;
  }
  if (const auto price = r.opt_quantity("price", units::Dimension::price)) {
    if (!(*price >= 0 && *price <= topo::kMaxPriceCnyPerKwh / units::kJoulePerKWh))
      r.fail("price", "must be 0 to 1000 CNY/kWh");
    city.price_cny_per_J = *price;
  }
  if (const auto f = r.opt_number("price_factor")) {
    if (!(*f >= 0 && *f <= kMaxPriceFactor))
      r.fail("price_factor", "must be 0 to 1000 (got " + format_number(*f) + ")");
    city.price_cny_per_J *= *f;
  }
  if (const auto g = r.opt_number("green_share")) {
    if (!(*g >= 0 && *g <= 1)) r.fail("green_share", "must be a share in [0, 1] (got " + format_number(*g) + ")");
    city.green_share = *g;
  }
}

// The city an entry changes: its table key (`city_key`, map form) or its
// `city` field (list form).
std::string entry_city(TableReader& r, const std::string* city_key) {
  if (!city_key) {
    if (!r.has("city")) r.fail("city", "missing: which city does this entry change?");
    return r.string("city", "");
  }
  if (const auto explicit_city = r.opt_string("city"); explicit_city && *explicit_city != *city_key)
    r.fail("city", "disagrees with the table key " + text::quote(*city_key));
  return *city_key;
}

// Applies the entries one by one; a city may be changed once.
class EntryApplier {
 public:
  EntryApplier(TableReader& root, const LoadContext& lc, topo::Topology& topology)
      : root_(root), lc_(lc), topology_(topology) {}

  void apply(const Node& e, const std::string& path, const std::string& dotted, const std::string* city_key) {
    if (e.type != Node::Type::table) lc_.fail(path, std::string("expected a table, got ") + e.type_name());
    TableReader r(e, path, dotted, root_.ctx());
    const std::string name = entry_city(r, city_key);
    r.record("city", name);
    topo::City& city = topology_.cities[lc_.city_index(name, city_key ? path : r.key_path("city"), false)];
    if (!seen_.insert(name).second) lc_.fail(path, "city " + text::quote(name) + " is changed twice in centers");
    if (const Node* p = r.get("pools")) city.pools = read_pools(r, lc_, *p);
    if (const Node* p = r.get("nodes")) city.pools = {read_nodes(r, lc_, *p)};
    swap_chips(r, lc_, city);
    set_energy_terms(r, city);
    r.finish();
  }

 private:
  TableReader& root_;
  const LoadContext& lc_;
  topo::Topology& topology_;
  std::set<std::string> seen_;
};

}  // namespace

void apply_center_overrides(TableReader& root, const LoadContext& lc, topo::Topology& topology) {
  const Node* n = root.get("centers");
  if (!n) return;
  if (n->type != Node::Type::table)
    root.fail_type("centers", *n, "a list of center tables or a table city = {...}");
  EntryApplier entries(root, lc, topology);
  for (std::size_t i = 0; i < n->items.size(); ++i)
    entries.apply(n->items[i], "centers[" + std::to_string(i + 1) + "]", "centers." + std::to_string(i + 1), nullptr);
  for (const auto& [name, e] : n->fields) entries.apply(e, "centers." + name, "centers." + name, &name);
}

}  // namespace suanwang

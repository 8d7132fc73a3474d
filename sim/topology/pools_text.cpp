#include "sim/topology/pools_text.hpp"

#include <algorithm>

#include "sim/core/text.hpp"

namespace suanwang::topo {

namespace {

bool is_blank(char c) { return c == ' ' || c == '\t'; }

std::string_view trim(std::string_view s) {
  while (!s.empty() && is_blank(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_blank(s.back())) s.remove_suffix(1);
  return s;
}

// The value of a number written in decimal digits (leading zeros allowed), or
// -1 when the text is anything else. Values above kMaxPoolChips read as
// kMaxPoolChips + 1, so no length of digits overflows.
long long chip_number(std::string_view s) {
  s = trim(s);
  if (s.empty()) return -1;
  long long v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return -1;
    v = std::min<long long>(v * 10 + (c - '0'), kMaxPoolChips + 1LL);
  }
  return v;
}

const char* const kExpected = " (expected chip:count or chip:NxG, e.g. ascend-910b:4096 or ascend-910b:512x8)";

// Fills `pool`'s sizes from the text after ':'; returns the error, "" when sound.
std::string read_size(std::string_view chip, std::string_view size, Pool& pool) {
  const std::string what = "pool " + std::string(chip) + ": ";
  const std::string limit = " (expected at most " + std::to_string(kMaxPoolChips) + " in one pool)";
  const auto x = size.find('x');
  if (x == std::string_view::npos) {
    const long long count = chip_number(size);
    if (count <= 0)
      return what + "count " + text::quote(trim(size), '"') + " is not a whole number of chips > 0" + kExpected;
    if (count > kMaxPoolChips) return what + std::string(trim(size)) + " chips" + limit;
    pool.count = static_cast<int>(count);
    return "";
  }
  const long long servers = chip_number(size.substr(0, x)), per_server = chip_number(size.substr(x + 1));
  if (servers <= 0 || per_server <= 0)
    return what + text::quote(trim(size), '"') + " is not N servers x G chips with whole numbers > 0" + kExpected;
  if (servers * per_server > kMaxPoolChips)
    return what + std::string(trim(size)) + " is " + std::to_string(servers * per_server) + " chips" + limit;
  pool.servers = static_cast<int>(servers);
  pool.per_server = static_cast<int>(per_server);
  pool.count = pool.servers * pool.per_server;
  return "";
}

// One entry "chip:size" into `pool`; returns the error, "" when sound.
std::string read_entry(std::string_view entry, const std::vector<Accelerator>& catalog, Pool& pool) {
  const auto colon = entry.find(':');
  if (trim(entry).empty()) return "empty entry (a stray ',')" + std::string(kExpected);
  if (colon == std::string_view::npos)
    return text::quote(trim(entry), '"') + " is not chip:count" + kExpected;
  const std::string_view chip = trim(entry.substr(0, colon));
  if (chip.empty() || std::any_of(chip.begin(), chip.end(), is_blank))
    return text::quote(trim(entry), '"') + " does not start with a chip id" + kExpected;
  std::vector<std::string> ids;
  for (const Accelerator& a : catalog) ids.push_back(a.id);
  const auto it = std::find(ids.begin(), ids.end(), chip);
  if (it == ids.end())
    return "unknown chip " + text::quote(chip) + text::did_you_mean(chip, ids) +
           " (expected one of " + text::join(ids) + ")";
  pool.chip = std::string(chip);
  pool.accel = static_cast<int>(it - ids.begin());
  return read_size(chip, entry.substr(colon + 1), pool);
}

}  // namespace

PoolsParse parse_pools(std::string_view text, const std::vector<Accelerator>& catalog) {
  PoolsParse out;
  if (trim(text).empty()) return out;
  std::size_t start = 0;
  for (;;) {
    const std::size_t comma = text.find(',', start);
    Pool pool;
    out.error = read_entry(text.substr(start, comma == std::string_view::npos ? std::string_view::npos : comma - start),
                           catalog, pool);
    for (const Pool& p : out.pools)
      if (out.error.empty() && p.chip == pool.chip) out.error = "chip " + text::quote(pool.chip) + " listed twice";
    if (!out.error.empty()) {
      out.pools.clear();
      return out;
    }
    out.pools.push_back(std::move(pool));
    if (comma == std::string_view::npos) return out;
    start = comma + 1;
  }
}

std::string format_pools(const std::vector<Pool>& pools) {
  std::string s;
  for (const Pool& p : pools) {
    if (!s.empty()) s += ',';
    s += p.chip + ':';
    s += p.servers > 0 ? std::to_string(p.servers) + "x" + std::to_string(p.per_server) : std::to_string(p.count);
  }
  return s;
}

}  // namespace suanwang::topo

#include "sim/scenario/load_context.hpp"

#include "sim/core/text.hpp"

namespace suanwang {

void LoadContext::fail(const std::string& path, const std::string& what) const {
  throw lua::key_error(file, path, what);
}

int LoadContext::city_index(const std::string& name, const std::string& path, bool need_center) const {
  const int i = topology->city_index(name);
  if (i < 0) fail(path, "unknown city " + text::quote(name) + text::did_you_mean(name, topology->city_names()));
  if (need_center && !topology->cities[i].has_center())
    fail(path, "city " + text::quote(name) + " has no computing center");
  return i;
}

int LoadContext::city(lua::TableReader& r, const std::string& key, bool need_center) const {
  const auto name = r.opt_string(key);
  if (!name) {
    r.record(key, "");
    return -1;
  }
  return city_index(*name, r.key_path(key), need_center);
}

std::string LoadContext::chip_id(const std::string& id, const std::string& path) const {
  if (topology->accelerator_index(id) >= 0) return id;
  std::vector<std::string> ids;
  for (const auto& a : topology->accelerators) ids.push_back(a.id);
  fail(path, "unknown chip " + text::quote(id) + text::did_you_mean(id, ids) + "; chips of the catalog: " +
                 text::join(ids));
}

}  // namespace suanwang

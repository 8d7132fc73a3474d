// LoadContext: what every reader of a scenario's parts shares while one file
// is read: the file (for messages), its folder (relative paths resolve there)
// and the topology that city and chip names resolve against.
//
// The scenario reader (scenario_reader.hpp) is split by part of the file:
// value_readers (checked numbers, curves), distribution_reader, workload_reader,
// center_overrides, failures_reader, sweep_reader and scenario_paths. Each
// reads its keys through a lua::TableReader, which records every resolved
// value into Scenario::resolved and rejects unknown keys at finish().
#pragma once

#include <string>

#include "sim/lua/lua_table_reader.hpp"
#include "sim/topology/topology.hpp"

namespace suanwang {

struct LoadContext {
  std::string file;                          // the scenario file, as given
  std::string dir;                           // its folder, absolute
  const topo::Topology* topology = nullptr;  // loaded, overrides applied as they are read
  double horizon_s = 0;                      // the scenario's duration (for size_limits.hpp)

  // Throws UserError(file, "key '<path>'", what).
  [[noreturn]] void fail(const std::string& path, const std::string& what) const;
  // The index of city `name`; `path` names the key in messages. With
  // need_center, the city must host a computing center.
  int city_index(const std::string& name, const std::string& path, bool need_center) const;
  // The optional city at `key`: its index, or -1 when absent (recorded as "").
  int city(lua::TableReader& r, const std::string& key, bool need_center) const;
  // `id` if it is a chip of the catalog.
  std::string chip_id(const std::string& id, const std::string& path) const;
};

}  // namespace suanwang

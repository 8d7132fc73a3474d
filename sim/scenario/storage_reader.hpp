// read_storage: the scenario's data tier, from three top-level keys.
//
//   storage  = { { city = "Guiyang", read = "400 Gbps", capacity = "20 PB" },
//                { city = "centers", read = "100 Gbps" } }   -- a site in every center's city
//   datasets = { { name = "web-zh", size = "40 TB", homes = { "Guiyang" }, weight = 5 },
//                generate = { count = 500, size = <distribution of bytes>,
//                             zipf = 1.1, homes = "one_site" | "every_site" | { cities } } }
//   caches   = { size = "200 TB", centers = { Wuhu = "1 PB", Shanghai = 0 } }
//
// Declared datasets keep their order; generated ones follow, named
// "<prefix>0001"... with popularity weight 1 / rank^zipf (rank 1 = the first
// generated), sizes drawn from the distribution and homes drawn uniformly
// among the sites ("one_site") from the scenario seed's own stream. Every
// home must be a storage site; datasets homed at a site must fit its
// capacity. Without `datasets`, the catalog is empty and caches hold nothing.
#pragma once

#include <vector>

#include "sim/lua/lua_table_reader.hpp"
#include "sim/scenario/load_context.hpp"
#include "sim/scenario/scenario.hpp"

namespace suanwang {

// Hard limits that keep a hostile scenario's memory bounded.
inline constexpr long long kMaxDatasets = 1'000'000;

void read_storage(lua::TableReader& root, const LoadContext& lc, std::uint64_t seed,
                  StorageSpec* storage, std::vector<DatasetSpec>* datasets);

}  // namespace suanwang

// The pools text: a center's accelerator pools written as one string, the way
// the GraphML `pools` attribute, a scenario's `centers[...].pools` and
// topology/data/cities.csv (through scripts/make_topology.py) all write it.
//
//   pools := ""  |  entry ("," entry)*
//   entry := chip ":" count               a flat pool of `count` chips
//          | chip ":" servers "x" gpus    `servers` servers of `gpus` chips each
//   chip  := an accelerator id of the catalog (any characters but ',' ':' and blanks)
//   count, servers, gpus := decimal digits, value > 0
//
// Blanks (spaces, tabs) may stand around chip, ':', the numbers and 'x'; an
// empty entry (",," or a trailing ",") is an error, and so is a chip listed
// twice. "ascend-910b:4096,a800:1024" is two flat pools;
// "ascend-910b:512x8" is 512 servers of 8 chips (4096 chips in all).
// Every pool holds at most kMaxPoolChips chips (topology.hpp says why).
//
// This is the only parser of the grammar in C++. scripts/make_topology.py
// carries the same grammar in Python; tests/topology/pools_texts.txt lists
// the texts both must accept or reject alike, and a test of each side reads it.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "sim/topology/topology.hpp"

namespace suanwang::topo {

struct PoolsParse {
  std::vector<Pool> pools;  // in text order, `accel` resolved against the catalog
  std::string error;        // empty when the text is sound, else what is wrong and what was expected
  bool ok() const { return error.empty(); }
};

// Parses `text`; chip ids are checked against `catalog`. An empty (or blank)
// text is sound and has no pools: whether that is allowed is the caller's call.
PoolsParse parse_pools(std::string_view text, const std::vector<Accelerator>& catalog);

// The canonical text of `pools` ("a800:1024,ascend-910b:512x8"): what
// parse_pools reads back to the same pools.
std::string format_pools(const std::vector<Pool>& pools);

}  // namespace suanwang::topo

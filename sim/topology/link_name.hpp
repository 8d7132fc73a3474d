// Link names: how scenarios, policies and messages name backbone links.
//
//   "A-B/carrier"   the link of `carrier` between cities A and B (either order)
//   "carrier:ID"    every link of carrier ID (a whole backbone)
//
// The form has exactly one reading because city and carrier ids cannot hold
// '-', '/' or ':': an id is an ASCII letter followed by ASCII letters, digits,
// '_' or '\'' ("Xi'an" and "Xi_an" are ids, "Xi-an" is not). load_topology
// rejects any other city or carrier id, and scripts/make_topology.py applies
// the same rule to cities.csv and links.csv.
//
// resolve_link_name is the one reader of the form: the scenario loader checks
// failures.links with it and the engine's failure injector resolves them with
// it, so a name `suanwang check` accepts is the name `suanwang run` uses.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "sim/topology/topology.hpp"

namespace suanwang::topo {

// Whether `s` may name a city or a carrier (see above).
bool is_id(std::string_view s);
// What is wrong with `s` as a city or carrier id, for a message ("" if it is
// one); suggests the id with '_' for every character that may not stand there.
std::string id_problem(std::string_view s);

// "A-B/carrier".
std::string link_name(std::string_view a, std::string_view b, std::string_view carrier);

// The indices into t.links of the links `name` denotes (one for "A-B/carrier",
// all of the carrier's for "carrier:ID"). Throws UserError(file, element,
// what is wrong + a suggestion + the expected forms) when it denotes none.
std::vector<int> resolve_link_name(const Topology& t, std::string_view name, const std::string& file,
                                   const std::string& element);

}  // namespace suanwang::topo

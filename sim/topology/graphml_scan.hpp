// scan_graphml: one pass over a GraphML text before Boost reads it, for what
// Boost's reader cannot be trusted with or does not say.
//
// Boost.Graph's read_graphml parses with a recursive XML parser (deep nesting
// overflows the stack), merges two <node> elements with the same id into one
// city, and rejects a <data> of an undeclared key without saying where. The
// scan, iterative and linear in the text (no std::regex, whose matching is
// recursive), refuses all three with the line, and
//  - collects the declared keys ("for/attr.name"),
//  - rewrites every <key>'s attr.type to "string", so Boost hands the loader
//    raw text and a mistyped value is reported with its city or edge.
// Limits (README "Limits"): kMaxGraphmlBytes of text, kMaxXmlDepth levels of
// elements (GraphML needs 4: graphml > graph > node > data).
#pragma once

#include <cstddef>
#include <set>
#include <string>

namespace suanwang::topo {

inline constexpr std::size_t kMaxGraphmlBytes = 256u << 20;
inline constexpr int kMaxXmlDepth = 32;

struct GraphmlScan {
  std::set<std::string> keys;  // "node/name", "edge/bandwidth_gbps", "all/x"
  std::string xml;             // the text with every attr.type="string"
};

// Throws UserError(path, "line N", ...) on a problem.
GraphmlScan scan_graphml(const std::string& path, const std::string& xml);

}  // namespace suanwang::topo

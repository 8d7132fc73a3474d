// RouteTable: where a byte goes between two cities, computed once per run.
//
// Built from a Topology with Boost.Graph shortest paths (latency as weight).
// For every ordered pair of cities (src != dst) it holds:
//  - per carrier, the lowest-latency path using only that carrier's links
//    (absent when that carrier does not connect the pair);
//  - the best path overall, which may change carrier only at interconnection
//    points (City::interconnect);
//  - alternates: for each link of the best path, the best path that avoids
//    that link (same crossing rule), where the graph allows one. Together with
//    the best path these are the route "variants" of the pair, variant 0 being
//    the best path; duplicates are removed.
// route_avoiding() answers arbitrary failure sets (Dijkstra on the up links)
// for analysis; the engine does not use it: SimGrid's routes are fixed when
// the platform is built, so a transfer with no surviving variant waits.
// Thread safety: const methods may be called concurrently.
#pragma once

#include <optional>
#include <vector>

#include "sim/topology/topology.hpp"

namespace suanwang::topo {

struct Route {
  std::vector<int> links;        // link indices from src to dst, in order
  double latency_s = 0;          // sum of link latencies
  double bottleneck_Bps = 0;     // min link bandwidth
  bool empty() const { return links.empty(); }
};

class RouteTable {
 public:
  explicit RouteTable(const Topology& topo);

  int city_count() const { return n_; }
  // Best path (variant 0). Precondition: src != dst, both valid.
  const Route& best(int src, int dst) const;
  // Lowest-latency path on one carrier only; nullptr when that carrier does
  // not connect src and dst.
  const Route* on_carrier(int src, int dst, int carrier) const;
  // All variants of the pair, best first; never empty for a connected graph.
  const std::vector<Route>& variants(int src, int dst) const;
  // Largest variants(src,dst).size() over all pairs.
  int max_variants() const { return max_variants_; }
  // Best path using only links with link_up[i] true; nullopt if none.
  std::optional<Route> route_avoiding(int src, int dst, const std::vector<bool>& link_up) const;
  // One-way latency of the best path; 0 when src == dst.
  double latency_s(int src, int dst) const;

 private:
  const Topology* topo_;
  int n_ = 0;
  int max_variants_ = 1;
  std::vector<std::vector<Route>> variants_;             // [src*n+dst]
  std::vector<std::vector<std::optional<Route>>> per_carrier_;  // [src*n+dst][carrier]
};

}  // namespace suanwang::topo

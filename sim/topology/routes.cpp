#include "sim/topology/routes.hpp"

#include <algorithm>
#include <limits>

#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/dijkstra_shortest_paths.hpp>
#include <boost/property_map/function_property_map.hpp>
#include <tbb/parallel_for.h>

namespace suanwang::topo {

namespace {

// The routing graph: for each carrier a copy ("layer") of the cities joined
// by that carrier's links; at an interconnection point the layers of a city
// are joined by free edges, so traffic may change carrier there and only
// there. Each city also has a source node with free edges into all its
// layers and a sink node fed by all of them: a route may start and end on
// any carrier.
struct EdgeProp {
  double latency_s = 0;
  int link = -1;  // -1: a free edge (source, sink, carrier change)
};
using Graph = boost::adjacency_list<boost::vecS, boost::vecS, boost::directedS, boost::no_property,
                                    EdgeProp>;
using Vertex = boost::graph_traits<Graph>::vertex_descriptor;
using Edge = boost::graph_traits<Graph>::edge_descriptor;

constexpr double kInf = std::numeric_limits<double>::infinity();

struct RoutingGraph {
  Graph g;
  int n = 0, carriers = 0;
  int layer(int city, int carrier) const { return carrier * n + city; }
  int source(int city) const { return carriers * n + city; }
  int sink(int city) const { return carriers * n + n + city; }
};

// cross_carriers: allow carrier changes at interconnection points.
// only_carrier >= 0: keep that carrier's layer only.
RoutingGraph build(const Topology& t, bool cross_carriers, int only_carrier) {
  RoutingGraph r;
  r.n = static_cast<int>(t.cities.size());
  r.carriers = static_cast<int>(t.carriers.size());
  r.g = Graph(static_cast<std::size_t>(r.carriers * r.n + 2 * r.n));
  auto add = [&](int u, int v, double w, int link) { boost::add_edge(u, v, EdgeProp{w, link}, r.g); };
  for (int li = 0; li < static_cast<int>(t.links.size()); ++li) {
    const Link& l = t.links[li];
    if (only_carrier >= 0 && l.carrier_index != only_carrier) continue;
    add(r.layer(l.a, l.carrier_index), r.layer(l.b, l.carrier_index), l.latency_s, li);
    add(r.layer(l.b, l.carrier_index), r.layer(l.a, l.carrier_index), l.latency_s, li);
  }
  for (int c = 0; c < r.n; ++c)
    for (int k = 0; k < r.carriers; ++k) {
      if (only_carrier >= 0 && k != only_carrier) continue;
      add(r.source(c), r.layer(c, k), 0.0, -1);
      add(r.layer(c, k), r.sink(c), 0.0, -1);
      if (cross_carriers && t.cities[c].interconnect)
        for (int k2 = 0; k2 < r.carriers; ++k2)
          if (k2 != k) add(r.layer(c, k), r.layer(c, k2), 0.0, -1);
    }
  return r;
}

struct Tree {
  std::vector<double> dist;
  std::vector<Edge> pred_edge;
  std::vector<char> has_pred;
};

// Thrown by the visitor to end a Dijkstra early, once every vertex the caller
// needs is settled (Boost's documented way to stop the search).
struct AllTargetsSettled {};

struct EdgeRecorder : boost::default_dijkstra_visitor {
  Tree* tree = nullptr;
  const std::vector<char>* wanted = nullptr;  // stop early once these are settled
  std::size_t remaining = 0;
  void edge_relaxed(Edge e, const Graph& g) {
    const auto v = boost::target(e, g);
    tree->pred_edge[v] = e;
    tree->has_pred[v] = 1;
  }
  void finish_vertex(Vertex v, const Graph&) {
    if (wanted && (*wanted)[v] && --remaining == 0) throw AllTargetsSettled{};
  }
};

// Shortest paths from city src's source node. Links with link_up[l] false
// (when given) and the link `banned` (when >= 0) are unusable. With `targets`,
// the search stops once all those vertices are settled; others keep whatever
// (possibly unfinished) distance they had.
Tree shortest_from(const RoutingGraph& r, int src, const std::vector<bool>* link_up, int banned,
                   const std::vector<Vertex>* targets = nullptr) {
  const std::size_t nv = boost::num_vertices(r.g);
  Tree tree;
  tree.dist.assign(nv, kInf);
  tree.pred_edge.resize(nv);
  tree.has_pred.assign(nv, 0);
  std::vector<Vertex> pred(nv);
  EdgeRecorder vis;
  vis.tree = &tree;
  std::vector<char> wanted;
  if (targets) {
    wanted.assign(nv, 0);
    for (Vertex t : *targets) vis.remaining += wanted[t] ? 0 : (wanted[t] = 1);
    vis.wanted = &wanted;
  }
  const Graph& g = r.g;
  auto weight = boost::make_function_property_map<Edge, double>([&](const Edge& e) {
    const EdgeProp& p = g[e];
    if (p.link >= 0 && (p.link == banned || (link_up && !(*link_up)[p.link]))) return kInf;
    return p.latency_s;
  });
  try {
    boost::dijkstra_shortest_paths(
        g, static_cast<Vertex>(r.source(src)),
        boost::weight_map(weight).distance_map(tree.dist.data()).predecessor_map(pred.data()).visitor(vis));
  } catch (const AllTargetsSettled&) {
  }
  return tree;
}

// The route to city dst in a tree, or an empty route when unreachable.
Route extract(const Topology& t, const RoutingGraph& r, const Tree& tree, int dst) {
  Route route;
  Vertex v = static_cast<Vertex>(r.sink(dst));
  if (!(tree.dist[v] < kInf)) return route;
  while (tree.has_pred[v]) {
    const Edge e = tree.pred_edge[v];
    if (r.g[e].link >= 0) route.links.push_back(r.g[e].link);
    v = boost::source(e, r.g);
  }
  std::reverse(route.links.begin(), route.links.end());
  route.bottleneck_Bps = kInf;
  for (int li : route.links) {
    route.latency_s += t.links[li].latency_s;
    route.bottleneck_Bps = std::min(route.bottleneck_Bps, t.links[li].bandwidth_Bps);
  }
  return route;
}

}  // namespace


RouteTable::RouteTable(const Topology& topo) : topo_(&topo), n_(static_cast<int>(topo.cities.size())) {
  const std::size_t pairs = static_cast<std::size_t>(n_) * n_;
  variants_.assign(pairs, {});
  per_carrier_.assign(pairs, std::vector<std::optional<Route>>(topo.carriers.size()));

  // Sources are independent: each writes only its own rows, so TBB may run
  // them in any order on any number of threads and the table is the same.
  for (int k = 0; k < static_cast<int>(topo.carriers.size()); ++k) {
    const RoutingGraph rg = build(topo, false, k);
    tbb::parallel_for(0, n_, [&](int s) {
      const Tree tree = shortest_from(rg, s, nullptr, -1);
      for (int d = 0; d < n_; ++d) {
        if (d == s) continue;
        Route route = extract(topo, rg, tree, d);
        if (!route.empty()) per_carrier_[static_cast<std::size_t>(s) * n_ + d][k] = std::move(route);
      }
    });
  }

  const RoutingGraph rg = build(topo, true, -1);
  tbb::parallel_for(0, n_, [&](int s) {
    const Tree tree = shortest_from(rg, s, nullptr, -1);
    // dests_by_link[l]: destinations whose best path from s crosses link l.
    std::vector<std::vector<int>> dests_by_link(topo.links.size());
    std::vector<int> used;
    for (int d = 0; d < n_; ++d) {
      if (d == s) continue;
      Route best = extract(topo, rg, tree, d);
      for (int l : best.links) {
        if (dests_by_link[static_cast<std::size_t>(l)].empty()) used.push_back(l);
        dests_by_link[static_cast<std::size_t>(l)].push_back(d);
      }
      variants_[static_cast<std::size_t>(s) * n_ + d].push_back(std::move(best));
    }
    std::sort(used.begin(), used.end());
    // One Dijkstra per (source, link used), stopped as soon as the destinations
    // whose best path crosses that link are settled, gives each of them its
    // best path avoiding the link.
    std::vector<Vertex> affected;
    for (int banned : used) {
      const auto& dests = dests_by_link[static_cast<std::size_t>(banned)];
      affected.clear();
      for (int d : dests) affected.push_back(static_cast<Vertex>(rg.sink(d)));
      const Tree alt = shortest_from(rg, s, nullptr, banned, &affected);
      for (int d : dests) {
        auto& vars = variants_[static_cast<std::size_t>(s) * n_ + d];
        Route r = extract(topo, rg, alt, d);
        if (r.empty()) continue;
        const bool dup = std::any_of(vars.begin(), vars.end(),
                                     [&](const Route& v) { return v.links == r.links; });
        if (!dup) vars.push_back(std::move(r));
      }
    }
  });
  for (int s = 0; s < n_; ++s)
    for (int d = 0; d < n_; ++d) {
      if (s == d) continue;
      auto& vars = variants_[static_cast<std::size_t>(s) * n_ + d];
      // Best first, then alternates by latency (ties: fewer hops), a stable order.
      std::stable_sort(vars.begin() + 1, vars.end(), [](const Route& a, const Route& b) {
        return a.latency_s != b.latency_s ? a.latency_s < b.latency_s : a.links.size() < b.links.size();
      });
      max_variants_ = std::max(max_variants_, static_cast<int>(vars.size()));
    }
}

const Route& RouteTable::best(int src, int dst) const {
  return variants_[static_cast<std::size_t>(src) * n_ + dst].front();
}

const Route* RouteTable::on_carrier(int src, int dst, int carrier) const {
  const auto& r = per_carrier_[static_cast<std::size_t>(src) * n_ + dst][carrier];
  return r ? &*r : nullptr;
}

const std::vector<Route>& RouteTable::variants(int src, int dst) const {
  return variants_[static_cast<std::size_t>(src) * n_ + dst];
}

std::optional<Route> RouteTable::route_avoiding(int src, int dst, const std::vector<bool>& link_up) const {
  const RoutingGraph rg = build(*topo_, true, -1);
  const Tree tree = shortest_from(rg, src, &link_up, -1);
  Route r = extract(*topo_, rg, tree, dst);
  if (r.empty()) return std::nullopt;
  return r;
}

double RouteTable::latency_s(int src, int dst) const {
  if (src == dst) return 0.0;
  return best(src, dst).latency_s;
}

}  // namespace suanwang::topo

// NetState: what a policy may know about the network, as plain data.
//
// The engine owns one NetState and keeps it current (free chips, queues,
// prices now, link load, up/down); the policy bridge exposes it to Lua
// read-only as `net`. Indices: centers[] in city order, only cities that host
// a center; pools[] grouped by center. latency_s / path_bandwidth_Bps are
// n x n row-major over *cities* (not centers), for the current best route
// that avoids down links (infinity / 0 when unreachable).
#pragma once

#include <limits>
#include <string>
#include <cstdint>
#include <vector>

#include "sim/policy/data_view.hpp"
#include "sim/policy/server_view.hpp"
#include "sim/topology/topology.hpp"

namespace suanwang {

struct PoolState {
  int center = -1;             // index into NetState::centers
  int accel = -1;              // index into topology->accelerators
  int total_chips = 0;
  double free_chips = 0;       // fractional when vGPU shares are in use
  int queued_jobs = 0;         // in the local queue, not yet started
  double queued_chips = 0;     // chips those jobs ask for
  int running_jobs = 0;
  int servers = 0;             // 0: a flat pool (a bag of chips)
  int per_server = 0;          // chips per server (0: flat, or a listed mix)
  // What could start now: the most whole chips one job could get (a flat
  // pool: its free chips; servers: the most fully free chips on one server,
  // or whole empty servers), and the largest vGPU share (chips, <= 1 on
  // servers: the most free share of one chip).
  double start_chips = 0;
  double start_share = 0;
  const ServerView* server_view = nullptr;  // its servers (the bind hook), nullptr when flat
};

struct CenterState {
  int city = -1;               // index into topology->cities
  std::vector<int> pools;      // indices into NetState::pools
  bool up = true;              // false during an outage
  double price_cny_per_J = 0;  // now, with the time-of-use profile applied
  double carbon_kg_per_J = 0;  // now: grid factor x (1 - green share) x hourly multiplier (topo::carbon_kg_per_J)
  int total_chips = 0;
  double free_chips = 0;
  int queued_jobs = 0;
  int inbound_transfers = 0;   // datasets on their way here
};

struct NetState {
  const topo::Topology* topology = nullptr;
  double now_s = 0;
  std::vector<CenterState> centers;
  std::vector<PoolState> pools;
  std::vector<int> center_of_city;      // city index -> center index or -1
  std::vector<double> latency_s;        // [src * n + dst], cities
  std::vector<double> path_bandwidth_Bps;
  std::vector<double> link_utilization; // per topology link, 0..1, last sample
  std::vector<bool> link_up;            // per topology link
  // Bumped whenever link_utilization or link_up changes, so a policy bridge
  // can skip scanning every link on each decision.
  std::uint64_t links_version = 0;
  int waiting_jobs = 0;                 // held at the dispatcher (policy said wait)
  const DataView* data = nullptr;       // datasets, caches, storage; nullptr: no data tier

  int city_count() const { return topology ? static_cast<int>(topology->cities.size()) : 0; }
  double latency(int src, int dst) const { return latency_s[src * city_count() + dst]; }
  double bandwidth(int src, int dst) const {
    return path_bandwidth_Bps[src * city_count() + dst];
  }
};

// The state of an idle network at time 0: every center up at its topology
// price, every chip free, every link up and unloaded; centers in city order,
// pools in each city's order. latency_s and path_bandwidth_Bps are left empty
// for the caller (the engine fills them from its routes). One builder for the
// engine, the tests and the benchmarks, so their views cannot drift apart.
NetState make_idle_net_state(const topo::Topology& topo);

}  // namespace suanwang

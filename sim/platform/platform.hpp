// Platform: the SimGrid view of a Topology's backbone, built in code (no XML).
//
// Only the network lives in SimGrid: jobs' compute is timed by the engine
// itself (a GPU job holds its chips for a time fixed when it starts; nothing
// there is shared), so the platform has no compute hosts and no actors.
// Mapping (see docs/ARCHITECTURE.md for the why):
//  - one Full routing zone for the country;
//  - per city, `variants` gateway hosts "City#v": a transfer src -> dst over
//    route variant v is a comm from "src#0" to "dst#v", whose declared route
//    is that variant's links. SimGrid routes are static once sealed, so this
//    is how a failed link is routed around;
//  - per storage site, a host "store:City" joined to the city's gateways by
//    one link of the site's read bandwidth: a read from a site is a comm
//    from that host, over the store link then the route's backbone links,
//    so every reader of a site shares its read bandwidth;
//  - one split-duplex link per topology link (UP = a -> b), with the link's
//    bandwidth and **no latency**: the engine waits out a route's latency on
//    its own calendar before starting the flow, exactly like CM02's latency
//    phase (the flow takes no bandwidth meanwhile), so that every flow has
//    the same weight in the sharing (CM02 weighs a flow by its route
//    latency, favouring short routes) and a bundle of flows can be resized
//    without paying the latency again (see sim/engine/flow_model.hpp).
// Network model: CM02 without LV08's LAN calibration (factors 1, no TCP
// window cap, no cross traffic), with SimGrid's full update (its default
// lazy update can overload a link, see platform.cpp): a flow alone moves at
// its bottleneck bandwidth; flows sharing links get max-min fair rates.
// configure_wan_model() sets it and must run before the platform is built.
// Lifetime: owned by the s4u::Engine; Platform keeps raw pointers into it.
#pragma once

#include <vector>

#include <simgrid/s4u.hpp>

#include "sim/topology/routes.hpp"
#include "sim/topology/topology.hpp"

namespace suanwang {

// Sets SimGrid's network/* configuration for a backbone WAN.
void configure_wan_model();

class Platform {
 public:
  // An object store: its city and read bandwidth (B/s, > 0).
  struct Store {
    int city = -1;
    double read_Bps = 0;
  };

  // Builds the zone in the current engine.
  Platform(const topo::Topology& topo, const topo::RouteTable& routes, const std::vector<Store>& stores = {});

  int cities() const { return static_cast<int>(gateways_.size()); }
  int variants() const { return variants_; }
  // Senders are nodes: a city's gateway (0 .. cities()-1) or a store
  // (store_node(site)). A comm from node n to receiver(dst, v) follows
  // variant v of (city of n, dst), after the store's link for a store.
  int nodes() const { return cities() + static_cast<int>(stores_.size()); }
  int store_node(int site) const { return cities() + site; }
  simgrid::s4u::Host* sender(int node) const {
    return node < cities() ? gateways_[node][0] : stores_[node - cities()];
  }
  simgrid::s4u::Host* receiver(int city, int variant) const { return gateways_[city][variant]; }

 private:
  int variants_ = 1;
  std::vector<std::vector<simgrid::s4u::Host*>> gateways_;
  std::vector<simgrid::s4u::Host*> stores_;
};

}  // namespace suanwang

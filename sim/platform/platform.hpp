// Platform: the SimGrid view of a Topology, built in code (no XML).
//
// Mapping (see docs/ARCHITECTURE.md for the why):
//  - one Full routing zone for the country;
//  - per city, `variants` gateway hosts "City#v" (no compute, no power): a
//    transfer src -> dst over route variant v is a comm from "src#0" to
//    "dst#v", whose declared route is that variant's links. SimGrid routes are
//    static once sealed, so this is how a failed link is routed around;
//  - per accelerator pool one host "City/chip" with chips x vgpu_slices cores
//    of (chip FLOP/s / slices) each, and the energy plugin's wattage
//    Idle:Epsilon:AllCores = chips x idle_W : chips x idle_W : chips x busy_W
//    (IT power; PUE is applied by the engine, which is exact: the model is linear);
//  - one split-duplex link per topology link (UP = a -> b);
//  - one "control" host where the engine's actors live: all control-plane
//    messages are loopback (zero time), so they never distort the network.
// Network model: CM02 without LV08's LAN calibration (factors 1, no TCP
// window cap, no cross traffic, max-min fair sharing): a flow alone takes
// path latency + size / bottleneck bandwidth. configure_wan_model() sets it
// and must run before the platform is built.
// Lifetime: owned by the s4u::Engine; Platform keeps raw pointers into it.
#pragma once

#include <vector>

#include <simgrid/s4u.hpp>

#include "sim/topology/routes.hpp"
#include "sim/topology/topology.hpp"

namespace suanwang {

// Sets SimGrid's network/* and cpu/* configuration for a backbone WAN.
void configure_wan_model();

struct PoolHost {
  int city = -1;
  int pool_in_city = -1;        // index into City::pools
  simgrid::s4u::Host* host = nullptr;
  int chips = 0;
  int slices_per_chip = 1;
  double chip_flops = 0;
  double idle_W = 0, busy_W = 0;  // per chip
};

class Platform {
 public:
  // Builds the zone in the current engine. vgpu_slices >= 1.
  Platform(const topo::Topology& topo, const topo::RouteTable& routes, int vgpu_slices);

  // Endpoint hosts of a transfer over variant v of (src, dst).
  simgrid::s4u::Host* sender(int city) const { return gateways_[city][0]; }
  simgrid::s4u::Host* receiver(int city, int variant) const { return gateways_[city][variant]; }
  simgrid::s4u::Host* control() const { return control_; }
  const std::vector<PoolHost>& pools() const { return pools_; }
  // Pools of one city, indices into pools().
  const std::vector<int>& pools_of_city(int city) const { return pools_of_city_[city]; }
  // Per topology link: the SimGrid link (split duplex, UP = a -> b).
  simgrid::s4u::SplitDuplexLink* link(int i) const { return links_[i]; }
  int variants() const { return variants_; }

 private:
  int variants_ = 1;
  simgrid::s4u::Host* control_ = nullptr;
  std::vector<std::vector<simgrid::s4u::Host*>> gateways_;
  std::vector<simgrid::s4u::SplitDuplexLink*> links_;
  std::vector<PoolHost> pools_;
  std::vector<std::vector<int>> pools_of_city_;
};

}  // namespace suanwang

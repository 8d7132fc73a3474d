// raw_replay: the network load of a suanwang run, replayed by a plain SimGrid
// program, one comm per flow.
//
//   raw_replay RESULT.h5 [--run ID] [--topology FILE.graphml] [--tolerance S]
//
// RESULT.h5 is a run made with `record_flows = true` (its flows table: every
// flow of bytes the run put on the network, when its first byte moved, from
// where to where, on which route variant, and how many bytes it moved). The
// replay builds suanwang's platform (sim/platform: the same links, routes,
// storage sites and network model) on the topology the run used, and starts
// each flow as one SimGrid comm of its bytes at its start time, from kernel
// timers in maestro: what the simplest SimGrid program carrying that traffic
// does, with none of suanwang's engine (no jobs, no policy, no bundling, no
// output). Two uses:
//  - a baseline of cost for runs whose cost is the network's: bench/run.sh
//    puts suanwang's CPU time on a span run beside the replay's;
//  - a check of suanwang's flow model on real load: with the same max-min
//    sharing, every replayed flow must end when the run said it ended (the
//    comms are whole bytes and the run's bundles fractional ones: the ends
//    agree to rounding). Flows that were lost or cut by the horizon replay
//    the bytes they moved, so they end where they stopped.
// Prints one line of figures; exits 1 when some flow ends more than
// --tolerance seconds (default 1e-6) plus 1e-9 of its duration away from the
// run's end (SimGrid takes a flow's remains down step by step: its rounding
// grows with the steps the flow lives through; and the last, fractional byte
// of a flow the replay drops moves at the flow's last rate), 2 on bad input.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include <simgrid/kernel/Timer.hpp>
#include <simgrid/s4u.hpp>

#include "bench/closed_loop.hpp"
#include "sim/core/user_error.hpp"
#include "sim/core/malloc_tuning.hpp"
#include "sim/platform/platform.hpp"
#include "sim/record/hdf5_reader.hpp"
#include "sim/record/run_format.hpp"
#include "sim/topology/graphml_reader.hpp"
#include "sim/topology/routes.hpp"

namespace sg4 = simgrid::s4u;
namespace rf = suanwang::run_format;
using simgrid::kernel::timer::Timer;
using namespace suanwang;

namespace {

[[noreturn]] void fail(const std::string& why) {
  std::fprintf(stderr, "raw_replay: %s\n", why.c_str());
  std::exit(2);
}

struct Flow {
  double start_s = 0, end_s = 0;  // as recorded
  double bytes = 0;               // whole bytes replayed
  int src = 0, node = 0, dst = 0, variant = 0;  // cities; node: the sender (city or store)
};

struct Options {
  std::string file, run, topology;
  double tolerance_s = 1e-6;
};

Options parse(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    const auto value = [&] {
      if (i + 1 >= argc) fail("option '" + a + "' needs a value");
      return std::string(argv[++i]);
    };
    if (a == "--run") o.run = value();
    else if (a == "--topology") o.topology = value();
    else if (a == "--tolerance") {
      const std::string v = value();
      char* end = nullptr;
      o.tolerance_s = std::strtod(v.c_str(), &end);
      if (v.empty() || *end != '\0' || !(o.tolerance_s >= 0) || !std::isfinite(o.tolerance_s))
        fail("--tolerance: expected a number of seconds >= 0, got '" + v + "'");
    }
    else if (!a.empty() && a[0] == '-') fail("unknown option '" + a + "'");
    else if (o.file.empty()) o.file = a;
    else fail("unexpected argument '" + a + "'");
  }
  if (o.file.empty())
    fail("usage: raw_replay RESULT.h5 [--run ID] [--topology FILE.graphml] [--tolerance S]");
  return o;
}

// The run's network must be the topology's: the same cities, with the same
// interconnection points (where a route may change carrier), and the same
// links in the same order at the same bandwidth (the sharing) and latency
// (what the route variants are chosen by). A scenario's backbone overrides
// change them, and then the replay would not carry the same network.
void check_network(const Hdf5Reader& r, const std::string& net, const topo::Topology& topo,
                   const std::string& topology) {
  namespace c = rf::city_col;
  const auto cities = r.strings(net + "/cities", rf::kCityFields[c::name].name);
  const auto interconnect = r.numbers(net + "/cities", rf::kCityFields[c::interconnect].name);
  if (cities.size() != topo.cities.size())
    fail(topology + " has " + std::to_string(topo.cities.size()) + " cities, the run " +
         std::to_string(cities.size()) + ": replay on the topology the run used (--topology)");
  for (std::size_t k = 0; k < cities.size(); ++k)
    if (cities[k] != topo.cities[k].name || (interconnect[k] != 0) != topo.cities[k].interconnect)
      fail("city " + cities[k] + " of the run is not " + topo.cities[k].name +
           " with the same interconnection in " + topology + " (replay on the topology the run used)");
  namespace l = rf::netlink_col;
  const auto names = r.strings(net + "/links", rf::kNetworkLinkFields[l::name].name);
  const auto bw = r.numbers(net + "/links", rf::kNetworkLinkFields[l::bandwidth_Bps].name);
  const auto latency = r.numbers(net + "/links", rf::kNetworkLinkFields[l::latency_s].name);
  if (names.size() != topo.links.size())
    fail(topology + " has " + std::to_string(topo.links.size()) + " links, the run " +
         std::to_string(names.size()) + ": replay on the topology the run used (--topology)");
  for (std::size_t k = 0; k < names.size(); ++k)
    if (names[k] != topo.links[k].name() || bw[k] != topo.links[k].bandwidth_Bps ||
        latency[k] != topo.links[k].latency_s)
      fail("link " + names[k] + " of the run is not " + topo.links[k].name() +
           " at the same bandwidth and latency in " + topology +
           " (replay on the topology the run used; backbone overrides are not replayed)");
}

}  // namespace

int main(int argc, char** argv) try {
  keep_large_buffers();
  const Options o = parse(argc, argv);
  const auto wall0 = std::chrono::steady_clock::now();

  const Hdf5Reader r(o.file);
  const auto runs = r.run_ids();
  if (runs.empty()) fail(o.file + ": no run");
  const std::string run = o.run.empty() ? runs.front() : o.run;
  if (std::find(runs.begin(), runs.end(), run) == runs.end()) fail(o.file + ": no run " + run);
  const std::string base = "runs/" + run;
  const std::string table = base + "/" + rf::run_member::flows;
  if (!r.exists(table))
    fail(o.file + ": run " + run + " has no flows table (run its scenario with record_flows = true)");
  const std::string net = base + "/" + rf::run_member::network;
  std::string topology = o.topology;
  if (topology.empty()) {
    const auto attrs = r.attributes(net);
    const auto it = attrs.find(rf::kTopologyFileAttr);
    if (it == attrs.end() || it->second.empty()) fail(o.file + ": the run names no topology file (--topology)");
    topology = it->second;
  }

  int sg_argc = 2;
  char arg0[] = "raw_replay";
  char arg1[] = "--log=root.thres:critical";
  char* sg_argv[] = {arg0, arg1, nullptr};
  sg4::Engine e(&sg_argc, sg_argv);
  configure_wan_model();
  const topo::Topology topo = topo::load_topology(topology);
  check_network(r, net, topo, topology);
  const topo::RouteTable routes(topo);

  // Storage sites in the run's order: site i is platform node store_node(i).
  std::vector<Platform::Store> stores;
  std::map<std::string, int> site_of_city;
  const std::string storage = base + "/" + rf::run_member::storage;
  if (r.exists(storage)) {
    const auto cities = r.strings(storage, rf::kStorageFields[rf::storage_col::city].name);
    const auto read = r.numbers(storage, rf::kStorageFields[rf::storage_col::read_Bps].name);
    for (std::size_t i = 0; i < cities.size(); ++i) {
      const int c = topo.city_index(cities[i]);
      if (c < 0) fail("storage site " + cities[i] + " is not a city of " + topology);
      stores.push_back({c, read[i]});
      site_of_city.emplace(cities[i], static_cast<int>(i));
    }
  }
  const Platform platform(topo, routes, stores);

  namespace c = rf::flow_col;
  const auto field = [&](std::size_t f) { return rf::kFlowFields[f].name; };
  const auto src = r.strings(table, field(c::src)), dst = r.strings(table, field(c::dst));
  const auto from_storage = r.numbers(table, field(c::from_storage)), variant = r.numbers(table, field(c::variant));
  const auto start = r.numbers(table, field(c::start_s)), end = r.numbers(table, field(c::end_s));
  const auto moved = r.numbers(table, field(c::moved_B));
  std::vector<Flow> flows;
  flows.reserve(src.size());
  std::size_t empty = 0;
  for (std::size_t i = 0; i < src.size(); ++i) {
    Flow f;
    f.start_s = start[i];
    f.end_s = end[i];
    f.bytes = std::floor(moved[i]);
    f.src = topo.city_index(src[i]);
    f.dst = topo.city_index(dst[i]);
    f.variant = static_cast<int>(variant[i]);
    if (f.src < 0 || f.dst < 0)
      fail("flow " + std::to_string(i) + ": city " + (f.src < 0 ? src[i] : dst[i]) + " is not in " + topology);
    if (f.variant < 0 || f.variant >= platform.variants())
      fail("flow " + std::to_string(i) + ": route variant " + std::to_string(f.variant) + " out of range");
    if (from_storage[i] != 0) {
      const auto it = site_of_city.find(src[i]);
      if (it == site_of_city.end()) fail("flow " + std::to_string(i) + ": no storage site in " + src[i]);
      f.node = platform.store_node(it->second);
    } else {
      f.node = f.src;
    }
    if (f.bytes < 1) {  // nothing for a comm to carry
      ++empty;
      continue;
    }
    flows.push_back(f);
  }
  std::stable_sort(flows.begin(), flows.end(), [](const Flow& a, const Flow& b) { return a.start_s < b.start_s; });
  const double setup_cpu_s = bench::cpu_seconds();

  // One timer per distinct start instant; every comm's end is noted by index.
  std::vector<double> replay_end(flows.size(), -1);
  std::vector<sg4::CommPtr> live(flows.size());  // comms in flight, by flow
  std::vector<sg4::CommPtr> retired;  // SimGrid still uses a comm after reporting it: dropped at the next report
  std::size_t next = 0, peak = 0, in_flight = 0, tenth = 1;
  sg4::Activity::on_completion_cb([&](const sg4::Activity& a) {
    retired.clear();
    if (a.get_state() != sg4::Activity::State::FINISHED) return;
    const auto k = reinterpret_cast<std::uintptr_t>(a.get_data<void>()) - 1;
    replay_end[k] = sg4::Engine::get_clock();
    --in_flight;
    retired.push_back(std::move(live[k]));
  });
  std::function<void()> fire = [&] {
    const double t = flows[next].start_s;
    for (; next < flows.size() && flows[next].start_s == t; ++next) {
      const Flow& f = flows[next];
      sg4::CommPtr comm = sg4::Comm::sendto_init(platform.sender(f.node), platform.receiver(f.dst, f.variant));
      comm->set_payload_size(static_cast<std::uint64_t>(f.bytes));
      comm->set_data(reinterpret_cast<void*>(static_cast<std::uintptr_t>(next) + 1));
      comm->start();
      live[next] = std::move(comm);
      peak = std::max(peak, ++in_flight);
    }
    if (next < flows.size()) Timer::set(flows[next].start_s, fire);
    // A replay of heavy traffic can take long: say how far it is, every tenth of the flows.
    if (next * 10 >= tenth * flows.size() && tenth < 10) {
      std::fprintf(stderr, "raw_replay: %zu0%% of the flows started, %.0f s simulated, %zu in flight, cpu %.1f s\n",
                   tenth, t, in_flight, bench::cpu_seconds());
      ++tenth;
    }
  };
  if (!flows.empty()) Timer::set(flows.front().start_s, fire);
  e.run();

  // How far the replay's ends are from the run's.
  double worst = 0;
  std::size_t off = 0, missing = 0, worst_at = 0;
  for (std::size_t k = 0; k < flows.size(); ++k) {
    if (replay_end[k] < 0) {
      ++missing;
      continue;
    }
    const double d = std::abs(replay_end[k] - flows[k].end_s);
    if (d > worst) worst = d, worst_at = k;
    if (d > o.tolerance_s + 1e-9 * (flows[k].end_s - flows[k].start_s)) ++off;
  }
  const double cpu = bench::cpu_seconds();
  const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - wall0).count();
  std::printf("raw_replay: %zu flows (%zu empty left out), peak %zu comms in flight, %.17g s simulated; "
              "ends: max |replay - run| %.3g s, %zu beyond %.3g s + 1e-9 of their duration, %zu never ended; "
              "cpu %.2f s (reading and setup %.2f s), wall %.2f s, peak RSS %.1f MiB\n",
              flows.size(), empty, peak, sg4::Engine::get_clock(), worst, off, o.tolerance_s, missing, cpu,
              setup_cpu_s, wall, bench::peak_rss_mib());
  if (off || missing) {
    const Flow& f = flows[worst_at];
    std::printf("raw_replay: worst flow: %s -> %s variant %d, %.17g B from %.17g s: run %.17g s, replay %.17g s\n",
                topo.cities[static_cast<std::size_t>(f.src)].name.c_str(),
                topo.cities[static_cast<std::size_t>(f.dst)].name.c_str(), f.variant, f.bytes, f.start_s, f.end_s,
                replay_end[worst_at]);
    return 1;
  }
  return 0;
} catch (const UserError& err) {
  fail(err.what());
}

// The two flow models (sim/engine/flow_model.hpp) on contended links:
// plain max-min sharing whatever the routes' latencies, and the bundled
// model giving the per-transfer model's transfer times.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <random>

#include <simgrid/kernel/Timer.hpp>
#include <simgrid/s4u/Engine.hpp>

#include "engine_fixture.hpp"
#include "sim/engine/flow_model.hpp"
#include "sim/platform/platform.hpp"
#include "sim/topology/routes.hpp"

namespace suanwang::testing {
namespace {

// A and B reach the center D through M; M-D (1 GB/s) is shared. A's route
// has 6 ms of latency, B's 46 ms.
topo::Topology shared_bottleneck() {
  return make_topology({{"A", ""}, {"B", ""}, {"M", ""}, {"D", "a100:8"}},
                       {{"A", "M", 1e12, 0.005}, {"B", "M", 1e12, 0.045}, {"M", "D", 1e9, 0.001}});
}

void expect_fair_share(const std::string& flow_model) {
  Scenario sc = make_scenario(shared_bottleneck(), 86400);
  sc.flow_model = flow_model;
  FixedPolicy policy("D");
  MemoryRecorderForTest rec;
  run(sc, policy, rec, {make_job(0, 0, 1, 10, 1e9), make_job(0, 1, 1, 10, 1e9)});
  ASSERT_EQ(rec.jobs.size(), 2u);
  // A's flow starts at 6 ms and is alone until B's starts at 46 ms (40 MB
  // moved); then each gets 0.5 GB/s: A ends after 960 MB more, at 1.966 s,
  // when B has 40 MB left, moved alone at 1 GB/s: B ends at 2.006 s. (A
  // latency-weighted share would give A ten times B's rate.)
  EXPECT_NEAR(rec.find(1)->start_s, 1.966, 1e-9) << flow_model;
  EXPECT_NEAR(rec.find(2)->start_s, 2.006, 1e-9) << flow_model;
}

TEST(FlowModel, ShortAndLongRoutesShareABottleneckEquallyPerTransfer) {
  expect_fair_share("per_transfer");
}

TEST(FlowModel, ShortAndLongRoutesShareABottleneckEquallyBundled) { expect_fair_share("bundled"); }

// A line A - B - C - D with centers at C and D: routes A->D, B->D, C->D,
// A->C and B->C overlap on every link; 400 transfers of random sizes start
// at random times, many on the same routes at once.
topo::Topology overlapping_routes() {
  return make_topology({{"A", ""}, {"B", ""}, {"C", "a100:1000"}, {"D", "a100:1000"}},
                       {{"A", "B", 2e9, 0.004}, {"B", "C", 1e9, 0.003}, {"C", "D", 1.5e9, 0.002}});
}

// Places job k at C or D by its id.
class Alternate : public Policy {
 public:
  std::string name() const override { return "alternate"; }
  Placement place(const Job& job, const NetState&) override {
    Placement p;
    p.action = Placement::Action::place;
    p.center = static_cast<int>(job.id % 2);
    return p;
  }
};

std::vector<Job> contended_jobs() {
  std::mt19937_64 rng(7);
  std::uniform_real_distribution<double> when(0, 200), size(1e8, 5e9);
  std::uniform_int_distribution<int> origin(0, 2);
  std::vector<Job> jobs;
  for (int i = 0; i < 400; ++i) jobs.push_back(make_job(when(rng), origin(rng), 1, 30, size(rng), size(rng) / 10));
  std::sort(jobs.begin(), jobs.end(), [](const Job& a, const Job& b) { return a.submit_s < b.submit_s; });
  return jobs;
}

// Each job's transfer time, by id, in a child process (one engine per process).
std::vector<double> transfer_times(const std::string& flow_model) {
  return in_child([&] {
    Scenario sc = make_scenario(overlapping_routes(), 86400);
    sc.flow_model = flow_model;
    Alternate policy;
    MemoryRecorderForTest rec;
    run(sc, policy, rec, contended_jobs());
    std::vector<double> out(rec.jobs.size() + 1, -1);
    for (const JobRecord& r : rec.jobs) out[r.id] = r.status == JobStatus::completed ? r.transfer_s : -1;
    return out;
  });
}

TEST(FlowModel, BundledGivesThePerTransferTimesOnContendedLinks) {
  const std::vector<double> reference = transfer_times("per_transfer");
  const std::vector<double> bundled = transfer_times("bundled");
  ASSERT_EQ(reference.size(), 401u);
  ASSERT_EQ(bundled.size(), 401u);
  // Bundles move whole bytes per segment (SimGrid sizes comms in bytes) and
  // start a segment at every join and end on a route: each rounds a member's
  // progress by less than one byte, a few ns per segment at these rates.
  int compared = 0, slowed = 0;
  double worst = 0;
  for (std::size_t id = 1; id < reference.size(); ++id) {
    ASSERT_GE(reference[id], 0) << "job " << id << " did not complete";
    EXPECT_NEAR(bundled[id], reference[id], 1e-7 * reference[id]) << "job " << id;
    if (reference[id] > 0) worst = std::max(worst, std::abs(bundled[id] - reference[id]) / reference[id]);
    ++compared;
    // Contention: many transfers took longer than the largest alone on the slowest link.
    slowed += reference[id] > 1.2 * (5.5e9 / 1e9);
  }
  EXPECT_EQ(compared, 400);
  EXPECT_GT(slowed, 100);
  std::printf("worst relative difference: %.3g\n", worst);
}

// A flow model driven directly on the line A - B - C - D (2, 1 and 1.5 GB/s):
// flows started from kernel timers, each one's end time by token, and the
// comms in flight at a few instants (appended after the ends).
std::vector<double> drive_line(engine::FlowModelKind kind) {
  return in_child([kind] {
    int argc = 2;
    char arg0[] = "flow_model_test";
    char arg1[] = "--log=root.thres:critical";
    char* argv[] = {arg0, arg1, nullptr};
    simgrid::s4u::Engine e(&argc, argv);
    configure_wan_model();
    const topo::Topology topo = overlapping_routes();
    const topo::RouteTable routes(topo);
    const Platform platform(topo, routes);
    struct Ends : engine::FlowSink {
      std::vector<double> at = std::vector<double>(6, -1);
      void on_flow_done(std::uint32_t token) override { at[token] = simgrid::s4u::Engine::get_clock(); }
    } ends;
    auto flows = engine::make_flow_model(kind, platform, ends);
    std::vector<double> probes;
    engine::FlowId cancelled = 0;
    using simgrid::kernel::timer::Timer;
    const int A = 0, B = 1, C = 2, D = 3;
    Timer::set(0, [&] {
      flows->start(A, B, 0, 1e9, 1);  // A-B alone: 0.5 s
      flows->start(C, D, 0, 3e9, 2);  // C-D alone until B->D joins it at 1 s
    });
    Timer::set(0.25, [&] { probes.push_back(static_cast<double>(flows->comms())); });
    Timer::set(1, [&] { flows->start(B, D, 0, 1e9, 3); });
    Timer::set(1.1, [&] { probes.push_back(static_cast<double>(flows->comms())); });
    Timer::set(2.5, [&] {
      flows->start(A, B, 0, 1e9, 4);  // A-B alone again, beside C-D's comm
      probes.push_back(static_cast<double>(flows->comms()));
    });
    Timer::set(3.5, [&] { cancelled = flows->start(A, B, 0, 2e9, 5); });
    Timer::set(3.75, [&] { probes.push_back(flows->moved(cancelled)); });
    Timer::set(4, [&] {
      probes.push_back(flows->cancel(cancelled));
      probes.push_back(static_cast<double>(flows->flows()));
    });
    e.run();
    std::vector<double> out(ends.at.begin() + 1, ends.at.end());
    out.insert(out.end(), probes.begin(), probes.end());
    return out;
  });
}

// Routes alone on their links move at their bottleneck bandwidth without a
// SimGrid comm; a route that starts sharing a link with one turns it into a
// comm at that instant, so max-min sharing applies from then on.
TEST(FlowModel, RoutesAloneOnTheirLinksRunWithoutACommAndShareOnceJoined) {
  for (const auto kind : {engine::FlowModelKind::bundled, engine::FlowModelKind::per_transfer}) {
    const std::vector<double> got = drive_line(kind);
    ASSERT_EQ(got.size(), 11u) << to_string(kind);
    const double eps = 1e-9;
    EXPECT_NEAR(got[0], 0.5, eps) << to_string(kind);  // 1 GB at 2 GB/s
    // C-D moved 1.5 GB alone by 1 s, then 1 GB more at 0.75 GB/s beside
    // B->D (which ends at 1 + 1/0.75 s), then its last 0.5 GB at 1.5 GB/s.
    EXPECT_NEAR(got[2], 1.0 + 1.0 / 0.75, eps) << to_string(kind);
    EXPECT_NEAR(got[1], 1.0 + 1.0 / 0.75 + 0.5 / 1.5, eps) << to_string(kind);
    EXPECT_NEAR(got[3], 3.0, eps) << to_string(kind);
    EXPECT_EQ(got[4], -1) << to_string(kind);           // cancelled: never done
    EXPECT_NEAR(got[8], 0.5e9, 1) << to_string(kind);   // moved after 0.25 s alone at 2 GB/s
    EXPECT_NEAR(got[9], 1e9, 1) << to_string(kind);     // moved when cancelled, 0.5 s in
    EXPECT_EQ(got[10], 0) << to_string(kind);           // nothing left in flight
    if (kind == engine::FlowModelKind::bundled) {
      EXPECT_EQ(got[5], 0);  // two lone routes: no comm
      EXPECT_EQ(got[6], 2);  // C-D and B->D share C-D: both comms
      EXPECT_EQ(got[7], 1);  // A-B lone again; C-D still a comm (until its next restart)
    } else {
      EXPECT_EQ(got[5], 2);  // one comm per flow
      EXPECT_EQ(got[6], 2);
      EXPECT_EQ(got[7], 2);
    }
  }
}

}  // namespace
}  // namespace suanwang::testing

// What each policy hook sees: the clock, the time-of-use price of the hour,
// free capacity and queues, at instants computed by hand. The contract: one
// function brings the view up to date before every hook (policy_hooks.hpp).
#include <gtest/gtest.h>

#include <array>
#include <cmath>

#include "engine_fixture.hpp"

namespace suanwang::testing {
namespace {

// A 24-step price profile: hour h costs (h + 1) x the base price.
std::vector<double> rising_prices() {
  std::vector<double> p(24);
  for (int h = 0; h < 24; ++h) p[h] = h + 1.0;
  return p;
}

constexpr double kBaseCnyPerKWh = 0.5;

double price_at_hour(int h) { return kBaseCnyPerKWh / 3.6e6 * (h % 24 + 1.0); }

// Records what it sees in every hook. Places every job at center 0.
struct Seen {
  double now_s = -1, price = -1, carbon = -1, free_chips = -1;
  int queued = -1, running = -1, waiting = -1;
  std::uint64_t job = 0;
};

class Recorder : public Policy {
 public:
  std::string name() const override { return "recorder"; }
  Placement place(const Job& job, const NetState& net) override {
    place_seen.push_back(see(net, job.id));
    Placement p;
    p.action = Placement::Action::place;
    p.center = 0;
    return p;
  }
  bool has_order() const override { return true; }
  std::vector<int> order(const std::vector<const Job*>& queue, int, const NetState& net) override {
    order_seen.push_back(see(net, 0));
    order_seen.back().queued = static_cast<int>(queue.size());
    std::vector<int> perm(queue.size());
    for (std::size_t i = 0; i < perm.size(); ++i) perm[i] = static_cast<int>(i);
    return perm;
  }
  void on_finish(const FinishedJob& f, const NetState& net) override {
    finish_seen.push_back(see(net, f.job->id));
    finish_end.push_back(f.end_s);
  }
  bool has_on_tick() const override { return true; }
  void on_tick(const NetState& net) override { tick_seen.push_back(see(net, 0)); }

  std::vector<Seen> place_seen, order_seen, finish_seen, tick_seen;
  std::vector<double> finish_end;

 private:
  static Seen see(const NetState& net, std::uint64_t job) {
    Seen s;
    s.now_s = net.now_s;
    s.price = net.centers[0].price_cny_per_J;
    s.carbon = net.centers[0].carbon_kg_per_J;
    s.free_chips = net.centers[0].free_chips;
    s.queued = net.centers[0].queued_jobs;
    s.running = net.pools[0].running_jobs;
    s.waiting = net.waiting_jobs;
    s.job = job;
    return s;
  }
};

Scenario hourly_world(double duration_s) {
  Scenario sc = make_scenario(make_topology({{"X", "a100:2", 1.0, kBaseCnyPerKWh}}, {}), duration_s);
  sc.price_profile_hourly = rising_prices();
  sc.tick_interval_s = 3600;
  return sc;
}

TEST(HookView, PlaceSeesItsArrivalTimeAndThatHoursPrice) {
  Scenario sc = hourly_world(6 * 3600);
  Recorder p;
  MemoryRecorderForTest rec;
  // Arrivals at 00:10, 02:30 and 04:59:59.
  run(sc, p, rec, {make_job(600, 0, 1, 60), make_job(9000, 0, 1, 60), make_job(17999, 0, 1, 60)});
  ASSERT_EQ(p.place_seen.size(), 3u);
  const double arrivals[] = {600, 9000, 17999};
  const int hours[] = {0, 2, 4};
  for (int i = 0; i < 3; ++i) {
    EXPECT_DOUBLE_EQ(p.place_seen[i].now_s, arrivals[i]) << "job " << i + 1;
    EXPECT_DOUBLE_EQ(p.place_seen[i].price, price_at_hour(hours[i])) << "job " << i + 1;
    EXPECT_DOUBLE_EQ(p.place_seen[i].free_chips, 2.0) << "job " << i + 1;  // each ran 60 s alone
  }
}

TEST(HookView, OnFinishSeesTheFinishTimeAndTheFreedChips) {
  Scenario sc = hourly_world(8 * 3600);
  Recorder p;
  MemoryRecorderForTest rec;
  // Two chips. Two 1-chip jobs from 00:00 for 1.5 h and 3.25 h; a third
  // arrives at 0.5 h, waits for a chip, runs 1.5 h -> 2.5 h.
  run(sc, p, rec, {make_job(0, 0, 1, 5400), make_job(0, 0, 1, 11700), make_job(1800, 0, 1, 3600)});
  ASSERT_EQ(p.finish_seen.size(), 3u);
  for (std::size_t i = 0; i < 3; ++i) {
    EXPECT_DOUBLE_EQ(p.finish_seen[i].now_s, p.finish_end[i]) << "finish #" << i;
    const int hour = static_cast<int>(std::floor(p.finish_end[i] / 3600));
    EXPECT_DOUBLE_EQ(p.finish_seen[i].price, price_at_hour(hour)) << "finish #" << i;
  }
  // Job 1 ends at 1.5 h: its chip is free when on_finish runs, and job 3
  // (queued since 0.5 h) has not started on it yet.
  EXPECT_EQ(p.finish_seen[0].job, 1u);
  EXPECT_DOUBLE_EQ(p.finish_seen[0].now_s, 5400);
  EXPECT_DOUBLE_EQ(p.finish_seen[0].free_chips, 1.0);
  EXPECT_EQ(p.finish_seen[0].queued, 1);
  EXPECT_EQ(p.finish_seen[0].running, 1);
  // Job 2 ends at 3.25 h, job 3 at 2.5 h: the last to end leaves both chips free.
  EXPECT_EQ(p.finish_seen[2].job, 2u);
  EXPECT_DOUBLE_EQ(p.finish_seen[2].now_s, 11700);
  EXPECT_DOUBLE_EQ(p.finish_seen[2].free_chips, 2.0);
  EXPECT_EQ(p.finish_seen[2].running, 0);
}

TEST(HookView, OnTickSeesEachHourAndItsPrice) {
  Scenario sc = hourly_world(6 * 3600);
  Recorder p;
  MemoryRecorderForTest rec;
  run(sc, p, rec, {make_job(0, 0, 2, 4 * 3600 + 1800)});  // both chips busy until 04:30
  ASSERT_EQ(p.tick_seen.size(), 5u);  // 01:00 .. 05:00
  for (int k = 0; k < 5; ++k) {
    EXPECT_DOUBLE_EQ(p.tick_seen[k].now_s, (k + 1) * 3600.0) << "tick " << k + 1;
    EXPECT_DOUBLE_EQ(p.tick_seen[k].price, price_at_hour(k + 1)) << "tick " << k + 1;
    EXPECT_DOUBLE_EQ(p.tick_seen[k].free_chips, k < 4 ? 0.0 : 2.0) << "tick " << k + 1;
  }
}

// Hour h emits (h + 1) x the grid factor x (1 - green share): every tick sees its hour's.
TEST(HookView, OnTickSeesEachHoursCarbonWithTheGreenShare) {
  Scenario sc = hourly_world(5 * 3600.0);
  std::array<double, 24> m;
  for (int h = 0; h < 24; ++h) m[static_cast<std::size_t>(h)] = h + 1.0;
  sc.topology.carbon.profiles = {{"rising", m, 0}};
  sc.topology.carbon_choice.hourly = true;
  sc.topology.cities[0].carbon_profile = 0;
  sc.topology.cities[0].green_share = 0.5;
  Recorder p;
  MemoryRecorderForTest rec;
  run(sc, p, rec, {});
  ASSERT_GE(p.tick_seen.size(), 4u);
  const double grid = sc.topology.cities[0].grid_carbon_kg_per_J;
  for (std::size_t k = 0; k < p.tick_seen.size(); ++k)
    EXPECT_DOUBLE_EQ(p.tick_seen[k].carbon, grid * 0.5 * (k + 2.0)) << "tick " << k + 1;
}

TEST(HookView, OrderSeesTheQueueWhenItIsCalled) {
  Scenario sc = hourly_world(4 * 3600);
  Recorder p;
  MemoryRecorderForTest rec;
  // Two chips, three 2-chip jobs at 00:00, 00:00 and 01:30: the second and
  // third queue behind the first, which ends at 02:00.
  run(sc, p, rec, {make_job(0, 0, 2, 7200), make_job(0, 0, 2, 600), make_job(5400, 0, 2, 600)});
  ASSERT_FALSE(p.order_seen.empty());
  for (const Seen& s : p.order_seen) {
    const int hour = static_cast<int>(std::floor(s.now_s / 3600));
    EXPECT_DOUBLE_EQ(s.price, price_at_hour(hour)) << "order at " << s.now_s;
  }
  // The selection when job 1 ends at 02:00 sees jobs 2 and 3 waiting.
  bool at_two = false;
  for (const Seen& s : p.order_seen)
    if (s.now_s == 7200) {
      at_two = true;
      EXPECT_EQ(s.queued, 2);
    }
  EXPECT_TRUE(at_two);
}

}  // namespace
}  // namespace suanwang::testing

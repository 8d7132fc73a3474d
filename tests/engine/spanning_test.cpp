// Training that spans centers (sim/engine/spanning.hpp): every expected time
// below is worked out by hand in the comment above it, from
//   iteration = compute x (1 - overlap) + max(compute x overlap,
//               latency_steps x latency + bytes_per_hop / bandwidth)
// (sim/core/span.hpp), on two centers joined by one link:
//
//   A (8 x a100) --10 Gbps = 1.25e9 B/s, 5 ms-- B (9 x a100)
//
// The job: 16 GPUs split 8 + 8, 100 s of work on the reference chip in
// iterations of 10 s, 1e9 gradient bytes. span_round = 60 s: rounds of 6
// then 4 iterations.
#include <gtest/gtest.h>

#include <cstdio>
#include <functional>
#include <limits>
#include <map>

#include "engine_fixture.hpp"
#include "sim/core/span.hpp"

namespace suanwang::testing {
namespace {

constexpr double kBw = 1.25e9, kLat = 0.005;

topo::Topology pair() {
  return make_topology({{"A", "a100:8"}, {"B", "a100:9"}}, {{"A", "B", kBw, kLat}});
}

SpanSpec span(AllReduce a, double overlap = 0) {
  SpanSpec s;
  s.gradient_B = 1e9;
  s.iteration_s = 10;
  s.overlap = overlap;
  s.allreduce = a;
  return s;
}

Job training(double submit_s, double gpus, const SpanSpec& s, double duration_s = 100) {
  Job j = make_job(submit_s, 0, gpus, duration_s);
  j.kind = JobKind::training;
  j.span = s;
  return j;
}

// Splits every training job as `decide` says (call = how many times this
// job was asked, from 1); places the others at `single`.
class SplitPolicy : public Policy {
 public:
  using Decide = std::function<Placement(const Job&, const NetState&, int call)>;
  SplitPolicy(std::string single, Decide decide) : single_(std::move(single)), decide_(std::move(decide)) {}
  std::string name() const override { return "split-test"; }
  Placement place(const Job& job, const NetState& net) override {
    if (job.kind != JobKind::training) return at(net, single_);
    return decide_(job, net, ++calls[job.id]);
  }
  static Placement at(const NetState& net, const std::string& city) {
    Placement p;
    const int c = net.center_of_city[net.topology->city_index(city)];
    if (!net.centers[c].up) return p;
    p.action = Placement::Action::place;
    p.center = c;
    return p;
  }
  std::map<std::uint64_t, int> calls;

 private:
  std::string single_;
  Decide decide_;
};

// 8 chips at A, then 8 at B (ring order A -> B -> A); waits while one is down.
Placement split_ab(const Job&, const NetState& net, int) {
  Placement p;
  for (const char* city : {"A", "B"}) {
    const int c = net.center_of_city[net.topology->city_index(city)];
    if (!net.centers[c].up) return Placement{};
    p.parts.push_back({c, -1, 8});
  }
  p.action = Placement::Action::place;
  return p;
}

std::vector<const PartRecord*> parts_of(const MemoryRecorderForTest& rec, int attempt) {
  std::vector<const PartRecord*> out;
  for (const auto& p : rec.parts)
    if (p.attempt == attempt) out.push_back(&p);
  return out;
}

// Ring over G = 16 GPUs: every boundary carries 2 (G-1)/G x 1e9 = 1.875e9 B
// per iteration in 2m = 4 latency steps: 0.02 + 1.875e9 / 1.25e9 = 1.52 s of
// exchange after 10 s of compute; 10 iterations take 115.2 s.
TEST(Spanning, TwoCenterRingOnAQuietLink) {
  Scenario sc = make_scenario(pair(), 86400);
  SplitPolicy policy("A", split_ab);
  MemoryRecorderForTest rec;
  run(sc, policy, rec, {training(0, 16, span(AllReduce::ring))});
  ASSERT_EQ(rec.jobs.size(), 1u);
  const JobRecord& r = rec.jobs[0];
  EXPECT_EQ(r.status, JobStatus::completed) << r.reason;
  EXPECT_EQ(r.parts, 2);
  EXPECT_NEAR(r.start_s, 0, 1e-9);
  EXPECT_NEAR(r.end_s, 115.2, 1e-6);
  EXPECT_NEAR(r.span_slowdown, 1.152, 1e-8);
  EXPECT_NEAR(r.sync_B, 2 * 10 * 1.875e9, 1);
  EXPECT_NEAR(r.bytes_moved, 2 * 10 * 1.875e9, 1);
  // Both parts' chips busy for the whole run: 16 x 400 W x 115.2 s (PUE 1).
  EXPECT_NEAR(r.energy_J, 16 * 400.0 * 115.2, 1e-3);
  EXPECT_EQ(r.center, 0);  // the row names part 1's center
  // The closed form agrees (10 iterations).
  EXPECT_NEAR(10 * quiet_iteration_s(span(AllReduce::ring), 2, 16, 10, kBw, kLat), 115.2, 1e-9);
  const auto parts = parts_of(rec, 1);
  ASSERT_EQ(parts.size(), 2u);
  for (int i = 0; i < 2; ++i) {
    const PartRecord& p = *parts[static_cast<std::size_t>(i)];
    EXPECT_EQ(p.part, i);
    EXPECT_EQ(p.center, i);
    EXPECT_DOUBLE_EQ(p.gpus, 8);
    EXPECT_NEAR(p.start_s, 0, 1e-9);
    EXPECT_NEAR(p.end_s, 115.2, 1e-6);
    EXPECT_DOUBLE_EQ(p.held_idle_s, 0);
    EXPECT_NEAR(p.sync_B, 10 * 1.875e9, 1);
    EXPECT_DOUBLE_EQ(p.sync_delay_s, 0);
    EXPECT_NEAR(p.energy_J, 8 * 400.0 * 115.2, 1e-3);
    EXPECT_EQ(p.outcome, PartOutcome::completed);
  }
}

// Hierarchical over m = 2 parts: 2 (m-1)/m x 1e9 = 1e9 B per hop per
// iteration in 2 (m-1) = 2 latency steps: 0.01 + 0.8 = 0.81 s; 108.1 s in all.
TEST(Spanning, TwoCenterHierarchicalSendsHalfWhatARingSends) {
  Scenario sc = make_scenario(pair(), 86400);
  SplitPolicy policy("A", split_ab);
  MemoryRecorderForTest rec;
  run(sc, policy, rec, {training(0, 16, span(AllReduce::hierarchical))});
  ASSERT_EQ(rec.jobs.size(), 1u);
  EXPECT_NEAR(rec.jobs[0].end_s, 108.1, 1e-6);
  EXPECT_NEAR(rec.jobs[0].span_slowdown, 1.081, 1e-8);
  EXPECT_NEAR(rec.jobs[0].sync_B, 2 * 10 * 1e9, 1);
}

// Overlap hides the exchange behind the last part of the compute:
//   overlap 0.95: 0.5 + max(9.5, 0.81) = 10 s per iteration, no penalty;
//   overlap 0.05: 9.5 + max(0.5, 0.81) = 10.31 s; 103.1 s in all.
TEST(Spanning, OverlapHidesTheExchangeUpToTheOverlappedCompute) {
  for (const auto& [overlap, end] : {std::pair{0.95, 100.0}, std::pair{0.05, 103.1}}) {
    const std::vector<double> got = in_child([overlap = overlap] {
      Scenario sc = make_scenario(pair(), 86400);
      SplitPolicy policy("A", split_ab);
      MemoryRecorderForTest rec;
      run(sc, policy, rec, {training(0, 16, span(AllReduce::hierarchical, overlap))});
      return std::vector<double>{rec.jobs.at(0).end_s, rec.jobs.at(0).span_slowdown};
    });
    ASSERT_EQ(got.size(), 2u) << "overlap " << overlap;
    EXPECT_NEAR(got[0], end, 1e-6) << "overlap " << overlap;
    EXPECT_NEAR(got[1], end / 100, 1e-8) << "overlap " << overlap;
  }
}

// A dataset on the same link, same direction, at the same time. Round 1:
// compute to 60 s, then 11 latencies (0.055 s) waited and one paid by the
// transfer: A -> B's 6e9 B start at 60.06. A job submitted at 60.055 at A,
// placed at B, sends its 1.5e9 B dataset from 60.06 too: each flow gets
// 0.625e9 B/s, the dataset ends at 62.46, the exchange has 4.5e9 B left
// at 1.25e9 B/s: it ends at 66.06 instead of 64.86 (+1.5e9 / 1.25e9 =
// 1.2 s). B -> A is the other direction: 64.86. Round 2 as on a quiet
// link: 40 + 0.04 + 3.2 s. The job ends at 109.3 instead of 108.1.
TEST(Spanning, ADatasetOnTheSameLinkSlowsTheExchange) {
  Scenario sc = make_scenario(pair(), 86400);
  SplitPolicy policy("B", split_ab);
  MemoryRecorderForTest rec;
  Job data = make_job(60.055, 0, 1, 10, 1.5e9);
  data.kind = JobKind::finetune;
  run(sc, policy, rec, {training(0, 16, span(AllReduce::hierarchical)), data});
  ASSERT_EQ(rec.jobs.size(), 2u);
  const JobRecord* split = rec.find(1);
  const JobRecord* other = rec.find(2);
  ASSERT_TRUE(split && other);
  EXPECT_NEAR(other->start_s, 62.46, 1e-6);
  EXPECT_NEAR(other->end_s, 72.46, 1e-6);
  EXPECT_NEAR(split->end_s, 109.3, 1e-6);
  EXPECT_NEAR(split->span_slowdown, 1.093, 1e-8);
  const auto parts = parts_of(rec, 1);
  ASSERT_EQ(parts.size(), 2u);
  EXPECT_DOUBLE_EQ(parts[0]->sync_delay_s, 0);  // slower, not failed
}

// The link fails at 61 s for 10 s, during round 1's exchange (started at
// 60.055, flowing from 60.06). Each part's send is lost (0.945 s of delay,
// the 0.94 x 1.25e9 = 1.175e9 B sent so far counted but wasted), waits for
// the repair (10 s more), then starts over at 71: 0.005 + 4.8 s, round 1
// ends at 75.805. Round 2: 43.24 s. The job ends at 119.045.
TEST(Spanning, ALinkFailureDuringTheExchangeStallsTheJob) {
  Scenario sc = make_scenario(pair(), 86400);
  sc.failures.links.push_back({"A-B/ct", 61, 10});
  SplitPolicy policy("A", split_ab);
  MemoryRecorderForTest rec;
  run(sc, policy, rec, {training(0, 16, span(AllReduce::hierarchical))});
  ASSERT_EQ(rec.jobs.size(), 1u);
  const JobRecord& r = rec.jobs[0];
  EXPECT_EQ(r.status, JobStatus::completed) << r.reason;
  EXPECT_NEAR(r.end_s, 119.045, 1e-6);
  EXPECT_NEAR(r.span_slowdown, 1.19045, 1e-8);
  EXPECT_NEAR(r.transfer_delay_s, 10.945, 1e-6);
  EXPECT_NEAR(r.sync_B, 2 * (1.175e9 + 10e9), 1e3);
  const auto parts = parts_of(rec, 1);
  ASSERT_EQ(parts.size(), 2u);
  for (const PartRecord* p : parts) {
    EXPECT_NEAR(p->sync_delay_s, 10.945, 1e-6);
    EXPECT_NEAR(p->sync_B, 1.175e9 + 10e9, 1e3);
  }
}

// Co-start: A is busy with an 8-chip job until 50 s. The split job arrives
// at 1; its part at B starts at once and holds its chips idle until the
// part at A starts at 50: the job starts then, and ends 108.1 s later.
TEST(Spanning, PartsStartTogetherTheFirstHoldsItsChipsIdle) {
  Scenario sc = make_scenario(pair(), 86400);
  SplitPolicy policy("A", split_ab);
  MemoryRecorderForTest rec;
  Job busy = make_job(0, 0, 8, 50);
  busy.kind = JobKind::finetune;
  run(sc, policy, rec, {busy, training(1, 16, span(AllReduce::hierarchical))});
  const JobRecord* r = rec.find(2);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, JobStatus::completed) << r->reason;
  EXPECT_NEAR(r->start_s, 50, 1e-9);
  EXPECT_NEAR(r->wait_s, 49, 1e-9);
  EXPECT_NEAR(r->end_s, 158.1, 1e-6);
  // Energy from the start only: holding chips is idle power, not the job's.
  EXPECT_NEAR(r->energy_J, 16 * 400.0 * 108.1, 1e-3);
  const auto parts = parts_of(rec, 1);
  ASSERT_EQ(parts.size(), 2u);
  EXPECT_NEAR(parts[0]->start_s, 50, 1e-9);   // A
  EXPECT_DOUBLE_EQ(parts[0]->held_idle_s, 0);
  EXPECT_NEAR(parts[1]->start_s, 1, 1e-9);    // B
  EXPECT_NEAR(parts[1]->held_idle_s, 49, 1e-9);
  // The busy chip-seconds count the 8-chip job and the run, not the hold.
  EXPECT_NEAR(rec.end.busy_chip_seconds, 8 * 50 + 16 * 108.1, 1e-6);
}

// span_hold = 20 s. A is busy until 50 s; the split job arrives at 1, its
// part at B holds B's chips, and at 21 gives them back: the job returns to
// the policy, which waits this time. A 9-chip job pinned to B arrives at 30
// and finds them free (30..35). Its end asks the policy again (call 3): it
// splits, the part at B holds from 35, the part at A starts at 50 with the
// job.
TEST(Spanning, PartsWaitingLongerThanSpanHoldGiveTheirChipsBack) {
  Scenario sc = make_scenario(pair(), 86400);
  sc.span_hold_s = 20;
  SplitPolicy policy("A", [](const Job& j, const NetState& net, int call) {
    return call == 2 ? Placement{} : split_ab(j, net, call);
  });
  MemoryRecorderForTest rec;
  Job busy = make_job(0, 0, 8, 50), filler = make_job(30, 0, 9, 5);
  busy.kind = filler.kind = JobKind::finetune;
  filler.pinned_center = 1;
  run(sc, policy, rec, {busy, training(1, 16, span(AllReduce::hierarchical)), filler});
  const JobRecord* split = rec.find(2);
  ASSERT_TRUE(split);
  EXPECT_EQ(split->status, JobStatus::completed) << split->reason;
  EXPECT_EQ(policy.calls[2], 3);
  const auto first = parts_of(rec, 1);
  ASSERT_EQ(first.size(), 2u);
  for (const PartRecord* p : first) EXPECT_EQ(p->outcome, PartOutcome::released);
  EXPECT_EQ(first[1]->center, 1);
  EXPECT_NEAR(first[1]->start_s, 1, 1e-9);
  EXPECT_NEAR(first[1]->end_s, 21, 1e-9);
  EXPECT_NEAR(first[1]->held_idle_s, 20, 1e-9);
  EXPECT_DOUBLE_EQ(first[0]->start_s, -1);  // never started
  EXPECT_DOUBLE_EQ(first[0]->end_s, -1);
  const JobRecord* f = rec.find(3);
  ASSERT_TRUE(f);
  EXPECT_NEAR(f->start_s, 30, 1e-9);
  const auto second = parts_of(rec, 2);
  ASSERT_EQ(second.size(), 2u);
  EXPECT_NEAR(second[1]->start_s, 35, 1e-9);
  EXPECT_NEAR(second[1]->held_idle_s, 15, 1e-9);
  EXPECT_EQ(second[1]->outcome, PartOutcome::completed);
  EXPECT_NEAR(split->start_s, 50, 1e-9);
  EXPECT_NEAR(split->end_s, 158.1, 1e-6);
}

// An outage at B during round 1 kills both parts; the job has no
// checkpoint: it loses its 30 s x 16 chips and waits (the policy does not
// split over a center that is down) for B's repair at 40, then runs again
// from the start: 40 + 108.1.
TEST(Spanning, AnOutageAtOnePartsCenterKillsEveryPart) {
  Scenario sc = make_scenario(pair(), 86400);
  sc.failures.centers.push_back({"B", 30, 10});
  SplitPolicy policy("A", split_ab);
  MemoryRecorderForTest rec;
  run(sc, policy, rec, {training(0, 16, span(AllReduce::hierarchical))});
  ASSERT_EQ(rec.jobs.size(), 1u);
  const JobRecord& r = rec.jobs[0];
  EXPECT_EQ(r.status, JobStatus::completed) << r.reason;
  EXPECT_EQ(r.restarts, 1);
  EXPECT_NEAR(r.lost_chip_s, 16 * 30.0, 1e-6);
  EXPECT_NEAR(r.end_s, 148.1, 1e-6);
  EXPECT_NEAR(r.energy_J, 16 * 400.0 * (30 + 108.1), 1e-3);
  const auto killed = parts_of(rec, 1);
  ASSERT_EQ(killed.size(), 2u);
  for (const PartRecord* p : killed) {
    EXPECT_EQ(p->outcome, PartOutcome::killed);
    EXPECT_NEAR(p->end_s, 30, 1e-9);
  }
  ASSERT_EQ(parts_of(rec, 2).size(), 2u);
  // The slowdown is over the rounds that counted (the second run).
  EXPECT_NEAR(r.span_slowdown, 1.081, 1e-8);
}

// local_queue "none": the part at A cannot start (A is busy) and is
// refused; the whole job fails, and its part at B, delivered in the same
// step, never arrives there: B stays free for a job pinned to it at 2 s.
TEST(Spanning, APartRefusedByItsQueueFailsTheJob) {
  Scenario sc = make_scenario(pair(), 86400);
  sc.local_queue = QueueDiscipline::none;
  SplitPolicy policy("A", split_ab);
  MemoryRecorderForTest rec;
  Job busy = make_job(0, 0, 8, 50), later = make_job(2, 0, 9, 5);
  busy.kind = later.kind = JobKind::finetune;
  later.pinned_center = 1;
  run(sc, policy, rec, {busy, training(1, 16, span(AllReduce::hierarchical)), later});
  const JobRecord* r = rec.find(2);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, JobStatus::failed);
  EXPECT_NE(r->reason.find("no room"), std::string::npos) << r->reason;
  ASSERT_EQ(rec.parts.size(), 2u);
  for (const auto& p : rec.parts) {
    EXPECT_EQ(p.outcome, PartOutcome::released);
    EXPECT_DOUBLE_EQ(p.start_s, -1);
  }
  const JobRecord* l = rec.find(3);
  ASSERT_TRUE(l);
  EXPECT_EQ(l->status, JobStatus::completed) << l->reason;
  EXPECT_NEAR(l->start_s, 2, 1e-9);
}

// The data tier: a catalog dataset of 10 GB homed at a storage site S
// (read at up to 2e10 B/s), 1e10 B/s links A-S and B-S (10 ms), caches of
// 100 GB at A and B. Each part fills its center's cache: 0.01 + 1 s, both
// at once, then the job runs its 108.1 s. A second split job of the same
// dataset at 200 s finds both caches filled and starts at once.
Scenario data_pair(double a_s_Bps) {
  Scenario sc = make_scenario(make_topology({{"A", "a100:8"}, {"B", "a100:9"}, {"S", ""}},
                                            {{"A", "B", kBw, kLat}, {"A", "S", a_s_Bps, 0.01}, {"B", "S", 1e10, 0.01}}),
                              86400);
  sc.storage.sites.push_back({2, 2e10, std::numeric_limits<double>::infinity()});
  sc.storage.cache_B = {100e9, 100e9, 0};
  sc.workload.datasets.push_back({"d0", 10e9, 1.0, {0}});
  return sc;
}

Job with_data(Job j) {
  j.dataset = 0;
  j.dataset_B = 10e9;
  j.stream = true;  // parts stage it anyway
  return j;
}

TEST(Spanning, PartsStageACatalogDatasetThroughTheirCentersCaches) {
  Scenario sc = data_pair(1e10);
  SplitPolicy policy("A", split_ab);
  MemoryRecorderForTest rec;
  run(sc, policy, rec, {with_data(training(0, 16, span(AllReduce::hierarchical))),
                        with_data(training(200, 16, span(AllReduce::hierarchical)))});
  const JobRecord* first = rec.find(1);
  const JobRecord* second = rec.find(2);
  ASSERT_TRUE(first && second);
  EXPECT_EQ(first->status, JobStatus::completed) << first->reason;
  EXPECT_NEAR(first->start_s, 1.01, 1e-6);
  EXPECT_NEAR(first->end_s, 1.01 + 108.1, 1e-6);
  EXPECT_EQ(first->cache_hit, 0);
  EXPECT_EQ(first->data_from, 2);
  EXPECT_NEAR(first->data_wait_s, 1.01, 1e-6);
  EXPECT_NEAR(first->bytes_moved, 2 * 10e9 + 2 * 10 * 1e9, 1);  // two fills, the gradients
  EXPECT_EQ(second->cache_hit, 1);
  EXPECT_NEAR(second->start_s, 200, 1e-9);
  EXPECT_NEAR(second->end_s, 308.1, 1e-6);
}

// A part given back while it fills its center's cache abandons the fill: a
// job at A waiting on that copy fetches it itself. A-S is slow (1e9 B/s):
// the part at B has its data at 1.01 and holds its chips; the part at A
// would have it at 10.01. span_hold = 5 s: at 6.01 both parts go (the
// policy then waits). A 1-chip job at A from 2 s, waiting on the fill, asks
// again and fills the cache itself: 6.01 + 0.01 + 10 s.
TEST(Spanning, APartGivenBackDuringItsCacheFillLeavesItToTheOthers) {
  Scenario sc = data_pair(1e9);
  sc.span_hold_s = 5;
  SplitPolicy policy("A", [](const Job& j, const NetState& net, int call) {
    return call == 1 ? split_ab(j, net, call) : Placement{};
  });
  MemoryRecorderForTest rec;
  Job other = with_data(make_job(2, 0, 1, 10));
  other.kind = JobKind::finetune;
  other.stream = false;
  run(sc, policy, rec, {with_data(training(0, 16, span(AllReduce::hierarchical))), other});
  const JobRecord* o = rec.find(2);
  ASSERT_TRUE(o);
  EXPECT_EQ(o->status, JobStatus::completed) << o->reason;
  EXPECT_NEAR(o->start_s, 16.02, 1e-6);
  EXPECT_EQ(o->cache_hit, 0);
  const auto parts = parts_of(rec, 1);
  ASSERT_EQ(parts.size(), 2u);
  EXPECT_EQ(parts[0]->outcome, PartOutcome::released);
  EXPECT_DOUBLE_EQ(parts[0]->start_s, -1);
  EXPECT_NEAR(parts[1]->start_s, 1.01, 1e-6);
  EXPECT_NEAR(parts[1]->end_s, 6.01, 1e-6);
}

// At the horizon the parts are recorded unfinished with the job.
TEST(Spanning, AtTheHorizonPartsAreUnfinished) {
  Scenario sc = make_scenario(pair(), 50);
  SplitPolicy policy("A", split_ab);
  MemoryRecorderForTest rec;
  run(sc, policy, rec, {training(0, 16, span(AllReduce::hierarchical))});
  ASSERT_EQ(rec.jobs.size(), 1u);
  EXPECT_EQ(rec.jobs[0].status, JobStatus::unfinished);
  EXPECT_EQ(rec.jobs[0].parts, 2);
  EXPECT_NEAR(rec.jobs[0].energy_J, 16 * 400.0 * 50, 1e-3);
  ASSERT_EQ(rec.parts.size(), 2u);
  for (const auto& p : rec.parts) {
    EXPECT_EQ(p.outcome, PartOutcome::unfinished);
    EXPECT_NEAR(p.end_s, 50, 1e-9);
  }
}

// The flows table at the horizon: the first round's exchange (ring, K = 6:
// 6 x 1.875e9 B each way after 6 x 4 latencies, from 60.12 s at 1.25e9 B/s)
// is still moving at 65 s. Both flows are unfinished with what they moved,
// not lost when the horizon then releases the parts.
TEST(Spanning, AtTheHorizonTheExchangeInFlightIsUnfinished) {
  Scenario sc = make_scenario(pair(), 65);
  sc.record_flows = true;
  SplitPolicy policy("A", split_ab);
  MemoryRecorderForTest rec;
  run(sc, policy, rec, {training(0, 16, span(AllReduce::ring))});
  ASSERT_EQ(rec.flows.size(), 2u);
  for (const FlowRecord& f : rec.flows) {
    EXPECT_EQ(f.purpose, TrafficPurpose::sync);
    EXPECT_EQ(f.outcome, FlowOutcome::unfinished);
    EXPECT_NEAR(f.start_s, 60.12, 1e-9);
    EXPECT_DOUBLE_EQ(f.end_s, 65);
    EXPECT_NEAR(f.bytes, 6 * 1.875e9, 1);
    EXPECT_NEAR(f.moved_B, (65 - 60.12) * kBw, 1e3);
  }
  EXPECT_NE(rec.flows[0].src, rec.flows[1].src);
  for (const auto& p : rec.parts) EXPECT_EQ(p.outcome, PartOutcome::unfinished);
}

// What a policy may not return, each one line naming place(job N) and the part.
TEST(Spanning, BadPartsArePolicyErrors) {
  struct Case {
    const char* what;
    std::function<Placement(const NetState&)> parts;
    bool span = true;
    double gpus = 16;
  };
  const auto two = [](double a, double b, const char* ca = "A", const char* cb = "B") {
    return [=](const NetState& net) {
      Placement p;
      p.action = Placement::Action::place;
      p.parts.push_back({net.center_of_city[net.topology->city_index(ca)], -1, a});
      p.parts.push_back({net.center_of_city[net.topology->city_index(cb)], -1, b});
      return p;
    };
  };
  const std::vector<Case> cases = {
      {"parts holding 15 chips (expected the job's 16)", two(8, 7)},
      {"parts[1].gpus = 8.5 (expected a whole number of chips >= 1)", two(8.5, 7.5)},
      {"parts[2] at center A again (expected one part per center)", two(8, 8, "A", "A")},
      {"parts[1]: center A has no pool that can run 12 chips", two(12, 4)},
      {"only a training job with span parameters", two(4, 4), false, 8},
      {"returned 1 part (expected 2 or more parts, or a center)",
       [](const NetState&) {
         Placement p;
         p.action = Placement::Action::place;
         p.parts.push_back({0, -1, 16});
         return p;
       }},
  };
  for (const Case& c : cases) {
    const std::vector<double> got = in_child([&] {
      Scenario sc = make_scenario(pair(), 86400);
      sc.on_policy_error = "reject";
      SplitPolicy policy("A", [&](const Job&, const NetState& net, int) { return c.parts(net); });
      MemoryRecorderForTest rec;
      Job j = training(0, c.gpus, c.span ? span(AllReduce::ring) : SpanSpec{});
      run(sc, policy, rec, {j});
      const JobRecord& r = rec.jobs.at(0);
      const bool ok = r.status == JobStatus::rejected && r.reason.find(c.what) != std::string::npos &&
                      r.reason.find("place(job 1)") != std::string::npos && rec.parts.empty();
      if (!ok) std::fprintf(stderr, "got: %s\n", r.reason.c_str());
      return std::vector<double>{ok ? 1.0 : 0.0};
    });
    ASSERT_EQ(got.size(), 1u) << c.what;
    EXPECT_EQ(got[0], 1.0) << c.what;
  }
}

}  // namespace
}  // namespace suanwang::testing

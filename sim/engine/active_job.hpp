// ActiveJob and JobSlab: a job's runtime state from arrival to its record.
//
// The slab is indexed by a Handle and recycles slots through a free list, so
// memory follows the jobs in flight, never the jobs simulated. A handle is
// valid from admit() until release(); the job id (Job::id) is what the
// outside world sees. Scheduled events name a job by its handle and carry
// its generation: bumping `gen` cancels them (see calendar.hpp).
#pragma once

#include <cstdint>
#include <vector>

#include "sim/core/job.hpp"
#include "sim/core/traffic.hpp"

namespace suanwang::engine {

using Handle = std::uint32_t;
inline constexpr Handle kNoHandle = 0xffffffffu;
inline constexpr std::uint32_t kNoFlow = 0xffffffffu;

enum class Phase : std::uint8_t {
  dispatching,  // at the dispatcher (waiting for the policy or a route)
  inbound,      // dataset moving origin -> center (or delivered, not yet queued)
  queued,       // in a pool's local queue
  running,      // executing on the pool
  outbound,     // result moving center -> origin
};

struct ActiveJob {
  Job job;
  Phase phase = Phase::dispatching;
  int center = -1;             // center index (NetState::centers) while placed
  int pool = -1;               // pool index (NetState::pools)
  std::int64_t units = 0;      // capacity units in its pool (chips x slices, or a share)
  double remaining_s = 0;      // reference-chip work left (shrinks at checkpoints)
  double start_s = -1;         // last execution start
  double first_start_s = -1;
  double end_s = -1;
  double transfer_s = 0, transfer_delay_s = 0, bytes_moved = 0;
  double energy_J = 0, cost_CNY = 0, carbon_kg = 0;
  int restarts = 0;
  int service = -1;            // index of the inference service it deploys, or -1
  int server = -1, servers = 0;  // its last allocation in a pool made of servers
  double slowdown = 1;         // runtime factor of its current run (1 + spread slowdown)
  int borrow = -1;             // the service whose lent chips it queues for / runs on, or -1
  int preemptions = 0;         // evictions from lent chips
  double lost_chip_s = 0;      // chip-seconds of work lost to kills and evictions
  int span = -1;               // its multi-center record (spanning.hpp): the job's, or its part's
  int part = -1;               // >= 0: this is part `part` of a multi-center job, not a job
  std::uint32_t gen = 0;       // bumped to cancel its scheduled events
  // The transfer in progress (dataset or result), see transfers.hpp.
  int route_src = -1, route_dst = -1, route_variant = -1;
  TrafficPurpose purpose = TrafficPurpose::dataset;  // why its bytes move
  double transfer_size_B = 0;      // bytes this attempt must move
  double transfer_counted_B = 0;   // of those, bytes already credited to links
  double attempt_start_s = 0;      // when this attempt began (its latency phase included)
  int store = -1;                  // its bytes come from this storage site, -1: a city's gateway
  std::uint32_t flow = kNoFlow;    // in the flow model, once the latency is paid
  bool parked = false;             // waiting for a route (every variant crosses a down link)
  // Its catalog dataset, see data_plane.hpp.
  std::int8_t cache_hit = -1;      // 1: its center's cache served it, 0: a storage site, -1: no catalog data
  bool fills_cache = false;        // its current transfer (a fill or a stream) fills its center's cache
  int cache_center = -1;           // center whose cache it pins its dataset in, -1: none
  int data_from = -1;              // city its dataset was last read from, -1: none or a cache
  double arrived_s = -1;           // when it last reached its center
  double data_wait_s = 0;          // time between reaching its center(s) and its data being ready
  // Streaming: the run ends when both its compute and its reads are done.
  bool streaming = false;          // its stream is being read (its own transfer, or
                                   // following the cache fill of another job: follows_fill)
  bool follows_fill = false;       // streaming behind another job's fill of its center's cache
  bool compute_done = false;       // its compute ended while its stream had not
  double stream_B = 0;             // bytes its current run reads from a storage site
  double compute_end_s = -1;
  double stall_s = 0;              // time its chips waited for its stream after the compute
  bool in_use = false;
};

class JobSlab {
 public:
  Handle admit(const Job& job) {
    Handle h;
    if (!free_.empty()) {
      h = free_.back();
      free_.pop_back();
    } else {
      h = static_cast<Handle>(jobs_.size());
      jobs_.emplace_back();
    }
    ActiveJob& j = jobs_[h];
    const std::uint32_t gen = j.gen + 1;  // events of the slot's previous job stay stale
    j = ActiveJob{};
    j.gen = gen;
    j.job = job;
    j.remaining_s = job.duration_s;
    j.in_use = true;
    return h;
  }
  void release(Handle h) {
    jobs_[h].in_use = false;
    ++jobs_[h].gen;
    free_.push_back(h);
  }
  ActiveJob& operator[](Handle h) { return jobs_[h]; }
  const ActiveJob& operator[](Handle h) const { return jobs_[h]; }
  Handle size() const { return static_cast<Handle>(jobs_.size()); }
  std::size_t in_flight() const { return jobs_.size() - free_.size(); }

 private:
  std::vector<ActiveJob> jobs_;
  std::vector<Handle> free_;
};

}  // namespace suanwang::engine

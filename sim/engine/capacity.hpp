// Capacity: what a local queue starts jobs on (pure logic, no SimGrid).
//
// FlatCapacity is a bag of units (chips x vGPU slices): a job fits when
// enough units are free anywhere in the pool, as in the pool model of
// `chip:count` pools and in pyss's processor count. ServerCapacity
// (server_capacity.hpp) is made of servers: a job fits when the pool's node
// placement finds it a server (or a gang of servers), so free units
// scattered over servers where the job does not fit are lost to it
// (fragmentation).
// Invariant: used_units() <= capacity_units() (capacity 0 during an outage,
// with nothing running).
#pragma once

#include <cstdint>
#include <utility>
#include <vector>

#include "sim/engine/node_pool.hpp"

namespace suanwang {

struct QueuedJob {
  std::uint64_t id = 0;
  std::int64_t units = 0;     // capacity units wanted, 0 < units <= capacity
  double walltime_s = 0;      // user estimate used for reservations
  double enqueue_s = 0;       // when it joined this queue
  engine::NodeRequest request;  // what it asks of servers (ServerCapacity only)
};

class Capacity {
 public:
  virtual ~Capacity() = default;
  virtual std::int64_t capacity_units() const = 0;
  virtual std::int64_t used_units() const = 0;
  // Outage (false): capacity 0; the caller has ended every running job first.
  virtual void set_up(bool up) = 0;
  // Starts `job` now if it fits, outside the servers marked in `avoid` when
  // given (EASY's reserved servers); false when it does not fit.
  virtual bool try_start(const QueuedJob& job, const std::vector<char>* avoid) = 0;
  // Frees what a started job holds (the job as try_start saw it).
  virtual void finish(const QueuedJob& job) = 0;
  // Servers only (has_servers()): EASY with server reservations. The
  // earliest of `ends` (running jobs' expected ends, sorted) once past which
  // `head` fits, and in `reserved` (one flag per server) the servers it
  // would then use; infinity and no server when it never fits.
  virtual bool has_servers() const { return false; }
  virtual double reserve(const QueuedJob& /*head*/,
                         const std::vector<std::pair<double, const QueuedJob*>>& /*ends*/,
                         std::vector<char>* /*reserved*/) {
    return 1.0 / 0.0;
  }
};

class FlatCapacity final : public Capacity {
 public:
  explicit FlatCapacity(std::int64_t units) : capacity_(units), installed_(units) {}
  std::int64_t capacity_units() const override { return capacity_; }
  std::int64_t used_units() const override { return used_; }
  void set_up(bool up) override { capacity_ = up ? installed_ : 0; }
  bool try_start(const QueuedJob& job, const std::vector<char>*) override {
    if (job.units > capacity_ - used_) return false;
    used_ += job.units;
    return true;
  }
  void finish(const QueuedJob& job) override { used_ -= job.units; }
  // The pool's size changes (chips an inference service lends); a caller
  // that shrinks it below what is in use must end jobs first.
  void resize(std::int64_t units) {
    capacity_ = capacity_ == installed_ ? units : 0;
    installed_ = units;
  }

 private:
  std::int64_t capacity_, installed_;
  std::int64_t used_ = 0;
};

}  // namespace suanwang

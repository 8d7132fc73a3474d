// DatasetCache: a center's cache of datasets (pure logic, no SimGrid).
//
// Holds whole datasets up to a capacity in bytes. A dataset is `present`
// once its copy has fully arrived, `pending` while it is being copied in
// (the space is already taken, so two jobs wanting it share one transfer).
// A dataset in use (pinned by queued or running jobs, or pending) is never
// evicted; otherwise the least recently used go first (LRU: "used" = a job
// asked for it). A dataset larger than the whole cache is never cached: its
// jobs stream or stage it straight to the job, every time.
// Invariant: used_B() <= capacity_B(); used = sum of present + pending sizes.
#pragma once

#include <cstdint>
#include <list>
#include <unordered_map>
#include <vector>

namespace suanwang::engine {

class DatasetCache {
 public:
  explicit DatasetCache(double capacity_B) : capacity_B_(capacity_B) {}

  enum class State : std::uint8_t { absent, pending, present };
  State state(int dataset) const;
  // A job asks for the dataset: marks it recently used; counts a hit when present.
  void touch(int dataset);
  // Reserves room for a copy that is about to arrive (evicting LRU datasets
  // not in use). False when it cannot fit even after evicting everything
  // evictable; then nothing changed.
  bool reserve(int dataset, double size_B);
  // The copy reserved by reserve() arrived (present) or failed (absent again).
  void arrived(int dataset);
  void abandoned(int dataset);
  // In-use counts: a pinned dataset is not evicted.
  void pin(int dataset);
  void unpin(int dataset);

  double capacity_B() const { return capacity_B_; }
  double used_B() const { return used_B_; }
  double free_B() const { return capacity_B_ - used_B_; }
  std::uint64_t hits() const { return hits_; }
  std::uint64_t misses() const { return misses_; }
  std::uint64_t evictions() const { return evictions_; }
  // Datasets present, most recently used first (for views and tests).
  std::vector<int> present() const;

 private:
  struct Entry {
    double size_B = 0;
    State state = State::absent;
    int pins = 0;
    std::list<int>::iterator lru;  // valid when cached (pending or present)
  };
  double capacity_B_;
  double used_B_ = 0;
  std::unordered_map<int, Entry> entries_;
  std::list<int> lru_;  // front = most recently used
  std::uint64_t hits_ = 0, misses_ = 0, evictions_ = 0;
};

}  // namespace suanwang::engine

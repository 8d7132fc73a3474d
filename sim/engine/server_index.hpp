// ServerIndex: the servers of a NodePool grouped by state, so that a node
// placement looks at each distinct state once instead of at every server
// (internal to the engine; pure logic, no SimGrid).
//
// Two servers are in one class when everything the placement rules read of
// them is equal: their number of accelerators, CPU and memory capacity and
// what is left of them, whether anything runs there, and the free units of
// their accelerators as a multiset. Whether a request fits, and the score of
// every built-in rule but random_fit, are functions of that (FGD's score is
// the best over the accelerators, so their order does not matter; the
// accelerator a request then takes is picked on the server chosen). Within a
// class the tie-break is the lowest rank, so each class keeps its members in
// a binary heap on the placer's ranking: the placement scans classes, not
// servers, and chooses exactly the server a scan of every server would (the
// tests compare both). A pool of 55,000 idle servers is one class.
//
// Classes live in one array (slots of emptied classes are reused), each with
// what NodePool::fits reads copied beside it, so that a placement's scan
// over the classes touches contiguous memory rather than one scattered
// server per class. An update costs a key, a hash lookup and O(log n) heap
// moves, with no allocation once the classes have been seen.
//
// The index follows one pool: every allocate/release on it must be followed
// by update() for each server it touched.
#pragma once

#include <algorithm>
#include <array>
#include <cstdint>
#include <unordered_map>
#include <utility>
#include <vector>

#include "sim/engine/node_pool.hpp"

namespace suanwang::engine {

class ServerIndex {
 public:
  // `rank`: the placer's tie-break ranks, one per server (distinct).
  ServerIndex(const NodePool& pool, const std::vector<std::uint32_t>& rank);

  // Server s changed (a request was allocated on it or released from it).
  void update(const NodePool& pool, int s);

  using Member = std::pair<std::uint32_t, std::int32_t>;  // (rank, server)

  class Class {
   public:
    // The lowest-ranked member.
    int any() const { return heap_.front().second; }
    std::size_t size() const { return heap_.size(); }
    // NodePool::fits(any(), req), from the class's own copy of the state.
    bool fits(const NodeRequest& req) const;
    // Whether its servers are empty (NodePool::empty) and have accelerators:
    // what a gang may take.
    bool gang_ready() const { return !not_empty_ && gpus_ > 0; }
    // Appends its `k` lowest-ranked members (all when fewer), lowest first.
    void lowest(std::size_t k, std::vector<Member>* out) const;

   private:
    friend class ServerIndex;
    std::vector<Member> heap_;  // min-heap on rank
    // The state the key describes (see key_of), for fits().
    int gpus_ = 0;
    bool not_empty_ = false;
    std::int64_t cpu_left_ = 0, mem_left_ = 0, total_left_ = 0;
    std::vector<std::int64_t> units_;  // free units per accelerator, ascending
  };

  // Calls f(const Class&) for every class (in no particular order).
  template <class F>
  void for_each(F&& f) const {
    for (const Class& c : classes_)
      if (!c.heap_.empty()) f(c);
  }
  std::size_t classes() const { return classes_.size() - free_slots_.size(); }
  // The pool's fragmentation (NodePool::fragmentation(mix)), one server per
  // class: the same bits, at the cost of the classes instead of the servers.
  double fragmentation(const NodePool& pool, const std::vector<WorkloadShape>& mix) const;

 private:
  // What a class is (see key_of): its words inline, no allocation, and
  // their hash computed once when the key is made.
  struct Key {
    static constexpr int kFixed = 6;  // gpus, occupied, cpu/mem capacity and left; then the sorted free units
    std::array<std::int64_t, kFixed + kMaxGpusPerServer> words{};
    int n = 0;  // words in use
    std::size_t hash = 0;
    bool operator==(const Key& o) const {
      return hash == o.hash && n == o.n && std::equal(words.begin(), words.begin() + n, o.words.begin());
    }
  };
  struct Hash {
    std::size_t operator()(const Key& k) const { return k.hash; }
  };
  // Fills *k with server s's key (reusing its storage).
  static void key_of(const NodePool& pool, int s, Key* k);
  // The slot of the class with key `scratch_` (made when new).
  int slot_of_scratch();
  void insert(int slot, int s);
  void erase(int slot, int s);
  void sift_up(Class& c, std::size_t i);
  void sift_down(Class& c, std::size_t i);
  void place(Class& c, std::size_t i, const Member& m) {
    c.heap_[i] = m;
    pos_[static_cast<std::size_t>(m.second)] = static_cast<std::int32_t>(i);
  }

  std::vector<std::uint32_t> rank_;
  std::vector<Class> classes_;
  std::vector<int> free_slots_;
  std::unordered_map<Key, int, Hash> slot_;  // key -> its slot in classes_
  std::vector<const Key*> key_;              // per slot: its key (stable: unordered_map nodes do not move)
  std::vector<std::int32_t> class_of_, pos_;  // per server: its slot, its index in that class's heap
  Key scratch_;
};

}  // namespace suanwang::engine

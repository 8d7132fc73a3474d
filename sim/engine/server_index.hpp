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
// class the tie-break is the lowest rank, so each class keeps its members
// ordered by the placer's ranking: the placement scans classes, not servers,
// and chooses exactly the server a scan of every server would (the tests
// compare both). A pool of 55,000 idle servers is one class.
//
// The index follows one pool: every allocate/release on it must be followed
// by update() for each server it touched.
#pragma once

#include <cstdint>
#include <set>
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

  struct Class {
    std::set<std::pair<std::uint32_t, std::int32_t>> members;  // (rank, server), lowest rank first
    int any() const { return members.begin()->second; }
  };
  // Calls f(const Class&) for every class (in no particular order).
  template <class F>
  void for_each(F&& f) const {
    for (const auto& kv : classes_) f(kv.second);
  }
  std::size_t classes() const { return classes_.size(); }
  // The pool's fragmentation (NodePool::fragmentation(mix)), one server per
  // class: the same bits, at the cost of the classes instead of the servers.
  double fragmentation(const NodePool& pool, const std::vector<WorkloadShape>& mix) const;

 private:
  struct Key {
    std::vector<std::int64_t> words;  // gpus, occupied, cpu/mem capacity and left, sorted free units
    bool operator==(const Key& o) const { return words == o.words; }
  };
  struct Hash {
    std::size_t operator()(const Key& k) const;
  };
  // Fills *k with server s's key (reusing its storage: update() allocates
  // only when a server enters a class that did not exist).
  static void key_of(const NodePool& pool, int s, Key* k);

  std::vector<std::uint32_t> rank_;
  std::unordered_map<Key, Class, Hash> classes_;
  using Node = std::pair<const Key, Class>;
  std::vector<Node*> node_;  // per server: its class (stable: unordered_map nodes do not move)
  Key scratch_;
};

}  // namespace suanwang::engine

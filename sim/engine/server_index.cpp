#include "sim/engine/server_index.hpp"

#include <algorithm>

namespace suanwang::engine {

std::size_t ServerIndex::Hash::operator()(const Key& k) const {
  std::uint64_t h = 0xcbf29ce484222325ULL;
  for (const std::int64_t w : k.words) {
    h ^= static_cast<std::uint64_t>(w) + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2);
  }
  return static_cast<std::size_t>(h);
}

void ServerIndex::key_of(const NodePool& pool, int s, Key* k) {
  std::vector<std::int64_t>& w = k->words;
  const int G = pool.gpus(s);
  w.clear();
  w.push_back(G);
  w.push_back(pool.empty(s) ? 0 : 1);  // something runs there (a CPU-only job may take no resource)
  w.push_back(pool.cpu_capacity(s));
  w.push_back(pool.memory_capacity(s));
  w.push_back(pool.cpu_left(s));
  w.push_back(pool.memory_left(s));
  const std::size_t first = w.size();
  for (int g = 0; g < G; ++g) w.push_back(pool.gpu_left(s, g));
  std::sort(w.begin() + static_cast<std::ptrdiff_t>(first), w.end());
}

ServerIndex::ServerIndex(const NodePool& pool, const std::vector<std::uint32_t>& rank)
    : rank_(rank), node_(static_cast<std::size_t>(pool.servers()), nullptr) {
  for (int s = 0; s < pool.servers(); ++s) {
    key_of(pool, s, &scratch_);
    auto it = classes_.find(scratch_);
    if (it == classes_.end()) it = classes_.try_emplace(scratch_).first;
    it->second.members.emplace(rank_[static_cast<std::size_t>(s)], s);
    node_[static_cast<std::size_t>(s)] = &*it;
  }
}

void ServerIndex::update(const NodePool& pool, int s) {
  key_of(pool, s, &scratch_);
  Node* was = node_[static_cast<std::size_t>(s)];
  if (was->first == scratch_) return;
  const std::pair<std::uint32_t, std::int32_t> member{rank_[static_cast<std::size_t>(s)], s};
  was->second.members.erase(member);
  if (was->second.members.empty()) classes_.erase(classes_.find(was->first));
  auto it = classes_.find(scratch_);
  if (it == classes_.end()) it = classes_.try_emplace(scratch_).first;
  it->second.members.insert(member);
  node_[static_cast<std::size_t>(s)] = &*it;
}

double ServerIndex::fragmentation(const NodePool& pool, const std::vector<WorkloadShape>& mix) const {
  std::vector<std::int64_t> units(mix.size(), 0);
  for (const auto& kv : classes_)
    pool.add_fragmented_units(kv.second.any(), mix, static_cast<std::int64_t>(kv.second.members.size()), &units);
  return NodePool::weigh(mix, units);
}

}  // namespace suanwang::engine

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

ServerIndex::Key ServerIndex::key_of(const NodePool& pool, int s) {
  Key k;
  const int G = pool.gpus(s);
  k.words.reserve(static_cast<std::size_t>(G) + 6);
  k.words.push_back(G);
  k.words.push_back(pool.empty(s) ? 0 : 1);  // something runs there (a CPU-only job may take no resource)
  k.words.push_back(pool.cpu_capacity(s));
  k.words.push_back(pool.memory_capacity(s));
  k.words.push_back(pool.cpu_left(s));
  k.words.push_back(pool.memory_left(s));
  const std::size_t first = k.words.size();
  for (int g = 0; g < G; ++g) k.words.push_back(pool.gpu_left(s, g));
  std::sort(k.words.begin() + static_cast<std::ptrdiff_t>(first), k.words.end());
  return k;
}

ServerIndex::ServerIndex(const NodePool& pool, const std::vector<std::uint32_t>& rank)
    : rank_(rank), key_(static_cast<std::size_t>(pool.servers()), nullptr) {
  for (int s = 0; s < pool.servers(); ++s) {
    auto it = classes_.try_emplace(key_of(pool, s)).first;
    it->second.members.emplace(rank_[static_cast<std::size_t>(s)], s);
    key_[static_cast<std::size_t>(s)] = &it->first;
  }
}

void ServerIndex::update(const NodePool& pool, int s) {
  Key k = key_of(pool, s);
  const Key* old = key_[static_cast<std::size_t>(s)];
  if (*old == k) return;
  const std::pair<std::uint32_t, std::int32_t> member{rank_[static_cast<std::size_t>(s)], s};
  auto was = classes_.find(*old);
  was->second.members.erase(member);
  if (was->second.members.empty()) classes_.erase(was);
  auto it = classes_.try_emplace(std::move(k)).first;
  it->second.members.insert(member);
  key_[static_cast<std::size_t>(s)] = &it->first;
}

double ServerIndex::fragmentation(const NodePool& pool, const std::vector<WorkloadShape>& mix) const {
  std::vector<std::int64_t> units(mix.size(), 0);
  for (const auto& kv : classes_)
    pool.add_fragmented_units(kv.second.any(), mix, static_cast<std::int64_t>(kv.second.members.size()), &units);
  return NodePool::weigh(mix, units);
}

}  // namespace suanwang::engine

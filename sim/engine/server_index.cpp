#include "sim/engine/server_index.hpp"

#include <algorithm>
#include <queue>

namespace suanwang::engine {

// Words: [0] accelerators, [1] not empty, [2] CPU capacity, [3] memory
// capacity, [4] CPU left, [5] memory left, [6..) free units, ascending.
void ServerIndex::key_of(const NodePool& pool, int s, Key* k) {
  std::int64_t* w = k->words.data();
  const int G = pool.gpus(s);
  w[0] = G;
  w[1] = pool.empty(s) ? 0 : 1;  // something runs there (a CPU-only job may take no resource)
  w[2] = pool.cpu_capacity(s);
  w[3] = pool.memory_capacity(s);
  w[4] = pool.cpu_left(s);
  w[5] = pool.memory_left(s);
  std::int64_t* units = w + Key::kFixed;
  for (int g = 0; g < G; ++g) {  // insertion sort: a server has a handful of accelerators
    const std::int64_t u = pool.gpu_left(s, g);
    int i = g;
    for (; i > 0 && units[i - 1] > u; --i) units[i] = units[i - 1];
    units[i] = u;
  }
  k->n = Key::kFixed + G;
  std::uint64_t h = 0xcbf29ce484222325ULL;
  for (int i = 0; i < k->n; ++i)
    h ^= static_cast<std::uint64_t>(w[i]) + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2);
  k->hash = static_cast<std::size_t>(h);
}

bool ServerIndex::Class::fits(const NodeRequest& req) const {
  return request_fits(req, cpu_left_, mem_left_, gpus_, total_left_, [&](std::int64_t units) {
    // Accelerators with at least `units` free: the tail of the ascending units.
    int fitting = 0;
    for (auto it = units_.rbegin(); it != units_.rend() && *it >= units; ++it) ++fitting;
    return fitting;
  });
}

void ServerIndex::Class::lowest(std::size_t k, std::vector<Member>* out) const {
  // The k smallest of a binary heap in order: a frontier of heap positions.
  using Entry = std::pair<Member, std::size_t>;
  std::priority_queue<Entry, std::vector<Entry>, std::greater<Entry>> frontier;
  if (!heap_.empty()) frontier.emplace(heap_[0], 0);
  while (k > 0 && !frontier.empty()) {
    const std::size_t i = frontier.top().second;
    out->push_back(frontier.top().first);
    frontier.pop();
    --k;
    for (const std::size_t child : {2 * i + 1, 2 * i + 2})
      if (child < heap_.size()) frontier.emplace(heap_[child], child);
  }
}

ServerIndex::ServerIndex(const NodePool& pool, const std::vector<std::uint32_t>& rank)
    : rank_(rank),
      class_of_(static_cast<std::size_t>(pool.servers()), -1),
      pos_(static_cast<std::size_t>(pool.servers()), -1) {
  for (int s = 0; s < pool.servers(); ++s) {
    key_of(pool, s, &scratch_);
    insert(slot_of_scratch(), s);
  }
}

int ServerIndex::slot_of_scratch() {
  auto it = slot_.find(scratch_);
  if (it != slot_.end()) return it->second;
  int slot;
  if (!free_slots_.empty()) {
    slot = free_slots_.back();
    free_slots_.pop_back();
  } else {
    slot = static_cast<int>(classes_.size());
    classes_.emplace_back();
    key_.push_back(nullptr);
  }
  it = slot_.emplace(scratch_, slot).first;
  key_[static_cast<std::size_t>(slot)] = &it->first;
  Class& c = classes_[static_cast<std::size_t>(slot)];
  const std::int64_t* w = scratch_.words.data();
  c.gpus_ = static_cast<int>(w[0]);
  c.not_empty_ = w[1] != 0;
  c.cpu_left_ = w[4];
  c.mem_left_ = w[5];
  c.units_.assign(w + Key::kFixed, w + scratch_.n);
  c.total_left_ = 0;
  for (const std::int64_t u : c.units_) c.total_left_ += u;
  return slot;
}

void ServerIndex::sift_up(Class& c, std::size_t i) {
  const Member m = c.heap_[i];
  while (i > 0) {
    const std::size_t parent = (i - 1) / 2;
    if (!(m < c.heap_[parent])) break;
    place(c, i, c.heap_[parent]);
    i = parent;
  }
  place(c, i, m);
}

void ServerIndex::sift_down(Class& c, std::size_t i) {
  const Member m = c.heap_[i];
  const std::size_t n = c.heap_.size();
  for (;;) {
    std::size_t child = 2 * i + 1;
    if (child >= n) break;
    if (child + 1 < n && c.heap_[child + 1] < c.heap_[child]) ++child;
    if (!(c.heap_[child] < m)) break;
    place(c, i, c.heap_[child]);
    i = child;
  }
  place(c, i, m);
}

void ServerIndex::insert(int slot, int s) {
  Class& c = classes_[static_cast<std::size_t>(slot)];
  c.heap_.emplace_back(rank_[static_cast<std::size_t>(s)], s);
  class_of_[static_cast<std::size_t>(s)] = slot;
  sift_up(c, c.heap_.size() - 1);
}

void ServerIndex::erase(int slot, int s) {
  Class& c = classes_[static_cast<std::size_t>(slot)];
  const auto i = static_cast<std::size_t>(pos_[static_cast<std::size_t>(s)]);
  const Member last = c.heap_.back();
  c.heap_.pop_back();
  if (i < c.heap_.size()) {  // the last member fills the hole, then moves up or down
    place(c, i, last);
    if (i > 0 && last < c.heap_[(i - 1) / 2]) sift_up(c, i);
    else sift_down(c, i);
  }
  if (c.heap_.empty()) {  // the slot keeps its heap's capacity for the next class
    slot_.erase(slot_.find(*key_[static_cast<std::size_t>(slot)]));  // by iterator: the key lives in that node
    key_[static_cast<std::size_t>(slot)] = nullptr;
    free_slots_.push_back(slot);
  }
}

void ServerIndex::update(const NodePool& pool, int s) {
  key_of(pool, s, &scratch_);
  const int was = class_of_[static_cast<std::size_t>(s)];
  if (*key_[static_cast<std::size_t>(was)] == scratch_) return;
  erase(was, s);
  insert(slot_of_scratch(), s);
}

double ServerIndex::fragmentation(const NodePool& pool, const std::vector<WorkloadShape>& mix) const {
  std::vector<std::int64_t> units(mix.size(), 0);
  for_each([&](const Class& c) {
    pool.add_fragmented_units(c.any(), mix, static_cast<std::int64_t>(c.size()), &units);
  });
  return NodePool::weigh(mix, units);
}

}  // namespace suanwang::engine

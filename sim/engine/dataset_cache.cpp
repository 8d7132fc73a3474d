#include "sim/engine/dataset_cache.hpp"

namespace suanwang::engine {

DatasetCache::State DatasetCache::state(int dataset) const {
  const auto it = entries_.find(dataset);
  return it == entries_.end() ? State::absent : it->second.state;
}

void DatasetCache::touch(int dataset) {
  Entry& e = entries_[dataset];
  if (e.state == State::present) ++hits_;
  else ++misses_;
  if (e.state != State::absent) lru_.splice(lru_.begin(), lru_, e.lru);
}

bool DatasetCache::reserve(int dataset, double size_B) {
  Entry& e = entries_[dataset];
  if (e.state != State::absent) return true;
  if (size_B > capacity_B_) return false;
  // Room: evictable = cached, not pinned, not pending; least recently used first.
  double freeable = free_B();
  for (auto it = lru_.rbegin(); it != lru_.rend() && freeable < size_B; ++it) {
    const Entry& v = entries_[*it];
    if (v.pins == 0 && v.state == State::present) freeable += v.size_B;
  }
  if (freeable < size_B) return false;
  for (auto it = lru_.end(); free_B() < size_B && it != lru_.begin();) {
    --it;
    Entry& v = entries_[*it];
    if (v.pins > 0 || v.state != State::present) continue;
    used_B_ -= v.size_B;
    v.state = State::absent;
    ++evictions_;
    it = lru_.erase(it);
  }
  e.size_B = size_B;
  e.state = State::pending;
  used_B_ += size_B;
  lru_.push_front(dataset);
  e.lru = lru_.begin();
  return true;
}

void DatasetCache::arrived(int dataset) {
  Entry& e = entries_[dataset];
  if (e.state == State::pending) e.state = State::present;
}

void DatasetCache::abandoned(int dataset) {
  Entry& e = entries_[dataset];
  if (e.state != State::pending) return;
  used_B_ -= e.size_B;
  e.state = State::absent;
  lru_.erase(e.lru);
}

void DatasetCache::pin(int dataset) { ++entries_[dataset].pins; }

void DatasetCache::unpin(int dataset) {
  Entry& e = entries_[dataset];
  if (e.pins > 0) --e.pins;
}

std::vector<int> DatasetCache::present() const {
  std::vector<int> out;
  for (const int d : lru_)
    if (entries_.at(d).state == State::present) out.push_back(d);
  return out;
}

}  // namespace suanwang::engine

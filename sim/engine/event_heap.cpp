#include "sim/engine/event_heap.hpp"

namespace suanwang::engine {

namespace {
constexpr std::size_t kArity = 4;
}  // namespace

void EventHeap::push(const Event& e) {
  // Sift the hole up from the new leaf, then drop e in.
  std::size_t i = v_.size();
  v_.push_back(e);
  while (i > 0) {
    const std::size_t parent = (i - 1) / kArity;
    if (!before(e, v_[parent])) break;
    v_[i] = v_[parent];
    i = parent;
  }
  v_[i] = e;
}

Event EventHeap::pop() {
  const Event top = v_.front();
  const Event last = v_.back();
  v_.pop_back();
  const std::size_t n = v_.size();
  if (n == 0) return top;
  // Sift the hole down from the root, moving up the earliest child, until
  // `last` fits.
  std::size_t i = 0;
  for (;;) {
    const std::size_t first = kArity * i + 1;
    if (first >= n) break;
    const std::size_t end = first + kArity < n ? first + kArity : n;
    std::size_t best = first;
    for (std::size_t c = first + 1; c < end; ++c)
      if (before(v_[c], v_[best])) best = c;
    if (!before(v_[best], last)) break;
    v_[i] = v_[best];
    i = best;
  }
  v_[i] = last;
  return top;
}

}  // namespace suanwang::engine

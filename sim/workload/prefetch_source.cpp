#include "sim/workload/prefetch_source.hpp"

#include <utility>

namespace suanwang {

PrefetchSource::PrefetchSource(std::unique_ptr<JobSource> inner, std::size_t block)
    : inner_(std::move(inner)), block_(block == 0 ? 1 : block), worker_([this] { produce(); }) {}

PrefetchSource::~PrefetchSource() {
  {
    std::lock_guard<std::mutex> lk(mu_);
    quit_ = true;
  }
  cv_.notify_all();
  worker_.join();
}

void PrefetchSource::produce() {
  Block fill;
  for (;;) {
    fill.jobs.clear();
    fill.jobs.reserve(block_);
    fill.last = false;
    fill.error = nullptr;
    try {
      while (fill.jobs.size() < block_) {
        std::optional<Job> job = inner_->next();
        if (!job) {
          fill.last = true;
          break;
        }
        fill.jobs.push_back(std::move(*job));
      }
    } catch (...) {
      fill.last = true;
      fill.error = std::current_exception();
    }
    std::unique_lock<std::mutex> lk(mu_);
    cv_.wait(lk, [this] { return !has_ready_ || quit_; });
    if (quit_) return;
    const bool last = fill.last;
    std::swap(ready_, fill);  // fill gets the block the consumer gave back (its capacity reused)
    has_ready_ = true;
    lk.unlock();
    cv_.notify_all();
    if (last) return;
  }
}

std::optional<Job> PrefetchSource::next() {
  while (pos_ == current_.jobs.size()) {
    if (current_.last) {
      if (current_.error) std::rethrow_exception(current_.error);
      return std::nullopt;
    }
    std::unique_lock<std::mutex> lk(mu_);
    cv_.wait(lk, [this] { return has_ready_; });
    current_.jobs.clear();
    std::swap(current_, ready_);  // the spent block goes back for refilling
    has_ready_ = false;
    lk.unlock();
    cv_.notify_all();
    pos_ = 0;
  }
  return std::move(current_.jobs[pos_++]);
}

}  // namespace suanwang

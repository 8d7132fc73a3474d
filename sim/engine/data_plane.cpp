#include "sim/engine/data_plane.hpp"

#include <algorithm>
#include <limits>

#include "sim/engine/engine_state.hpp"

namespace suanwang::engine {

DataPlane::DataPlane(EngineState& st) : st_(st) {
  const StorageSpec& s = st.sc.storage;
  for (const CenterState& c : st.net.centers)
    caches_.emplace_back(s.cache_B.empty() ? 0.0 : s.cache_B[static_cast<std::size_t>(c.city)]);
  site_read_B_.assign(s.sites.size(), 0.0);
  site_reads_.assign(s.sites.size(), 0);
  requests_.assign(st.sc.workload.datasets.size(), 0);
  served_.assign(st.sc.workload.datasets.size(), 0);
  const auto& catalog = st.sc.workload.datasets;
  for (std::size_t d = 0; d < catalog.size(); ++d) by_name_.emplace(catalog[d].name, static_cast<int>(d));
}

int DataPlane::datasets() const { return static_cast<int>(st_.sc.workload.datasets.size()); }

int DataPlane::dataset_index(std::string_view name) const {
  const auto it = by_name_.find(name);
  return it == by_name_.end() ? -1 : it->second;
}

std::string_view DataPlane::dataset_name(int dataset) const {
  return st_.sc.workload.datasets[static_cast<std::size_t>(dataset)].name;
}

double DataPlane::dataset_size_B(int dataset) const {
  return st_.sc.workload.datasets[static_cast<std::size_t>(dataset)].size_B;
}

const std::vector<int>& DataPlane::dataset_homes(int dataset) const {
  return st_.sc.workload.datasets[static_cast<std::size_t>(dataset)].homes;
}

int DataPlane::site_city(int site) const { return st_.sc.storage.sites[static_cast<std::size_t>(site)].city; }

double DataPlane::site_read_Bps(int site) const {
  return st_.sc.storage.sites[static_cast<std::size_t>(site)].read_Bps;
}

int DataPlane::nearest_home(int dataset, int center) const {
  const DatasetSpec& d = st_.sc.workload.datasets[static_cast<std::size_t>(dataset)];
  const int city = st_.net.centers[static_cast<std::size_t>(center)].city;
  int best = d.homes.front();
  double best_latency = std::numeric_limits<double>::infinity();
  for (const int site : d.homes) {
    const int from = st_.sc.storage.sites[static_cast<std::size_t>(site)].city;
    const double latency = from == city ? 0.0 : st_.net.latency(from, city);
    if (latency < best_latency) {
      best_latency = latency;
      best = site;
    }
  }
  return best;
}

void DataPlane::pin(Handle h, int center) {
  ActiveJob& j = st_.jobs[h];
  caches_[static_cast<std::size_t>(center)].pin(j.job.dataset);
  j.cache_center = center;
}

void DataPlane::release(Handle h) {
  ActiveJob& j = st_.jobs[h];
  j.fills_cache = false;  // a fill it owned was abandoned with its center
  if (j.cache_center < 0) return;
  caches_[static_cast<std::size_t>(j.cache_center)].unpin(j.job.dataset);
  j.cache_center = -1;
}

void DataPlane::leave(Handle h) {
  ActiveJob& j = st_.jobs[h];
  if (j.job.dataset >= 0 && j.center >= 0) {
    const FillKey key{j.center, j.job.dataset};
    if (auto it = fills_.find(key); it != fills_.end()) std::erase(it->second.waiting, h);
    if (j.fills_cache) {
      j.fills_cache = false;
      fill_abandoned(key);
    }
  }
  release(h);
}

void DataPlane::read_from_home(Handle h, double bytes, TrafficPurpose purpose) {
  ActiveJob& j = st_.jobs[h];
  const int site = nearest_home(j.job.dataset, j.center);
  const int from = st_.sc.storage.sites[static_cast<std::size_t>(site)].city;
  j.data_from = from;
  st_.transfers->start(h, from, st_.net.centers[static_cast<std::size_t>(j.center)].city, bytes, purpose, site);
}

void DataPlane::arrive(Handle h) {
  if (st_.jobs[h].job.stream) {  // reads while it runs (start_stream)
    st_.data_ready(h);
    return;
  }
  serve_staged(h, true);
}

void DataPlane::serve_staged(Handle h, bool first) {
  ActiveJob& j = st_.jobs[h];
  const int d = j.job.dataset;
  const auto di = static_cast<std::size_t>(d);
  DatasetCache& cache = caches_[static_cast<std::size_t>(j.center)];
  if (first) {
    ++requests_[di];
    cache.touch(d);
  }
  switch (cache.state(d)) {
    case DatasetCache::State::present:
      j.cache_hit = 1;
      j.data_from = -1;
      ++served_[di];
      pin(h, j.center);
      st_.data_ready(h);
      return;
    case DatasetCache::State::pending:  // one copy is on its way: wait for it
      j.cache_hit = 1;
      j.data_from = -1;
      ++served_[di];
      pin(h, j.center);
      fills_[{j.center, d}].waiting.push_back(h);
      return;
    case DatasetCache::State::absent: break;
  }
  j.cache_hit = 0;
  const double size = j.job.dataset_B;
  if (cache.reserve(d, size)) {
    pin(h, j.center);
    j.fills_cache = true;
    fills_[{j.center, d}].filler = h;
    read_from_home(h, size, TrafficPurpose::cache_fill);
  } else {
    read_from_home(h, size, TrafficPurpose::dataset);
  }
}

void DataPlane::staged(Handle h) {
  ActiveJob& j = st_.jobs[h];
  if (!j.fills_cache) {
    st_.data_ready(h);
    return;
  }
  j.fills_cache = false;
  st_.data_ready(h);  // the filler first, then the others in arrival order
  fill_landed({j.center, j.job.dataset});
}

void DataPlane::fill_landed(const FillKey& key) {
  caches_[static_cast<std::size_t>(key.first)].arrived(key.second);
  const auto it = fills_.find(key);
  if (it == fills_.end()) return;
  const std::vector<Handle> waiting = std::move(it->second.waiting);
  fills_.erase(it);
  for (const Handle w : waiting) {
    if (st_.jobs[w].follows_fill) stream_done(w);
    else st_.data_ready(w);
  }
}

void DataPlane::fill_abandoned(const FillKey& key) {
  caches_[static_cast<std::size_t>(key.first)].abandoned(key.second);
  const auto it = fills_.find(key);
  if (it == fills_.end()) return;
  const std::vector<Handle> waiting = std::move(it->second.waiting);
  fills_.erase(it);
  // At a center going down its jobs leave with it (center_outage): nothing to serve.
  if (!st_.net.centers[static_cast<std::size_t>(key.first)].up) {
    for (const Handle w : waiting) st_.jobs[w].follows_fill = false;
    return;
  }
  // They ask again, in arrival order, so the first becomes the new filler.
  for (const Handle w : waiting) {
    ActiveJob& j = st_.jobs[w];
    if (j.follows_fill) {
      j.follows_fill = false;
      j.streaming = false;
      serve_stream(w, false);
    } else {
      serve_staged(w, false);
    }
  }
}

void DataPlane::start_stream(Handle h) {
  ActiveJob& j = st_.jobs[h];
  j.streaming = false;
  j.follows_fill = false;
  j.compute_done = false;
  serve_stream(h, true);
}

void DataPlane::follow(Handle h, const FillKey& key) {
  ActiveJob& j = st_.jobs[h];
  j.streaming = true;
  j.follows_fill = true;
  j.stream_B = 0;
  fills_[key].waiting.push_back(h);
}

void DataPlane::serve_stream(Handle h, bool first) {
  ActiveJob& j = st_.jobs[h];
  const int d = j.job.dataset;
  const auto di = static_cast<std::size_t>(d);
  DatasetCache& cache = caches_[static_cast<std::size_t>(j.center)];
  if (first) {
    cache.touch(d);
    ++requests_[di];
  }
  switch (cache.state(d)) {
    case DatasetCache::State::present:  // local reads keep up with the compute
      j.cache_hit = 1;
      j.data_from = -1;
      ++served_[di];
      if (j.cache_center < 0) pin(h, j.center);
      if (j.compute_done) stream_done(h);
      return;
    case DatasetCache::State::pending:  // reads behind the copy on its way
      j.cache_hit = 1;
      j.data_from = -1;
      ++served_[di];
      if (j.cache_center < 0) pin(h, j.center);
      follow(h, {j.center, d});
      return;
    case DatasetCache::State::absent: break;
  }
  j.cache_hit = 0;
  // This run's share of the reads (a restart reads what is left).
  const double left = j.job.duration_s > 0 ? j.remaining_s / j.job.duration_s : 1.0;
  double bytes = j.job.dataset_B * j.job.stream_passes * left;
  // A fresh run with room in the cache reads one pass through it: later
  // passes read the local copy.
  if (left >= 1.0 && cache.reserve(d, j.job.dataset_B)) {
    if (j.cache_center < 0) pin(h, j.center);
    j.fills_cache = true;
    fills_[{j.center, d}].filler = h;
    bytes = j.job.dataset_B;
  }
  if (!(bytes > 0)) {
    if (j.compute_done) stream_done(h);
    return;
  }
  j.streaming = true;
  j.stream_B = bytes;
  read_from_home(h, bytes, TrafficPurpose::stream);
}

void DataPlane::stream_done(Handle h) {
  ActiveJob& j = st_.jobs[h];
  j.streaming = false;
  j.follows_fill = false;
  if (j.fills_cache) {
    j.fills_cache = false;
    fill_landed({j.center, j.job.dataset});
  }
  if (j.compute_done) st_.on_job_end(h);  // it was waiting for its reads
}

double DataPlane::stop_stream(Handle h) {
  ActiveJob& j = st_.jobs[h];
  if (!j.streaming) return 1.0;
  const FillKey key{j.center, j.job.dataset};
  double fraction = 1.0;
  if (j.follows_fill) {  // as far as the fill it follows got
    auto it = fills_.find(key);
    fraction = 0.0;
    if (it != fills_.end()) {
      std::erase(it->second.waiting, h);
      if (const Handle f = it->second.filler; f != kNoHandle) {
        const ActiveJob& fj = st_.jobs[f];
        const double size = fj.streaming ? fj.stream_B : fj.job.dataset_B;
        if (size > 0) fraction = std::clamp(st_.transfers->moved(f) / size, 0.0, 1.0);
      }
    }
  } else {
    const double read = st_.transfers->moved(h);
    st_.transfers->abandon(h);
    fraction = j.stream_B > 0 ? std::clamp(read / j.stream_B, 0.0, 1.0) : 1.0;
  }
  j.streaming = false;
  j.follows_fill = false;
  j.compute_done = false;
  if (j.fills_cache) {
    j.fills_cache = false;
    fill_abandoned(key);
  }
  return fraction;
}

void DataPlane::center_down(int center) {
  // Every job at the center leaves it (the caller redispatches them): the
  // copies they were waiting for will not arrive.
  for (auto it = fills_.begin(); it != fills_.end();) {
    if (it->first.first != center) {
      ++it;
      continue;
    }
    caches_[static_cast<std::size_t>(center)].abandoned(it->first.second);
    for (const Handle w : it->second.waiting) st_.jobs[w].follows_fill = false;
    it = fills_.erase(it);
  }
}

}  // namespace suanwang::engine

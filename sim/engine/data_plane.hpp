// DataPlane: where a job's catalog dataset comes from, and when it is ready
// (internal to the engine).
//
// Datasets live at their homes (storage sites, Scenario::storage); each
// center has a cache (DatasetCache, LRU) of whole datasets. A job with a
// catalog dataset (Job::dataset >= 0), once at its center, gets it by:
//  - staging (the default): its center's cache holds it (a hit: ready now),
//    or is being filled with it (the job waits for that one copy), or has
//    room for it (this job's transfer fills the cache: purpose cache_fill,
//    and jobs arriving meanwhile wait on it), or cannot hold it (the job's
//    own copy from the nearest home: purpose dataset). The job queues for
//    chips once its data is ready.
//  - streaming (Job::stream): it queues at once and reads while it runs.
//    Its reads come from the cache when the dataset is there; when another
//    job is filling the cache with it, it reads behind that fill (its reads
//    are done when the copy lands); otherwise from the nearest home (purpose
//    stream): one pass that also fills the cache when the cache has room
//    (later passes then read the local copy), else every pass. Its run ends
//    when both its compute and its reads are done; the excess is its stall.
// A fill whose job stops (an eviction, a kill) is abandoned: the jobs that
// waited on it ask again, and one of them fills the cache in its place.
// "Nearest home" is the home whose storage site has the lowest latency to
// the center over routes that are up (ties: the first home listed).
// A job pins its dataset in its center's cache from the moment it is served
// by it until it ends or leaves the center, so what jobs use is never
// evicted. Cache contents survive a center outage (disks); fills in progress
// are lost with it.
// Jobs without a catalog dataset keep the older model (EngineState): their
// `dataset` bytes come from their origin city.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "sim/engine/active_job.hpp"
#include "sim/engine/dataset_cache.hpp"
#include "sim/policy/data_view.hpp"

namespace suanwang::engine {

class EngineState;

class DataPlane final : public DataView {
 public:
  explicit DataPlane(EngineState& st);

  // DataView (what policies read through net.dataset, net.has_data, net.storage).
  int datasets() const override;
  int dataset_index(std::string_view name) const override;
  std::string_view dataset_name(int dataset) const override;
  double dataset_size_B(int dataset) const override;
  const std::vector<int>& dataset_homes(int dataset) const override;
  double cache_capacity_B(int center) const override { return cache(center).capacity_B(); }
  double cache_used_B(int center) const override { return cache(center).used_B(); }
  bool cached(int center, int dataset) const override {
    return cache(center).state(dataset) == DatasetCache::State::present;
  }
  int sites() const override { return static_cast<int>(site_reads_.size()); }
  int site_city(int site) const override;
  double site_read_Bps(int site) const override;
  int site_reads(int site) const override { return site_reads_[static_cast<std::size_t>(site)]; }
  double site_read_B(int site) const override { return site_read_B_[static_cast<std::size_t>(site)]; }

  // Job h (with a catalog dataset) reached its center: starts getting its
  // data; calls st.data_ready(h) when it may queue (maybe at once).
  void arrive(Handle h);
  // Its transfer of purpose dataset or cache_fill is done.
  void staged(Handle h);
  // At the start of a streaming job's run, and when its stream is done.
  void start_stream(Handle h);
  void stream_done(Handle h);
  // Its run stops early (a kill, an eviction): the stream (if any) stops and
  // the fraction of this run's reads that were done is returned (1 when it
  // was not streaming).
  double stop_stream(Handle h);
  // The job leaves its center for good (ended, or sent back to the policy):
  // its pin goes. Idempotent.
  void release(Handle h);
  // The job leaves its center before its data is ready (a part of a job
  // split over centers, given up; the caller abandons its transfer first): it
  // stops waiting for a fill, or the fill it carried is abandoned (the jobs
  // waiting on it ask again); then release(h).
  void leave(Handle h);
  // A center went down: fills in progress there are lost (their jobs are
  // handed back to the policy by the caller).
  void center_down(int center);

  const DatasetCache& cache(int center) const { return caches_[static_cast<std::size_t>(center)]; }
  // Bytes read from each storage site so far (sites in StorageSpec order),
  // and reads in progress at each.
  const std::vector<double>& site_read_B() const { return site_read_B_; }
  const std::vector<int>& site_reads() const { return site_reads_; }
  void credit_site(int site, double bytes) { site_read_B_[static_cast<std::size_t>(site)] += bytes; }
  void reading(int site, int delta) { site_reads_[static_cast<std::size_t>(site)] += delta; }
  // Jobs that asked for each dataset, and of those, the ones its cache served.
  const std::vector<std::uint64_t>& requests() const { return requests_; }
  const std::vector<std::uint64_t>& cache_served() const { return served_; }

  // The storage site of dataset d's nearest home to center c.
  int nearest_home(int dataset, int center) const;

 private:
  // A copy of one dataset on its way into one center's cache: the job whose
  // transfer carries it, and the jobs waiting for it (staged jobs queue when
  // it lands, streaming followers' reads are then done).
  struct Fill {
    Handle filler = kNoHandle;
    std::vector<Handle> waiting;
  };
  using FillKey = std::pair<int, int>;  // (center, dataset)

  // Serves a staged or streaming job at its center; `first` counts the request
  // (false when it asks again after a fill it waited on was abandoned).
  void serve_staged(Handle h, bool first);
  void serve_stream(Handle h, bool first);
  void follow(Handle h, const FillKey& key);
  // The fill of `key` landed (present) or was abandoned by its filler.
  void fill_landed(const FillKey& key);
  void fill_abandoned(const FillKey& key);
  void pin(Handle h, int center);
  // Starts h's transfer of `bytes` of its dataset from its nearest home.
  void read_from_home(Handle h, double bytes, TrafficPurpose purpose);

  EngineState& st_;
  std::vector<DatasetCache> caches_;                      // per center
  std::map<FillKey, Fill> fills_;                         // copies on their way into caches
  std::vector<double> site_read_B_;
  std::vector<int> site_reads_;
  std::vector<std::uint64_t> requests_, served_;          // per dataset
  std::unordered_map<std::string_view, int> by_name_;     // views into the catalog's names
};

}  // namespace suanwang::engine

// DataView: what a policy may read about the data tier (datasets, the
// centers' caches, the storage sites). The engine implements it over its
// DataPlane; NetState::data points to it (nullptr when the scenario has no
// dataset catalog and no storage). Indices are 0-based here; Lua sees names.
// Read-only; valid during the hook call that received it.
#pragma once

#include <string_view>
#include <vector>

namespace suanwang {

class DataView {
 public:
  virtual ~DataView() = default;
  // The catalog.
  virtual int datasets() const = 0;
  virtual int dataset_index(std::string_view name) const = 0;  // -1 when unknown
  virtual std::string_view dataset_name(int dataset) const = 0;
  virtual double dataset_size_B(int dataset) const = 0;
  virtual const std::vector<int>& dataset_homes(int dataset) const = 0;  // storage sites
  // A center's cache: capacity, bytes used (present or being filled), and
  // whether it holds a whole copy of a dataset now.
  virtual double cache_capacity_B(int center) const = 0;
  virtual double cache_used_B(int center) const = 0;
  virtual bool cached(int center, int dataset) const = 0;
  // Storage sites.
  virtual int sites() const = 0;
  virtual int site_city(int site) const = 0;           // topology city index
  virtual double site_read_Bps(int site) const = 0;
  virtual int site_reads(int site) const = 0;          // reads in progress
  virtual double site_read_B(int site) const = 0;      // bytes read so far

  // Whether center `center`, in city `city`, reads `dataset` without the
  // backbone: its cache holds a whole copy, or a home of the dataset is a
  // storage site in its city (net.has_data, net.room's local_data).
  bool reads_locally(int center, int city, int dataset) const {
    if (dataset < 0) return false;
    if (cached(center, dataset)) return true;
    for (const int site : dataset_homes(dataset))
      if (site_city(site) == city) return true;
    return false;
  }
};

}  // namespace suanwang

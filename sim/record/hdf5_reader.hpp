// Hdf5Reader: reads back what Hdf5Recorder wrote (tests, sweeps, `suanwang
// merge`). Minimal by design: analysis belongs to Python (scripts/suanwang/)
// and the layout to run_format.hpp. Throws UserError naming the file when it
// cannot be opened or read (HDF5's cause in one line) or a run is missing.
// It does not check the file's seal: callers reading a file they did not
// just write call verify_seal first (result_seal.hpp).
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "sim/record/recorder.hpp"

namespace suanwang {

// One row of /runs/<id>/jobs, strings decoded.
struct JobRow {
  std::uint64_t id = 0;
  std::string kind, origin, center, pool, chip;
  double submit_s = 0, start_s = 0, end_s = 0, wait_s = 0, gpus = 0, transfer_s = 0,
         transfer_delay_s = 0, bytes_moved = 0, energy_J = 0, cost_CNY = 0, carbon_kg = 0;
  std::int32_t restarts = 0;
  std::string dataset, data_from;
  std::int32_t cache_hit = -1;
  double data_wait_s = 0, stall_s = 0;
  std::string status, reason;
};

class Hdf5Reader {
 public:
  explicit Hdf5Reader(const std::string& path);
  ~Hdf5Reader();
  Hdf5Reader(const Hdf5Reader&) = delete;
  Hdf5Reader& operator=(const Hdf5Reader&) = delete;

  // Attributes of "/" as text.
  std::map<std::string, std::string> file_attributes() const;
  // Run ids under /runs, sorted.
  std::vector<std::string> run_ids() const;
  // Attributes of /runs/<id> as text (numbers: integers in decimal, floats %.17g).
  std::map<std::string, std::string> run_attributes(const std::string& run_id) const;
  // Attributes of /runs/<id>/summary (numbers only; "description" left out).
  std::map<std::string, double> summary(const std::string& run_id) const;
  std::vector<JobRow> jobs(const std::string& run_id) const;
  // /runs/<id>/network as written (prices and carbon converted back to per
  // joule). UserError for a run without one (a failed point, format 1.0).
  NetworkInfo network(const std::string& run_id) const;

  // Generic access by path (relative to the file root), for tests and tools:
  bool exists(const std::string& path) const;
  // Members of a group, sorted.
  std::vector<std::string> children(const std::string& group_path) const;
  // Attributes of any object as text.
  std::map<std::string, std::string> attributes(const std::string& path) const;
  // A numeric dataset (any rank, row-major) or, with field, one numeric field
  // of a compound table, converted to double.
  std::vector<double> numbers(const std::string& dataset_path, const std::string& field = "") const;
  // A string dataset or, with field, one string field of a compound table.
  std::vector<std::string> strings(const std::string& dataset_path,
                                   const std::string& field = "") const;
  // Dimensions of a dataset.
  std::vector<std::uint64_t> shape(const std::string& dataset_path) const;

  const std::string& path() const { return path_; }

 private:
  std::string path_;
  long long file_ = -1;  // hid_t
};

}  // namespace suanwang

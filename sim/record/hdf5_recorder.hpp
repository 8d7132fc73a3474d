// Hdf5Recorder: writes runs to an HDF5 file, the public output format whose
// layout is documented in run_format.hpp.
//
// Safety: everything is written to a PendingFile ("<target>.tmp-<pid>"
// beside the target); commit() closes the file, seals it (result_seal.hpp)
// and renames it onto the target (atomically replacing it with force).
// Destroying the recorder without commit() deletes the temporary file, so a
// crashed or failed run never leaves a half-written target. A target that
// exists without force is a UserError from the constructor.
//
// Several runs may be recorded into one file (begin_run ... end_run, again
// and again). begin_run writes the run's attributes and its network
// (RunInfo.network: the indices of JobRecord, CenterSample, CenterTotals and
// LinkSample refer to it; make_run_info fills it). Memory stays bounded: job
// rows and samples are buffered up to chunk_rows rows and then appended to
// extendible datasets; nothing grows with the number of jobs (the
// summary's waits spill to a temporary file: see summary.hpp).
//
// Strings: h5py returns compound string fields as bytes; the Python module
// scripts/suanwang/ (suanwang.read) decodes them. Calls come from one thread;
// the recorder itself hands the jobs and flows tables' chunk writes to a worker thread
// and never lets two threads into HDF5 at once.
#pragma once

#include <cstddef>
#include <memory>
#include <string>

#include "sim/record/recorder.hpp"
#include "sim/record/summary.hpp"

namespace suanwang {

struct Hdf5Options {
  bool force = false;            // replace an existing target at commit()
  // Deflate level 0..9 (0 = none). Level 1: 17% less CPU for the run than
  // level 4 with shuffle, file 4% larger (bench/PROFILE.md).
  int compression = 1;
  std::size_t chunk_rows = 4096; // rows per chunk and per appended block
  // The jobs and flows tables' full chunks are compressed and written by a worker
  // thread (the file is the same; see ChunkWriter in hdf5_recorder.cpp).
  bool background_writes = true;
};

class Hdf5Recorder : public Recorder {
 public:
  // Throws UserError when the target may not be written
  // (PendingFile::check_target) or the file cannot be created. Every method
  // throws UserError naming the target when HDF5 fails (a full disk).
  explicit Hdf5Recorder(std::string target_path, Hdf5Options options = {});
  ~Hdf5Recorder() override;
  Hdf5Recorder(const Hdf5Recorder&) = delete;
  Hdf5Recorder& operator=(const Hdf5Recorder&) = delete;

  void begin_run(const RunInfo& info) override;
  void job(const JobRecord& row) override;
  void center_sample(const CenterSample& s) override;
  void link_sample(const LinkSample& s) override;
  void service_sample(const ServiceSample& s) override;
  void part(const PartRecord& row) override;
  void flow(const FlowRecord& row) override;
  void end_run(const RunEnd& end) override;

  // Closes the file and renames the temporary onto the target. Throws
  // std::logic_error while a run is open (begin_run without end_run).
  void commit();

  // Summary of the last run ended (zeros before the first end_run).
  const RunSummary& summary() const;
  const std::string& target_path() const;
  const std::string& temp_path() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace suanwang

// PendingFile: a file written under a temporary name and renamed onto its
// target only when complete, so that a crash, a kill or an error never leaves
// anything at the target that looks whole. The one place that knows the
// temporary names: "<target>.tmp-<pid>" beside the target (same folder, so
// the rename is atomic).
//
// The constructor only reserves the name (removing a stale file a previous
// process with the same pid left there); the caller creates the file at
// path(). commit() renames it onto the target (replacing an existing target);
// the destructor deletes the temporary file unless commit() succeeded.
//
// Live temporaries are registered process-wide while a PendingFile owns
// them (live_temp_paths()), so that a signal handler installed later can
// remove them on SIGTERM/SIGINT. The registry is guarded by a mutex: read it
// from a normal thread (e.g. one woken by the handler), not from the handler.
// A PendingFile is used from one thread; different ones from any.
#pragma once

#include <string>
#include <vector>

namespace suanwang {

class PendingFile {
 public:
  explicit PendingFile(std::string target);
  ~PendingFile();
  PendingFile(const PendingFile&) = delete;
  PendingFile& operator=(const PendingFile&) = delete;

  const std::string& target() const { return target_; }
  const std::string& path() const { return temp_; }   // where to write
  bool committed() const { return committed_; }

  // Renames path() onto target(); throws UserError naming both on failure
  // (the temporary is then still removed by the destructor).
  void commit();

  // What may become a target (the one rule for run, sweep and merge, whether
  // the path came from -o or a scenario's `output` key): a new path in an
  // existing folder, or with `force` an existing regular file that is a
  // result file (result_seal.hpp: looks_like_result_file). --force never
  // replaces a device, a FIFO, a directory, a symbolic link or a file that
  // is not a result (a scenario's `output = "notes.txt"` cannot destroy
  // notes.txt). The name must leave room for the temporary's suffix.
  // UserError naming the target otherwise.
  static void check_target(const std::string& target, bool force);

  // "<target>.tmp-<pid>" for this process.
  static std::string temp_path_for(const std::string& target);
  // The name to show a person for `path`: the target when `path` is a
  // temporary of this process (they never asked for "x.h5.tmp-4242").
  static std::string shown_name(const std::string& path);
  // Whether `filename` (a path or a bare name) is some process's temporary:
  // "<anything>.tmp-<digits>". For cleaning folders of killed workers.
  static bool is_temp_name(const std::string& filename);
  // Temporaries of this process not yet committed or removed.
  static std::vector<std::string> live_temp_paths();

 private:
  std::string target_, temp_;
  bool committed_ = false;
};

}  // namespace suanwang

// Internal helpers of the HDF5 writer and reader (not part of the public API).
//
// Every HDF5 call's return code is checked; a failure throws h5::Error naming
// the operation and the cause HDF5 found (its error stack read into one line:
// "No space left on device", "Permission denied", "bad object header..."),
// never HDF5's own printout: automatic error printing is off in every process
// that links this layer, and so is HDF5's atexit handler (after a failed
// close, e.g. on a full disk, it would crash the exit; every file is closed
// explicitly before a result is committed, so it has nothing left to do).
#pragma once

#include <hdf5.h>

#include <cstdint>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace suanwang::h5 {

// An HDF5 call failed. what(): "HDF5: <operation> failed: <cause>".
class Error : public std::runtime_error {
 public:
  Error(const std::string& operation, std::string cause)
      : std::runtime_error("HDF5: " + operation + " failed" + (cause.empty() ? "" : ": " + cause)),
        cause_(std::move(cause)) {}
  // The innermost cause, for a message of one's own ("No space left on device").
  const std::string& cause() const { return cause_; }

 private:
  std::string cause_;
};

[[noreturn]] void fail(const std::string& what);

// Runs f; an h5::Error becomes a UserError naming `path` ("<path>: cannot
// <doing>: <cause>"): a full disk, a read-only folder or a corrupt input is
// about the file the user named, one line and exit 2. A temporary of this
// process is named by its target (PendingFile::shown_name).
template <class F>
decltype(auto) about_file(const std::string& path, const std::string& doing, F&& f);

inline hid_t check(hid_t id, const char* what) {
  if (id < 0) fail(what);
  return id;
}
inline void check_status(herr_t st, const char* what) {
  if (st < 0) fail(what);
}

// Owns one HDF5 identifier of any kind; closes it with the matching H5xclose.
class Hid {
 public:
  Hid() = default;
  explicit Hid(hid_t id) : id_(id) {}
  Hid(hid_t id, const char* what) : id_(check(id, what)) {}
  Hid(const Hid&) = delete;
  Hid& operator=(const Hid&) = delete;
  Hid(Hid&& o) noexcept : id_(std::exchange(o.id_, H5I_INVALID_HID)) {}
  Hid& operator=(Hid&& o) noexcept {
    if (this != &o) {
      reset();
      id_ = std::exchange(o.id_, H5I_INVALID_HID);
    }
    return *this;
  }
  ~Hid() { reset(); }
  hid_t get() const { return id_; }
  operator hid_t() const { return id_; }
  bool valid() const { return id_ >= 0; }
  // Closes now; returns false when the close failed (never throws).
  bool reset() noexcept;
  // Closes now and throws when the close failed.
  void close(const char* what);
  // Gives up ownership: the caller closes the returned identifier.
  hid_t release() noexcept { return std::exchange(id_, H5I_INVALID_HID); }

 private:
  hid_t id_ = H5I_INVALID_HID;
};

// Suppresses HDF5's automatic error printing for its lifetime (for probes
// whose failure is an answer, not an error), and clears what the probe pushed.
class Quiet {
 public:
  Quiet();
  ~Quiet();
  Quiet(const Quiet&) = delete;
  Quiet& operator=(const Quiet&) = delete;

 private:
  H5E_auto2_t func_ = nullptr;
  void* data_ = nullptr;
};

// Variable-length UTF-8 string type (caller owns).
Hid vlen_utf8();

void attr_string(hid_t obj, const char* name, const std::string& value);
void attr_strings(hid_t obj, const char* name, const std::vector<std::string>& values);
void attr_f64(hid_t obj, const char* name, double value);
void attr_u64(hid_t obj, const char* name, std::uint64_t value);
void attr_i64(hid_t obj, const char* name, std::int64_t value);

// Attribute value as text: strings as is, integers in decimal, floats with
// %.17g, arrays joined with ','.
std::string attr_as_text(hid_t attr);

// Creates a file (flags H5F_ACC_TRUNC or H5F_ACC_EXCL) whose first
// user_block_B bytes HDF5 leaves to us (result_seal.hpp).
Hid create_file(const std::string& path, unsigned flags, std::size_t user_block_B);

// Opens an existing file (flags H5F_ACC_RDONLY or H5F_ACC_RDWR); UserError
// naming the path when it does not exist or is not an HDF5 file.
Hid open_file(const std::string& path, unsigned flags);

bool link_exists(hid_t loc, const std::string& path);
Hid create_group(hid_t loc, const std::string& name);

std::string iso8601_utc_now();

// Implementation.
[[noreturn]] void rethrow_about_file(const std::string& path, const std::string& doing, const Error& e);

template <class F>
decltype(auto) about_file(const std::string& path, const std::string& doing, F&& f) {
  try {
    return f();
  } catch (const Error& e) {
    rethrow_about_file(path, doing, e);
  }
}

}  // namespace suanwang::h5

// Internal helpers of the HDF5 writer and reader (not part of the public API).
//
// Every HDF5 call's return code is checked; a failure throws std::runtime_error
// naming the operation (HDF5 has already printed its error stack, since
// automatic printing is left on everywhere except around probes, see Quiet).
#pragma once

#include <hdf5.h>

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace suanwang::h5 {

[[noreturn]] void fail(const std::string& what);

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

// Opens an existing file (flags H5F_ACC_RDONLY or H5F_ACC_RDWR); UserError
// naming the path when it does not exist or is not an HDF5 file.
Hid open_file(const std::string& path, unsigned flags);

bool link_exists(hid_t loc, const std::string& path);
Hid create_group(hid_t loc, const std::string& name);

std::string iso8601_utc_now();

}  // namespace suanwang::h5

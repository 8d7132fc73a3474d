#include "sim/record/h5util.hpp"

#include <cinttypes>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <stdexcept>

#include "sim/core/text.hpp"
#include "sim/core/user_error.hpp"
#include "sim/record/pending_file.hpp"

namespace suanwang::h5 {

namespace {

// Before any other HDF5 call (static initialisation of this layer): no
// printout of error stacks, no atexit handler (see h5util.hpp).
struct LibrarySetup {
  LibrarySetup() {
    H5dont_atexit();
    H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
  }
};
const LibrarySetup g_setup;

// The cause of the error on the stack: the system's message when a file
// operation failed (the sec2 driver writes "error message = '...'"), else
// the innermost description.
herr_t collect(unsigned /*n*/, const H5E_error2_t* e, void* data) {
  auto* out = static_cast<std::pair<std::string, std::string>*>(data);
  const std::string d = e->desc ? e->desc : "";
  const std::string key = "error message = '";
  if (const std::size_t at = d.find(key); at != std::string::npos && out->first.empty()) {
    const std::size_t end = d.find('\'', at + key.size());
    out->first = d.substr(at + key.size(), end == std::string::npos ? std::string::npos : end - at - key.size());
  }
  if (out->second.empty() && !d.empty()) out->second = d.substr(0, d.find(','));
  return 0;
}

std::string stack_cause() {
  std::pair<std::string, std::string> found;  // system message, innermost description
  H5Ewalk2(H5E_DEFAULT, H5E_WALK_UPWARD, collect, &found);
  H5Eclear2(H5E_DEFAULT);
  return !found.first.empty() ? found.first : found.second;
}

}  // namespace

void fail(const std::string& what) { throw Error(what, stack_cause()); }

void rethrow_about_file(const std::string& path, const std::string& doing, const Error& e) {
  throw UserError(PendingFile::shown_name(path), "",
                  "cannot " + doing + ": " + (e.cause().empty() ? std::string(e.what()) : e.cause()));
}

bool Hid::reset() noexcept {
  if (id_ < 0) return true;
  hid_t id = std::exchange(id_, H5I_INVALID_HID);
  herr_t st = -1;
  switch (H5Iget_type(id)) {
    case H5I_FILE: st = H5Fclose(id); break;
    case H5I_GROUP: st = H5Gclose(id); break;
    case H5I_DATATYPE: st = H5Tclose(id); break;
    case H5I_DATASPACE: st = H5Sclose(id); break;
    case H5I_DATASET: st = H5Dclose(id); break;
    case H5I_ATTR: st = H5Aclose(id); break;
    case H5I_GENPROP_LST: st = H5Pclose(id); break;
    default: st = H5Idec_ref(id) < 0 ? -1 : 0; break;
  }
  return st >= 0;
}

void Hid::close(const char* what) {
  if (!reset()) fail(what);
}

Quiet::Quiet() {
  check_status(H5Eget_auto2(H5E_DEFAULT, &func_, &data_), "H5Eget_auto2");
  check_status(H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr), "H5Eset_auto2");
}

Quiet::~Quiet() {
  H5Eclear2(H5E_DEFAULT);
  H5Eset_auto2(H5E_DEFAULT, func_, data_);
}

Hid vlen_utf8() {
  Hid t(H5Tcopy(H5T_C_S1), "H5Tcopy(C_S1)");
  check_status(H5Tset_size(t, H5T_VARIABLE), "H5Tset_size(VARIABLE)");
  check_status(H5Tset_cset(t, H5T_CSET_UTF8), "H5Tset_cset(UTF8)");
  return t;
}

namespace {

void write_attr(hid_t obj, const char* name, hid_t file_type, hid_t space, hid_t mem_type,
                const void* buf) {
  Hid a(H5Acreate2(obj, name, file_type, space, H5P_DEFAULT, H5P_DEFAULT), name);
  check_status(H5Awrite(a, mem_type, buf), name);
  a.close(name);
}

template <class T>
void attr_scalar(hid_t obj, const char* name, hid_t type, T value) {
  Hid space(H5Screate(H5S_SCALAR), "H5Screate(SCALAR)");
  write_attr(obj, name, type, space, type, &value);
}

}  // namespace

// Attribute strings are valid UTF-8 too (see RowBuffer::str): a scenario's
// text or a parameter may hold any bytes.
void attr_string(hid_t obj, const char* name, const std::string& raw) {
  Hid t = vlen_utf8();
  Hid space(H5Screate(H5S_SCALAR), "H5Screate(SCALAR)");
  const std::string value = text::valid_utf8(raw);
  const char* p = value.c_str();
  write_attr(obj, name, t, space, t, &p);
}

void attr_strings(hid_t obj, const char* name, const std::vector<std::string>& values) {
  Hid t = vlen_utf8();
  hsize_t n = values.size();
  Hid space(H5Screate_simple(1, &n, nullptr), "H5Screate_simple");
  std::vector<std::string> valid;
  valid.reserve(values.size());
  for (const auto& v : values) valid.push_back(text::valid_utf8(v));
  std::vector<const char*> p;
  p.reserve(valid.size());
  for (const auto& v : valid) p.push_back(v.c_str());
  write_attr(obj, name, t, space, t, p.data());
}

void attr_f64(hid_t obj, const char* name, double value) {
  attr_scalar(obj, name, H5T_NATIVE_DOUBLE, value);
}
void attr_u64(hid_t obj, const char* name, std::uint64_t value) {
  attr_scalar(obj, name, H5T_NATIVE_UINT64, value);
}
void attr_i64(hid_t obj, const char* name, std::int64_t value) {
  attr_scalar(obj, name, H5T_NATIVE_INT64, value);
}

std::string attr_as_text(hid_t attr) {
  Hid ftype(H5Aget_type(attr), "H5Aget_type");
  Hid space(H5Aget_space(attr), "H5Aget_space");
  hssize_t n = H5Sget_simple_extent_npoints(space);
  if (n < 0) fail("H5Sget_simple_extent_npoints");
  const H5T_class_t cls = H5Tget_class(ftype);
  std::string out;
  auto sep = [&](std::size_t i) {
    if (i > 0) out += ',';
  };
  if (cls == H5T_STRING) {
    htri_t is_var = H5Tis_variable_str(ftype);
    if (is_var < 0) fail("H5Tis_variable_str");
    if (is_var) {
      Hid mt = vlen_utf8();
      std::vector<char*> p(static_cast<std::size_t>(n), nullptr);
      check_status(H5Aread(attr, mt, p.data()), "H5Aread(string)");
      for (std::size_t i = 0; i < p.size(); ++i) {
        sep(i);
        if (p[i]) out += p[i];
      }
      check_status(H5Dvlen_reclaim(mt, space, H5P_DEFAULT, p.data()), "H5Dvlen_reclaim");
    } else {
      const std::size_t size = H5Tget_size(ftype);
      if (size == 0) fail("H5Tget_size");
      Hid mt(H5Tcopy(ftype), "H5Tcopy");
      std::vector<char> buf(size * static_cast<std::size_t>(n));
      check_status(H5Aread(attr, mt, buf.data()), "H5Aread(fixed string)");
      for (hssize_t i = 0; i < n; ++i) {
        sep(static_cast<std::size_t>(i));
        const char* s = buf.data() + i * size;
        std::size_t len = 0;
        while (len < size && s[len] != '\0') ++len;
        out.append(s, len);
      }
    }
  } else if (cls == H5T_INTEGER) {
    const bool is_signed = H5Tget_sign(ftype) == H5T_SGN_2;
    if (is_signed) {
      std::vector<std::int64_t> v(static_cast<std::size_t>(n));
      check_status(H5Aread(attr, H5T_NATIVE_INT64, v.data()), "H5Aread(int)");
      for (std::size_t i = 0; i < v.size(); ++i) {
        sep(i);
        out += std::to_string(v[i]);
      }
    } else {
      std::vector<std::uint64_t> v(static_cast<std::size_t>(n));
      check_status(H5Aread(attr, H5T_NATIVE_UINT64, v.data()), "H5Aread(uint)");
      for (std::size_t i = 0; i < v.size(); ++i) {
        sep(i);
        out += std::to_string(v[i]);
      }
    }
  } else if (cls == H5T_FLOAT) {
    std::vector<double> v(static_cast<std::size_t>(n));
    check_status(H5Aread(attr, H5T_NATIVE_DOUBLE, v.data()), "H5Aread(float)");
    for (std::size_t i = 0; i < v.size(); ++i) {
      sep(i);
      char b[40];
      std::snprintf(b, sizeof b, "%.17g", v[i]);
      out += b;
    }
  } else {
    fail("attribute of unsupported class");
  }
  return out;
}

Hid create_file(const std::string& path, unsigned flags, std::size_t user_block_B) {
  Hid fcpl(H5Pcreate(H5P_FILE_CREATE), "H5Pcreate(FILE_CREATE)");
  if (user_block_B > 0) check_status(H5Pset_userblock(fcpl, user_block_B), "H5Pset_userblock");
  return Hid(H5Fcreate(path.c_str(), flags, fcpl, H5P_DEFAULT), "H5Fcreate");
}

Hid open_file(const std::string& path, unsigned flags) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) throw UserError(path, "", "does not exist");
  hid_t f;
  {
    Quiet q;  // "not an HDF5 file" is the user's mistake, reported below
    f = H5Fopen(path.c_str(), flags, H5P_DEFAULT);
  }
  if (f < 0) throw UserError(path, "", "cannot open as an HDF5 file");
  return Hid(f);
}

bool link_exists(hid_t loc, const std::string& path) {
  // H5Lexists fails (rather than answering false) when an intermediate group
  // is missing, so walk the path one component at a time, quietly.
  std::string prefix;
  std::size_t pos = 0;
  while (pos <= path.size()) {
    std::size_t slash = path.find('/', pos);
    if (slash == std::string::npos) slash = path.size();
    std::string part = path.substr(pos, slash - pos);
    if (!part.empty()) {
      prefix += (prefix.empty() ? "" : "/") + part;
      htri_t r;
      {
        Quiet q;
        r = H5Lexists(loc, prefix.c_str(), H5P_DEFAULT);
      }
      if (r <= 0) return false;
    }
    pos = slash + 1;
  }
  return true;
}

Hid create_group(hid_t loc, const std::string& name) {
  return Hid(H5Gcreate2(loc, name.c_str(), H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT),
             ("H5Gcreate2 " + name).c_str());
}

std::string iso8601_utc_now() {
  std::time_t t = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char b[32];
  std::strftime(b, sizeof b, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return b;
}

}  // namespace suanwang::h5

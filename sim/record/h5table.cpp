#include "sim/record/h5table.hpp"

#include <cstring>
#include <stdexcept>

#include "sim/core/text.hpp"

namespace suanwang::h5 {
namespace {

// Numbers and fixed strings are packed in the memory record as in the file
// (RowBuffer writes them with memcpy): the memory type is then the file type
// and H5Dwrite copies rows as they are, with no compound conversion (which
// cost the writer thread a gather, a convert and a scatter of every chunk).
// A vlen string's pointer stays aligned: HDF5 reads it in place.
std::size_t align_of(FieldKind k) { return k == FieldKind::vlen_str ? alignof(char*) : 1; }

std::size_t size_of(const Field& f) {
  switch (f.kind) {
    case FieldKind::u64: case FieldKind::f64: return 8;
    case FieldKind::vlen_str: return sizeof(char*);
    case FieldKind::i32: return 4;
    case FieldKind::u8: return 1;
    case FieldKind::fixed_str: return f.width;
  }
  return 0;
}

Hid member_type(const Field& f) {
  switch (f.kind) {
    case FieldKind::u64: return Hid(H5Tcopy(H5T_NATIVE_UINT64), "H5Tcopy(u64)");
    case FieldKind::f64: return Hid(H5Tcopy(H5T_NATIVE_DOUBLE), "H5Tcopy(f64)");
    case FieldKind::i32: return Hid(H5Tcopy(H5T_NATIVE_INT32), "H5Tcopy(i32)");
    case FieldKind::u8: return Hid(H5Tcopy(H5T_NATIVE_UINT8), "H5Tcopy(u8)");
    case FieldKind::vlen_str: return vlen_utf8();
    case FieldKind::fixed_str: {
      Hid t(H5Tcopy(H5T_C_S1), "H5Tcopy(C_S1)");
      check_status(H5Tset_size(t, f.width), "H5Tset_size");
      check_status(H5Tset_strpad(t, H5T_STR_NULLPAD), "H5Tset_strpad");
      check_status(H5Tset_cset(t, H5T_CSET_UTF8), "H5Tset_cset");
      return t;
    }
  }
  fail("member_type");
}

}  // namespace

std::size_t Layout::add(const FieldSpec& spec, std::size_t width) {
  return add(spec.name, spec.kind, spec.units, spec.description, spec.width ? spec.width : width);
}

std::size_t Layout::add(const std::string& name, FieldKind kind, const std::string& units,
                        const std::string& description, std::size_t width) {
  Field f{name, kind, units, description,
          kind == FieldKind::fixed_str ? (width == 0 ? 1 : width) : 0, 0};
  const std::size_t a = align_of(kind);
  has_vlen_ = has_vlen_ || kind == FieldKind::vlen_str;
  f.offset = (size_ + a - 1) / a * a;
  size_ = f.offset + size_of(f);
  fields_.push_back(std::move(f));
  return fields_.size() - 1;
}

std::size_t Layout::record_size() const {
  if (size_ == 0) return 8;
  return has_vlen_ ? (size_ + alignof(char*) - 1) / alignof(char*) * alignof(char*) : size_;
}

Hid Layout::mem_type() const {
  Hid t(H5Tcreate(H5T_COMPOUND, record_size()), "H5Tcreate(COMPOUND)");
  for (const Field& f : fields_) {
    Hid m = member_type(f);
    check_status(H5Tinsert(t, f.name.c_str(), f.offset, m), ("H5Tinsert " + f.name).c_str());
  }
  return t;
}

Hid Layout::file_type() const {
  Hid t = mem_type();
  check_status(H5Tpack(t), "H5Tpack");
  return t;
}

std::string Layout::units_csv() const {
  std::string s;
  for (std::size_t i = 0; i < fields_.size(); ++i) {
    if (i > 0) s += ',';
    s += fields_[i].units;
  }
  return s;
}

void RowBuffer::begin_row() {
  const std::size_t rec = layout_->record_size();
  row_off_ = rows_ * rec;
  bytes_.resize(row_off_ + rec, 0);
  ++rows_;
}

void RowBuffer::u64(std::size_t f, std::uint64_t v) { std::memcpy(at(f), &v, sizeof v); }
void RowBuffer::i32(std::size_t f, std::int32_t v) { std::memcpy(at(f), &v, sizeof v); }
void RowBuffer::u8(std::size_t f, std::uint8_t v) { std::memcpy(at(f), &v, sizeof v); }
void RowBuffer::f64(std::size_t f, double v) { std::memcpy(at(f), &v, sizeof v); }

// Strings are stored as valid UTF-8 (text::valid_utf8): a policy's reject
// reason or a name may hold any bytes, and the file says UTF-8.
void RowBuffer::str(std::size_t f, const std::string& raw) {
  const Field& fd = layout_->fields()[f];
  std::string fixed;
  std::string_view v = raw;
  if (!text::is_valid_utf8(raw)) v = fixed = text::valid_utf8(raw);
  if (fd.kind == FieldKind::vlen_str) {
    const char* p;
    if (v.empty()) {
      p = "";
    } else {
      strings_.emplace_back(v);
      p = strings_.back().c_str();
    }
    std::memcpy(at(f), &p, sizeof p);
  } else {
    if (raw.size() > fd.width)
      throw std::logic_error("HDF5 recorder: '" + std::string(v) + "' is wider than field " + fd.name + " (" +
                             std::to_string(fd.width) + " bytes)");
    const std::string_view fit = text::utf8_prefix(v, fd.width);  // U+FFFD may have widened it
    unsigned char* dst = at(f);
    std::memset(dst, 0, fd.width);
    std::memcpy(dst, fit.data(), fit.size());
  }
}

void RowBuffer::clear() {
  bytes_.clear();
  strings_.clear();
  rows_ = 0;
  row_off_ = 0;
}

void Appender::create(hid_t parent, const std::string& name, hid_t mem_type, hid_t file_type,
                      int rank, hsize_t cols, hsize_t chunk_rows, int compression) {
  rank2_ = rank == 2;
  cols_ = cols;
  rows_ = 0;
  if (chunk_rows == 0) chunk_rows = 1;
  rank = rank2_ ? 2 : 1;
  hsize_t dims[2] = {0, cols};
  hsize_t maxdims[2] = {H5S_UNLIMITED, cols > 0 ? cols : H5S_UNLIMITED};
  hsize_t chunk[2] = {chunk_rows, cols > 0 ? cols : 1};
  Hid space(H5Screate_simple(rank, dims, maxdims), "H5Screate_simple");
  Hid dcpl(H5Pcreate(H5P_DATASET_CREATE), "H5Pcreate(DATASET_CREATE)");
  check_status(H5Pset_chunk(dcpl, rank, chunk), "H5Pset_chunk");
  // Deflate without the shuffle filter: on the job rows shuffle cost CPU and
  // made the file larger (bench/PROFILE.md).
  if (compression > 0) {
    check_status(H5Pset_deflate(dcpl, static_cast<unsigned>(compression > 9 ? 9 : compression)),
                 "H5Pset_deflate");
  }
  ds_ = Hid(H5Dcreate2(parent, name.c_str(), file_type, space, H5P_DEFAULT, dcpl, H5P_DEFAULT),
            ("H5Dcreate2 " + name).c_str());
  mem_ = Hid(H5Tcopy(mem_type), "H5Tcopy");
}

void Appender::write(const void* data, hsize_t rows) {
  if (rows == 0) return;
  const int rank = rank2_ ? 2 : 1;
  hsize_t newdims[2] = {rows_ + rows, cols_};
  check_status(H5Dset_extent(ds_, newdims), "H5Dset_extent");
  if (rank2_ && cols_ == 0) {
    rows_ += rows;
    return;
  }
  Hid fspace(H5Dget_space(ds_), "H5Dget_space");
  hsize_t start[2] = {rows_, 0};
  hsize_t count[2] = {rows, cols_};
  check_status(H5Sselect_hyperslab(fspace, H5S_SELECT_SET, start, nullptr, count, nullptr),
               "H5Sselect_hyperslab");
  Hid mspace(H5Screate_simple(rank, count, nullptr), "H5Screate_simple");
  check_status(H5Dwrite(ds_, mem_, mspace, fspace, H5P_DEFAULT, data), "H5Dwrite");
  rows_ += rows;
}

void describe(hid_t ds, const std::string& description, const std::string& units) {
  attr_string(ds, run_format::kDescription, description);
  attr_string(ds, run_format::kUnits, units);
}

void describe(hid_t ds, const std::string& description, const Layout& layout) {
  describe(ds, description, layout.units_csv());
  for (const Field& f : layout.fields()) {
    attr_string(ds, (run_format::kUnitsPrefix + f.name).c_str(), f.units);
    attr_string(ds, (run_format::kDescriptionPrefix + f.name).c_str(), f.description);
  }
}

void write_table(hid_t parent, const std::string& name, const Layout& layout, const RowBuffer& rows,
                 const std::string& description) {
  Hid mt = layout.mem_type();
  Hid ft = layout.file_type();
  hsize_t n = rows.rows();
  Hid space(H5Screate_simple(1, &n, nullptr), "H5Screate_simple");
  Hid ds(H5Dcreate2(parent, name.c_str(), ft, space, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT),
         ("H5Dcreate2 " + name).c_str());
  if (n > 0)
    check_status(H5Dwrite(ds, mt, H5S_ALL, H5S_ALL, H5P_DEFAULT, rows.data()),
                 ("H5Dwrite " + name).c_str());
  describe(ds, description, layout);
  ds.close(("H5Dclose " + name).c_str());
}

}  // namespace suanwang::h5

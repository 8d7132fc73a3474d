// Internal: row layouts and extendible, chunked, compressed datasets that are
// appended in blocks (see hdf5_recorder.hpp). Not part of the public API.
#pragma once

#include <cstdint>
#include <deque>
#include <string>
#include <vector>

#include "sim/record/h5util.hpp"
#include "sim/record/run_format.hpp"

namespace suanwang::h5 {

using run_format::FieldKind;
using run_format::FieldSpec;

struct Field {
  std::string name;
  FieldKind kind;
  std::string units;
  std::string description;
  std::size_t width = 0;   // fixed_str only: bytes
  std::size_t offset = 0;  // in the memory record
};

// Memory layout of one compound record, built field by field.
class Layout {
 public:
  // Returns the field index. fixed_str: width in bytes (at least 1); the
  // spec's own width, when it has one, wins over `width`.
  std::size_t add(const FieldSpec& spec, std::size_t width = 0);
  std::size_t add(const std::string& name, FieldKind kind, const std::string& units,
                  const std::string& description, std::size_t width = 0);
  std::size_t size() const { return size_; }
  // Bytes of one memory record (mem_type()'s size, a RowBuffer row's
  // stride): the fields packed, as in the file, unless a vlen string's
  // pointer needs the stride aligned.
  std::size_t record_size() const;
  const std::vector<Field>& fields() const { return fields_; }
  Hid mem_type() const;
  Hid file_type() const;   // mem_type(), packed
  std::string units_csv() const;

 private:
  std::vector<Field> fields_;
  std::size_t size_ = 0;
  bool has_vlen_ = false;
};

// Rows of one Layout waiting to be written. Strings of vlen fields are kept
// alive here until clear().
class RowBuffer {
 public:
  explicit RowBuffer(const Layout* layout) : layout_(layout) {}
  void begin_row();
  void u64(std::size_t field, std::uint64_t v);
  void i32(std::size_t field, std::int32_t v);
  void u8(std::size_t field, std::uint8_t v);
  void f64(std::size_t field, double v);
  // fixed_str: throws std::logic_error when the text is wider than the field.
  void str(std::size_t field, const std::string& v);
  std::size_t rows() const { return rows_; }
  const Layout* layout() const { return layout_; }
  const void* data() const { return bytes_.data(); }
  void clear();

 private:
  unsigned char* at(std::size_t field) { return bytes_.data() + row_off_ + layout_->fields()[field].offset; }
  const Layout* layout_;
  std::vector<unsigned char> bytes_;
  std::deque<std::string> strings_;
  std::size_t rows_ = 0, row_off_ = 0;
};

// An extendible dataset: rank 1 (rows) or rank 2 (rows x cols), chunked by
// rows, deflate-compressed when compression > 0, grown by write().
class Appender {
 public:
  // rank 2 with cols == 0 is allowed (an empty column axis, e.g. no links).
  void create(hid_t parent, const std::string& name, hid_t mem_type, hid_t file_type, int rank,
              hsize_t cols, hsize_t chunk_rows, int compression);
  // Appends `rows` rows (rows x cols values when rank 2) from `data`.
  void write(const void* data, hsize_t rows);
  hid_t id() const { return ds_; }
  hsize_t rows() const { return rows_; }
  void close(const char* what) { ds_.close(what); mem_.close(what); }

 private:
  Hid ds_, mem_;
  hsize_t rows_ = 0, cols_ = 0;
  bool rank2_ = false;
};

// Writes the rows of `rows` as a new fixed-size compound dataset `name`
// under `parent`, with its description and units (small whole-run tables:
// center totals, sweep summaries; streamed tables use Appender).
void write_table(hid_t parent, const std::string& name, const Layout& layout, const RowBuffer& rows,
                 const std::string& description);

// Writes the `description` and `units` attributes every dataset carries; for
// a compound table also `units.<field>` and `description.<field>` per field.
void describe(hid_t ds, const std::string& description, const std::string& units);
void describe(hid_t ds, const std::string& description, const Layout& layout);

}  // namespace suanwang::h5

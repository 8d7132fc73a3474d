// h5::Layout: the memory record of a table is the file's record, so H5Dwrite
// copies rows without a compound conversion (the writer thread's cost).
#include "sim/record/h5table.hpp"

#include <gtest/gtest.h>
#include <hdf5.h>

#include <cstdint>
#include <cstring>

namespace suanwang::h5 {
namespace {

TEST(H5Layout, NumbersAndFixedStringsArePackedAsInTheFile) {
  Layout L;
  L.add("id", FieldKind::u64, "", "");
  L.add("kind", FieldKind::fixed_str, "", "", 9);  // odd width: the next field is unaligned
  L.add("n", FieldKind::i32, "", "");
  L.add("flag", FieldKind::u8, "", "");
  L.add("x_s", FieldKind::f64, "s", "");
  EXPECT_EQ(L.fields()[1].offset, 8u);
  EXPECT_EQ(L.fields()[2].offset, 17u);
  EXPECT_EQ(L.fields()[4].offset, 22u);
  EXPECT_EQ(L.record_size(), 30u);
  Hid mem = L.mem_type(), file = L.file_type();
  EXPECT_EQ(H5Tget_size(mem), 30u);
  // Equal types: HDF5 takes its no-op conversion path.
  EXPECT_GT(H5Tequal(mem, file), 0);
  RowBuffer b(&L);
  b.begin_row();
  b.f64(4, 1.5);
  b.begin_row();
  b.i32(2, -7);
  EXPECT_EQ(b.rows(), 2u);
  const auto* bytes = static_cast<const unsigned char*>(b.data());
  double x = 0;
  std::memcpy(&x, bytes + 22, sizeof x);
  EXPECT_EQ(x, 1.5);
  std::int32_t n = 0;
  std::memcpy(&n, bytes + 30 + 17, sizeof n);  // the second row starts at the record size
  EXPECT_EQ(n, -7);
}

TEST(H5Layout, AVlenStringKeepsItsPointerAndTheStrideAligned) {
  Layout L;
  L.add("flag", FieldKind::u8, "", "");
  L.add("name", FieldKind::vlen_str, "", "");
  L.add("tail", FieldKind::u8, "", "");
  EXPECT_EQ(L.fields()[1].offset % alignof(char*), 0u);
  EXPECT_EQ(L.record_size() % alignof(char*), 0u);
  EXPECT_GE(L.record_size(), L.fields()[2].offset + 1);
  Hid mem = L.mem_type();
  EXPECT_EQ(H5Tget_size(mem), L.record_size());
}

}  // namespace
}  // namespace suanwang::h5

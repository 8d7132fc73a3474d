// The seal of a result file: a checksum that lets `suanwang merge` and
// `suanwang sweep --resume` trust a file written by another process, on
// another day, maybe on another disk.
//
// Every result file (format 1.5 on) starts with a user block of kSealBytes
// that HDF5 skips: h5py, MATLAB, R, HDFView and h5dump read the file as
// usual. When the file is complete and closed, seal() writes one line of
// text into the block (NUL padded; `head -c 100 FILE` shows it):
//   suanwang result file; crc32 1a2b3c4d of bytes 512..1048576
// the CRC-32 of everything after the block and where the file ends.
// verify_seal() recomputes it before HDF5 opens the file: a bit flipped on a
// disk, a copy cut short or a file edited since (h5py mode "r+") is refused
// in one line, never handed to HDF5, which may crash on corrupt metadata.
// CRC-32 catches every error burst up to 32 bits and all but 2^-32 of the
// rest; it is no defence against a file forged to pass it (see README
// "Limits").
//
// Files of format 1.4 and earlier have no block (the HDF5 signature at byte
// 0): verify_seal() lets them through unverified.
#pragma once

#include <cstddef>
#include <string>

namespace suanwang {

// Size of the user block every result file is created with (a power of two
// >= 512, as HDF5 requires).
inline constexpr std::size_t kSealBytes = 512;

// Writes the seal of the closed file at `path` (created with a user block of
// kSealBytes). UserError naming `path` when it cannot be read or written.
void seal(const std::string& path);

// Checks the seal of `path`; UserError naming it when the file is not a
// result file, or its seal does not match its bytes.
void verify_seal(const std::string& path);

// Whether `path` starts like a result file: a seal line, or (format 1.4 and
// earlier) the HDF5 signature. Reads 8 bytes, checks nothing else.
bool looks_like_result_file(const std::string& path);

}  // namespace suanwang

#include "sim/record/result_seal.hpp"

#include <fcntl.h>
#include <unistd.h>
#include <zlib.h>

#include <cerrno>
#include <cinttypes>
#include <cstdio>
#include <cstring>
#include <vector>

#include "sim/core/user_error.hpp"

namespace suanwang {

namespace {

constexpr char kHdf5Signature[8] = {'\x89', 'H', 'D', 'F', '\r', '\n', '\x1a', '\n'};
constexpr const char* kSealPrefix = "suanwang result file; ";

// An open file descriptor, closed on every path.
class Fd {
 public:
  Fd(const std::string& path, int flags) : fd_(::open(path.c_str(), flags | O_CLOEXEC)) {}
  ~Fd() {
    if (fd_ >= 0) ::close(fd_);
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const { return fd_; }
  bool ok() const { return fd_ >= 0; }

 private:
  int fd_;
};

[[noreturn]] void fail_io(const std::string& path, const char* doing) {
  throw UserError(path, "", std::string("cannot ") + doing + ": " + std::strerror(errno));
}

// Reads up to n bytes at `offset`; the count read (short only at the end).
std::size_t read_at(const Fd& f, const std::string& path, char* buf, std::size_t n, off_t offset) {
  std::size_t got = 0;
  while (got < n) {
    const ssize_t r = ::pread(f.get(), buf + got, n - got, offset + static_cast<off_t>(got));
    if (r < 0 && errno == EINTR) continue;
    if (r < 0) fail_io(path, "read");
    if (r == 0) break;
    got += static_cast<std::size_t>(r);
  }
  return got;
}

struct Tail {
  std::uint32_t crc = 0;
  std::uint64_t end = 0;  // offset of the end of the file
};

// CRC-32 of the bytes after the user block, and where the file ends.
Tail checksum_after_block(const Fd& f, const std::string& path) {
  Tail t;
  t.crc = static_cast<std::uint32_t>(crc32(0L, Z_NULL, 0));
  std::vector<char> buf(1 << 20);
  off_t at = static_cast<off_t>(kSealBytes);
  for (;;) {
    const std::size_t n = read_at(f, path, buf.data(), buf.size(), at);
    if (n == 0) break;
    t.crc = static_cast<std::uint32_t>(
        crc32(t.crc, reinterpret_cast<const Bytef*>(buf.data()), static_cast<uInt>(n)));
    at += static_cast<off_t>(n);
  }
  t.end = static_cast<std::uint64_t>(at);
  return t;
}

std::string seal_line(const Tail& t) {
  char line[128];
  std::snprintf(line, sizeof line, "%scrc32 %08" PRIx32 " of bytes %zu..%" PRIu64 "\n", kSealPrefix,
                t.crc, kSealBytes, t.end);
  return line;
}

}  // namespace

void seal(const std::string& path) {
  Fd f(path, O_RDWR);
  if (!f.ok()) fail_io(path, "open to seal");
  const std::string line = seal_line(checksum_after_block(f, path));
  std::vector<char> block(kSealBytes, '\0');
  std::memcpy(block.data(), line.data(), line.size());
  std::size_t put = 0;
  while (put < block.size()) {
    const ssize_t w = ::pwrite(f.get(), block.data() + put, block.size() - put, static_cast<off_t>(put));
    if (w < 0 && errno == EINTR) continue;
    if (w < 0) fail_io(path, "write its seal");
    put += static_cast<std::size_t>(w);
  }
}

void verify_seal(const std::string& path) {
  Fd f(path, O_RDONLY);
  if (!f.ok()) fail_io(path, "open");
  char block[kSealBytes];
  const std::size_t n = read_at(f, path, block, sizeof block, 0);
  if (n >= sizeof kHdf5Signature && std::memcmp(block, kHdf5Signature, sizeof kHdf5Signature) == 0)
    return;  // format 1.4 or earlier: no seal to check
  const std::size_t prefix = std::strlen(kSealPrefix);
  if (n < prefix || std::memcmp(block, kSealPrefix, prefix) != 0)
    throw UserError(path, "", "is not a suanwang result file, or its first bytes are damaged");
  const void* nl = std::memchr(block, '\n', n);
  const std::string found(block, nl ? static_cast<const char*>(nl) - block + 1 : n);
  if (n < kSealBytes)
    throw UserError(path, "", "is corrupt: cut short (" + std::to_string(n) + " bytes)");
  const Tail t = checksum_after_block(f, path);
  if (found != seal_line(t)) {
    std::string got = seal_line(t);
    got.pop_back();
    throw UserError(path, "",
                    "is corrupt or was changed after suanwang wrote it (its seal does not match "
                    "its bytes, which give " + got.substr(prefix) + "); refusing to read it");
  }
}

bool looks_like_result_file(const std::string& path) {
  Fd f(path, O_RDONLY);
  if (!f.ok()) return false;
  char head[8] = {};
  if (::pread(f.get(), head, sizeof head, 0) != static_cast<ssize_t>(sizeof head)) return false;
  return std::memcmp(head, kHdf5Signature, sizeof head) == 0 || std::memcmp(head, kSealPrefix, sizeof head) == 0;
}

}  // namespace suanwang

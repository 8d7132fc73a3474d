#include "sim/core/malloc_tuning.hpp"

#include <cstdlib>  // defines __GLIBC__ (through <features.h>) where it applies

#if defined(__GLIBC__)
#include <malloc.h>
#endif

namespace suanwang {

void keep_large_buffers() {
#if defined(__GLIBC__)
  constexpr int kMmapThreshold_B = 16 << 20;  // above: a fresh mapping (and its page faults) each time
  constexpr int kTrimThreshold_B = 64 << 20;  // free memory an arena keeps before giving it back
  mallopt(M_MMAP_THRESHOLD, kMmapThreshold_B);
  mallopt(M_TRIM_THRESHOLD, kTrimThreshold_B);
#endif
}

}  // namespace suanwang

// keep_large_buffers: tell glibc's malloc to keep the multi-megabyte buffers
// a run allocates and frees over and over, instead of handing them back to
// the kernel at every free.
//
// Why: the job table is written in chunks of 4,096 rows (~2 MiB); for each
// chunk HDF5 and its deflate filter allocate and free buffers of that size.
// With glibc's defaults those come from mmap (or from the top of a thread's
// arena, trimmed at each free), so every chunk faults its pages in again:
// at 1M jobs (national_1m, flat pools) 1.3 s of system time and ~0.6 s of
// user time, a fifth of the run's CPU (bench/PROFILE.md, round 6). With large
// buffers kept below 16 MiB on the heap and at most 64 MiB of free memory
// retained per arena, the run takes 7.8 CPU s instead of 9.6 (0.2 s in the
// kernel); peak RSS grows by ~3 MiB.
//
// Call once at the start of main(), before any thread starts. Process-wide
// (it is malloc's configuration, not state of ours); no effect on results.
#pragma once

namespace suanwang {

void keep_large_buffers();

}  // namespace suanwang

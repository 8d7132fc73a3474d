// ServerView: what a policy may read about the servers of a pool made of
// servers (the `bind` hook's view). The engine implements it over its node
// pools; NetState's PoolState points to it (nullptr for a flat pool).
// Indices are 0-based here; Lua sees them 1-based. Read-only, and valid only
// during the hook call that received it.
#pragma once

#include "sim/core/job.hpp"

namespace suanwang {

class ServerView {
 public:
  virtual ~ServerView() = default;
  virtual int servers() const = 0;
  virtual int gpus(int server) const = 0;
  virtual double gpu_free(int server, int gpu) const = 0;  // chips, 0..1
  virtual double cpu_free(int server) const = 0;           // cores; +inf when not modelled
  virtual double memory_free(int server) const = 0;        // bytes; +inf when not modelled
};

}  // namespace suanwang

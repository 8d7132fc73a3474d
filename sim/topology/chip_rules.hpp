// can_run: whether a chip constraint admits an accelerator. One rule for the
// engine (which pool may take a job) and the policy bridge (which centers a
// score-only policy may see, what net.room() offers, the per-constraint
// aggregates of a center view), so they can never disagree.
#pragma once

#include <string_view>

#include "sim/core/job.hpp"
#include "sim/topology/topology.hpp"

namespace suanwang::topo {

// `chip` matters only for ChipRequirement::specific.
inline bool can_run(ChipRequirement req, std::string_view chip, const Accelerator& acc) {
  switch (req) {
    case ChipRequirement::any: return true;
    case ChipRequirement::cuda: return acc.cuda;
    case ChipRequirement::domestic: return acc.domestic();
    case ChipRequirement::specific: return acc.id == chip;
  }
  return false;
}

inline bool can_run(const Job& job, const Accelerator& acc) {
  return can_run(job.chip_requirement, job.chip, acc);
}

}  // namespace suanwang::topo

// can_run: whether a job's chip constraint admits an accelerator. One rule
// for the engine (which pool may take a job) and the policy bridge (which
// centers a score-only policy may see), so the two can never disagree.
#pragma once

#include "sim/core/job.hpp"
#include "sim/topology/topology.hpp"

namespace suanwang::topo {

inline bool can_run(const Job& job, const Accelerator& acc) {
  switch (job.chip_requirement) {
    case ChipRequirement::any: return true;
    case ChipRequirement::cuda: return acc.cuda;
    case ChipRequirement::domestic: return acc.domestic();
    case ChipRequirement::specific: return acc.id == job.chip;
  }
  return false;
}

}  // namespace suanwang::topo

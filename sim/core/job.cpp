#include "sim/core/job.hpp"

namespace suanwang {

const char* to_string(JobKind kind) {
  switch (kind) {
    case JobKind::training: return "training";
    case JobKind::finetune: return "finetune";
    case JobKind::inference: return "inference";
  }
  return "?";
}

const char* to_string(JobStatus status) {
  switch (status) {
    case JobStatus::completed: return "completed";
    case JobStatus::failed: return "failed";
    case JobStatus::rejected: return "rejected";
    case JobStatus::unfinished: return "unfinished";
  }
  return "?";
}

const char* to_string(ChipRequirement req) {
  switch (req) {
    case ChipRequirement::any: return "any";
    case ChipRequirement::cuda: return "cuda";
    case ChipRequirement::domestic: return "domestic";
    case ChipRequirement::specific: return "specific";
  }
  return "?";
}

bool parse_job_kind(std::string_view text, JobKind* out) {
  if (text == "training") *out = JobKind::training;
  else if (text == "finetune") *out = JobKind::finetune;
  else if (text == "inference") *out = JobKind::inference;
  else return false;
  return true;
}

bool parse_chip_requirement(std::string_view text, ChipRequirement* out) {
  if (text == "any") *out = ChipRequirement::any;
  else if (text == "cuda") *out = ChipRequirement::cuda;
  else if (text == "domestic") *out = ChipRequirement::domestic;
  else if (text == "specific") *out = ChipRequirement::specific;
  else return false;
  return true;
}

}  // namespace suanwang

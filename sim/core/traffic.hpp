// Traffic: why bytes cross the backbone, and how much went where.
//
// Every transfer the engine starts names its purpose, so a run can report a
// traffic matrix between cities split by cause (a policy that moves jobs to
// their data and one that moves data to the jobs differ exactly there).
#pragma once

#include <cstdint>
#include <string_view>

namespace suanwang {

enum class TrafficPurpose : std::uint8_t {
  dataset = 0,     // a job's input staged before it starts
  result = 1,      // a job's output sent back to its origin
  cache_fill = 2,  // a dataset copied into a center's cache (shared by its jobs)
  stream = 3,      // a job reading its input from storage while it runs
  sync = 4,        // gradient exchange between the parts of a multi-center job
};
inline constexpr int kTrafficPurposes = 5;

const char* to_string(TrafficPurpose purpose);
// False when text is not one of the names to_string gives.
bool parse_traffic_purpose(std::string_view text, TrafficPurpose* out);

// Bytes that crossed from city src to city dst for one purpose (whole run).
struct TrafficCell {
  int src = -1, dst = -1;  // city indices
  TrafficPurpose purpose = TrafficPurpose::dataset;
  double bytes = 0;
};

}  // namespace suanwang

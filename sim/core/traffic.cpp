#include "sim/core/traffic.hpp"

namespace suanwang {

const char* to_string(TrafficPurpose purpose) {
  switch (purpose) {
    case TrafficPurpose::dataset: return "dataset";
    case TrafficPurpose::result: return "result";
    case TrafficPurpose::cache_fill: return "cache_fill";
    case TrafficPurpose::stream: return "stream";
    case TrafficPurpose::sync: return "sync";
  }
  return "?";
}

bool parse_traffic_purpose(std::string_view text, TrafficPurpose* out) {
  for (int p = 0; p < kTrafficPurposes; ++p) {
    const auto purpose = static_cast<TrafficPurpose>(p);
    if (text == to_string(purpose)) {
      *out = purpose;
      return true;
    }
  }
  return false;
}

}  // namespace suanwang

#include "sim/core/span.hpp"

#include <algorithm>

namespace suanwang {

const char* to_string(AllReduce a) {
  switch (a) {
    case AllReduce::hierarchical: return "hierarchical";
    case AllReduce::ring: return "ring";
  }
  return "?";
}

bool parse_allreduce(std::string_view text, AllReduce* out) {
  if (text == "hierarchical") *out = AllReduce::hierarchical;
  else if (text == "ring") *out = AllReduce::ring;
  else return false;
  return true;
}

SyncPerIteration sync_per_iteration(const SpanSpec& span, int parts, double gpus) {
  SyncPerIteration s;
  if (parts < 2 || !span.enabled()) return s;
  const double m = parts;
  if (span.allreduce == AllReduce::hierarchical) {
    s.bytes_per_hop_B = 2.0 * (m - 1) / m * span.gradient_B;
    s.latency_steps = 2 * (parts - 1);
  } else {
    const double g = std::max(gpus, m);
    s.bytes_per_hop_B = 2.0 * (g - 1) / g * span.gradient_B;
    s.latency_steps = 2 * parts;
  }
  return s;
}

double quiet_iteration_s(const SpanSpec& span, int parts, double gpus, double compute_s, double hop_Bps,
                         double hop_latency_s) {
  const SyncPerIteration s = sync_per_iteration(span, parts, gpus);
  const double comm = s.latency_steps * hop_latency_s + s.bytes_per_hop_B / hop_Bps;
  return compute_s * (1 - span.overlap) + std::max(compute_s * span.overlap, comm);
}

}  // namespace suanwang

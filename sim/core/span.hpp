// Span: what a data-parallel training job needs to run over several centers,
// and what one iteration of it sends over the backbone.
//
// A job may be split into parts, one per center, each running a share of its
// GPUs (whole TP x PP replicas stay inside a center). Every iteration the
// parts then exchange their gradients over the backbone. The exchange is
// modelled with the alpha-beta cost of a ring (Thakur, Rabenseifner & Gropp,
// IJHPCA 19(1), 2005; the busbw factors of NVIDIA nccl-tests,
// doc/PERFORMANCE.md): see docs/cross_center_training.md for the sources and
// the comparison with published cross-datacenter trials.
//
//  - hierarchical (NVIDIA NeMo's multi-datacenter all-reduce): reduce-scatter
//    inside each center, an all-reduce of the shards between the m parts,
//    all-gather inside each center. The intra-center phases are already in
//    the single-center iteration time; over the backbone each part sends
//    2(m-1)/m x gradient bytes to the next part of a ring of parts, in
//    2(m-1) latency-bound steps.
//  - ring (one flat ring over all G GPUs, each part's GPUs contiguous): every
//    boundary between consecutive parts carries 2(G-1)/G x gradient bytes; a
//    pipelined ring pays each boundary's latency once per phase (reduce-
//    scatter, all-gather), 2m steps on the critical path.
//
// Units SI. Pure functions: no engine, no SimGrid.
#pragma once

#include <cstdint>
#include <string_view>

namespace suanwang {

enum class AllReduce : std::uint8_t { hierarchical = 0, ring = 1 };

const char* to_string(AllReduce a);
// False when text is not one of the names to_string gives.
bool parse_allreduce(std::string_view text, AllReduce* out);

// The span parameters of a training job (workload key `span`). A job without
// them (gradient_B == 0) runs in one center only.
struct SpanSpec {
  double gradient_B = 0;    // bytes all-reduced per iteration (parameters x bytes per gradient value)
  double iteration_s = 0;   // one iteration on the reference chip with all its GPUs in one center,
                            // intra-center all-reduce included
  double overlap = 0;       // 0..1: fraction of an iteration's compute the backbone exchange may
                            // run behind (0: exposed, after the compute; 1: fully overlapped)
  AllReduce allreduce = AllReduce::hierarchical;

  bool enabled() const { return gradient_B > 0; }
};

// What one iteration of a job of `gpus` GPUs split into `parts` (>= 2) parts
// sends over the backbone: part i sends bytes_per_hop_B to part i+1 (mod
// parts), and the exchange pays latency_steps one-way latencies of that hop.
struct SyncPerIteration {
  double bytes_per_hop_B = 0;
  int latency_steps = 0;
};
SyncPerIteration sync_per_iteration(const SpanSpec& span, int parts, double gpus);

// One iteration on a quiet backbone where every hop has bandwidth `hop_Bps`
// and one-way latency `hop_latency_s`, with compute `compute_s` (the single-
// center iteration time on the slowest part): compute_s x (1 - overlap) +
// max(compute_s x overlap, steps x latency + bytes / bandwidth). The engine
// simulates the same thing with flows that share links; tests and the
// documentation's worked example use this closed form.
double quiet_iteration_s(const SpanSpec& span, int parts, double gpus, double compute_s, double hop_Bps,
                         double hop_latency_s);

}  // namespace suanwang

// Random streams and origin sampling shared by generators and trace readers.
//
// Every workload entry draws from its own Rng, seeded by
//   stream_seed(seed, domain, index) = splitmix64(splitmix64(seed ^ splitmix64(domain)) + index)
// with domain kGeneratorStream for generators (index = position in
// WorkloadSpec::generators) and kTraceStream for traces (index = position in
// WorkloadSpec::traces). An entry's stream therefore depends only on the seed,
// its kind and its own position: adding a generator changes no other
// generator's jobs, and adding generators never changes the traces' origins.
// splitmix64 (Steele, Lea, Flood 2014) decorrelates nearby seeds before they
// reach the Mersenne twister, whose seeding from close integers is weak.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "sim/workload/distribution.hpp"
#include "sim/topology/topology.hpp"

namespace suanwang::workload_detail {

inline constexpr std::uint64_t kGeneratorStream = 0x67656e6572617465ULL;  // "generate"
inline constexpr std::uint64_t kTraceStream = 0x7472616365726561ULL;      // "tracerea"

inline std::uint64_t splitmix64(std::uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

inline std::uint64_t stream_seed(std::uint64_t seed, std::uint64_t domain, std::uint64_t index) {
  return splitmix64(splitmix64(seed ^ splitmix64(domain)) + index);
}

// A draw of an index in proportion to non-negative weights: a cumulative
// table and a binary search, one uniform per draw. Entries of weight 0 are
// never drawn. Empty (every weight 0) draws nothing: check empty() first.
class WeightedIndex {
 public:
  WeightedIndex() = default;
  explicit WeightedIndex(const std::vector<double>& weights);
  bool empty() const { return index_.empty(); }
  int draw(Rng& rng) const;

 private:
  std::vector<double> cumulative_;
  std::vector<int> index_;  // parallel to cumulative_
};

// Origin cities: either one pinned city, or a draw proportional to the
// topology's demand weights (cumulative table, binary search; one uniform
// per draw). Throws UserError at construction when a draw is needed and no
// city has a positive weight, or the pinned city is out of range.
class OriginSampler {
 public:
  OriginSampler(const topo::Topology& topo, int pinned, const std::string& who);
  int draw(Rng& rng) const;  // consumes no randomness when pinned
  bool pinned() const { return pinned_ >= 0; }

 private:
  int pinned_ = -1;
  WeightedIndex cities_;
};

// Range check for a city index given in a spec (-1 allowed).
void check_city(const topo::Topology& topo, int city, const std::string& who, const char* field);

}  // namespace suanwang::workload_detail

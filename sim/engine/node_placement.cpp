#include "sim/engine/node_placement.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace suanwang::engine {

namespace {

constexpr std::int64_t kMaxScore = 100;      // framework.MaxNodeScore
constexpr double kMaxSpecCpu_milli = 128000; // gpushareutils.MaxSpecCpu
constexpr int kMaxSpecGpus = 8;              // gpushareutils.MaxSpecGpu / 1000

// CPU left as the scores see it: a server without a CPU limit counts as full.
double cpu_for_score(const NodePool& pool, int s) {
  return std::min(static_cast<double>(pool.cpu_left(s)), kMaxSpecCpu_milli);
}

double max_gpu_units(const NodePool& pool) { return static_cast<double>(kMaxSpecGpus) * pool.slices(); }

std::int64_t requested_units(const NodeRequest& req) { return req.gpus * req.gpu_units; }

// Min-max normalisation to 0..100 with integer division; all equal -> 0.
void normalise(std::vector<std::int64_t>& scores) {
  const auto [lo, hi] = std::minmax_element(scores.begin(), scores.end());
  const std::int64_t l = *lo, h = *hi;
  for (std::int64_t& x : scores) x = h == l ? 0 : (x - l) * kMaxScore / (h - l);
}

std::int64_t best_fit_raw(const NodePool& pool, int s, const NodeRequest& req) {
  const double cpu_term = (cpu_for_score(pool, s) - static_cast<double>(req.cpu_milli)) / kMaxSpecCpu_milli * 0.5;
  const double gpu_term =
      static_cast<double>(pool.gpu_left(s) - requested_units(req)) / max_gpu_units(pool) * 0.5;
  return static_cast<std::int64_t>((1.0 - ((0.0 + cpu_term) + gpu_term)) * static_cast<double>(kMaxScore));
}

std::int64_t dot_product_score(const NodePool& pool, int s, const NodeRequest& req) {
  const double n0 = cpu_for_score(pool, s) / kMaxSpecCpu_milli;
  const double n1 = static_cast<double>(pool.gpu_left(s)) / max_gpu_units(pool);
  const double p0 = static_cast<double>(req.cpu_milli) / kMaxSpecCpu_milli;
  const double p1 = static_cast<double>(requested_units(req)) / max_gpu_units(pool);
  const double dot = (0.0 + n0 * p0) + n1 * p1;
  return static_cast<std::int64_t>(static_cast<double>(kMaxScore) * (1.0 - dot / 2.0));
}

// The free units of the GPU a share would take: the tightest that fits.
int tightest_gpu(const NodePool& pool, int s, std::int64_t units) {
  int best = -1;
  for (int g = 0; g < pool.gpus(s); ++g)
    if (pool.gpu_left(s, g) >= units && (best < 0 || pool.gpu_left(s, g) < pool.gpu_left(s, best))) best = g;
  return best;
}

std::int64_t packing_score(const NodePool& pool, int s, const NodeRequest& req) {
  if (req.gpus == 0) return 0;
  const std::int64_t full = pool.slices();
  int free = 0;
  for (int g = 0; g < pool.gpus(s); ++g) free += pool.gpu_left(s, g) == full;
  if (free == pool.gpus(s)) return std::max<std::int64_t>(kMaxScore / 3 - free, free);  // an idle server
  if (req.share()) {
    const std::int64_t chosen = pool.gpu_left(s, tightest_gpu(pool, s, req.gpu_units));
    if (chosen == full) return std::max<std::int64_t>(kMaxScore / 2 - 1, kMaxScore / 3);
    const std::int64_t ratio = chosen * 100 / full;
    return std::max<std::int64_t>(kMaxScore - ratio / 10, kMaxScore / 2);
  }
  return std::max<std::int64_t>(kMaxScore / 2 - req.gpus, kMaxScore / 3);
}

// int64(sigmoid(delta / 1000) x 100), delta in milli-GPUs: FGD's node score.
std::int64_t sigmoid_score(double delta_units, int slices) {
  const double delta_milli = delta_units * 1000.0 / slices;
  return static_cast<std::int64_t>(1.0 / (1.0 + std::exp(-(delta_milli / 1000.0))) * static_cast<double>(kMaxScore));
}

}  // namespace

NodePlacer::NodePlacer(NodePolicy policy, int servers, std::uint64_t seed) : policy_(policy), rng_(seed) {
  rank_.resize(static_cast<std::size_t>(servers));
  std::iota(rank_.begin(), rank_.end(), 0u);
  std::shuffle(rank_.begin(), rank_.end(), rng_);
}

NodePlacer::NodePlacer(NodePolicy policy, std::vector<std::uint32_t> rank, std::uint64_t seed)
    : policy_(policy), rank_(std::move(rank)), rng_(seed) {}

std::uint64_t NodePlacer::whole_gpus(const NodePool& pool, int s, int count) const {
  std::uint64_t mask = 0;
  for (int g = 0; g < pool.gpus(s) && count > 0; ++g)
    if (pool.gpu_left(s, g) == pool.slices()) {
      mask |= std::uint64_t{1} << g;
      --count;
    }
  return mask;
}

bool NodePlacer::choose_gang(const NodePool& pool, const NodeRequest& req, const std::vector<char>* avoid,
                             NodeAllocation* out) {
  feasible_.clear();
  for (int s = 0; s < pool.servers(); ++s)
    if (pool.empty(s) && pool.gpus(s) > 0 && !(avoid && (*avoid)[s])) feasible_.push_back(s);
  if (static_cast<int>(feasible_.size()) < req.gang_servers) return false;
  if (policy_ == NodePolicy::random_fit) std::shuffle(feasible_.begin(), feasible_.end(), rng_);
  else  // only the first gang_servers by rank are taken: sort just those (ranks are distinct)
    std::partial_sort(feasible_.begin(), feasible_.begin() + req.gang_servers, feasible_.end(),
                      [&](int a, int b) { return rank_[a] < rank_[b]; });
  out->servers.assign(feasible_.begin(), feasible_.begin() + req.gang_servers);
  out->gpu_mask = 0;
  return true;
}

void NodePlacer::score(const NodePool& pool, const NodeRequest& req, const std::vector<WorkloadShape>& mix) {
  scores_.assign(feasible_.size(), 0);
  fgd_gpu_.assign(feasible_.size(), -1);
  switch (policy_) {
    case NodePolicy::random_fit:
      scores_[std::uniform_int_distribution<std::size_t>(0, feasible_.size() - 1)(rng_)] = kMaxScore;
      return;
    case NodePolicy::best_fit:
    case NodePolicy::worst_fit:
      for (std::size_t i = 0; i < feasible_.size(); ++i) {
        const std::int64_t raw = best_fit_raw(pool, feasible_[i], req);
        scores_[i] = policy_ == NodePolicy::best_fit ? raw : kMaxScore - raw;
      }
      normalise(scores_);
      return;
    case NodePolicy::dot_product:
      for (std::size_t i = 0; i < feasible_.size(); ++i) scores_[i] = dot_product_score(pool, feasible_[i], req);
      return;
    case NodePolicy::packing:
      for (std::size_t i = 0; i < feasible_.size(); ++i) scores_[i] = packing_score(pool, feasible_[i], req);
      return;
    case NodePolicy::fgd: {
      // pick_gpu is a function of the server's free capacity: every empty
      // server of one size gets the same score and GPU, computed once (most
      // of a pool's feasible servers are empty ones; the results are the same).
      using Empty = EmptyScore;
      std::vector<Empty>& memo = empty_scores_;
      memo.clear();
      for (std::size_t i = 0; i < feasible_.size(); ++i) {
        const int s = feasible_[i];
        const Empty* hit = nullptr;
        if (pool.empty(s)) {
          for (const Empty& e : memo)
            if (e.gpus == pool.gpus(s) && e.cpu == pool.cpu_left(s)) hit = &e;
          if (!hit) {
            const int g = pick_gpu(pool, s, req, mix);
            memo.push_back({pool.gpus(s), pool.cpu_left(s), last_fgd_score_, g});
            hit = &memo.back();
          }
          fgd_gpu_[i] = hit->gpu;
          scores_[i] = hit->score;
          continue;
        }
        fgd_gpu_[i] = pick_gpu(pool, s, req, mix);
        scores_[i] = last_fgd_score_;
      }
      return;
    }
  }
}

int NodePlacer::pick_gpu(const NodePool& pool, int s, const NodeRequest& req, const std::vector<WorkloadShape>& mix) {
  if (policy_ != NodePolicy::fgd) {
    if (policy_ == NodePolicy::random_fit) {  // reservoir sampling over the fitting GPUs
      int count = 0, pick = -1;
      for (int g = 0; g < pool.gpus(s); ++g)
        if (pool.gpu_left(s, g) >= req.gpu_units &&
            std::uniform_int_distribution<int>(0, count++)(rng_) == 0)
          pick = g;
      return pick;
    }
    // Tightest fitting GPU (roomiest for worst_fit), lowest index on ties.
    const bool roomiest = policy_ == NodePolicy::worst_fit;
    int best = -1;
    for (int g = 0; g < pool.gpus(s); ++g) {
      const std::int64_t left = pool.gpu_left(s, g);
      if (left < req.gpu_units) continue;
      if (best < 0 || (roomiest ? left > pool.gpu_left(s, best) : left < pool.gpu_left(s, best))) best = g;
    }
    return best;
  }
  // FGD: the change of the server's fragmentation if the request lands on
  // GPU g (a share) or on its first free GPUs (whole GPUs).
  std::int64_t left[kMaxGpusPerServer];
  const int G = pool.gpus(s);
  for (int g = 0; g < G; ++g) left[g] = pool.gpu_left(s, g);
  const double before = pool.fragmentation(s, mix);
  const std::int64_t cpu_after = pool.cpu_left(s) - req.cpu_milli;
  if (!req.share()) {
    const std::uint64_t mask = whole_gpus(pool, s, req.gpus);
    for (int g = 0; g < G; ++g)
      if (mask >> g & 1) left[g] -= req.gpu_units;
    last_fgd_score_ = sigmoid_score(before - pool.fragmentation(left, G, cpu_after, mix), pool.slices());
    return -1;
  }
  int best = -1;
  std::int64_t best_score = -1;
  for (int g = 0; g < G; ++g) {
    if (left[g] < req.gpu_units) continue;
    // A server's fragmentation depends on its GPUs' free units as a multiset
    // (unusable_units sums and counts them): a GPU with as many free units as
    // an earlier one it was tried on leaves the same multiset, the same
    // score, and the earlier GPU wins the tie. Skip it.
    bool seen = false;
    for (int h = 0; h < g && !seen; ++h) seen = left[h] == left[g];
    if (seen) continue;
    left[g] -= req.gpu_units;
    const std::int64_t sc = sigmoid_score(before - pool.fragmentation(left, G, cpu_after, mix), pool.slices());
    left[g] += req.gpu_units;
    if (sc > best_score) {  // first GPU with the highest score
      best_score = sc;
      best = g;
    }
  }
  last_fgd_score_ = best_score;
  return best;
}

bool NodePlacer::choose_gang_indexed(const ServerIndex& index, const NodeRequest& req,
                                     NodeAllocation* out) {
  // The lowest-ranked empty servers: at most gang_servers from each class of
  // empty servers, then the lowest of those (as choose_gang's partial sort).
  const auto k = static_cast<std::size_t>(req.gang_servers);
  std::vector<ServerIndex::Member> pick;
  std::size_t empty = 0;
  index.for_each([&](const ServerIndex::Class& c) {
    if (!c.gang_ready()) return;
    empty += c.size();
    c.lowest(k, &pick);
  });
  if (empty < k) return false;
  std::partial_sort(pick.begin(), pick.begin() + static_cast<std::ptrdiff_t>(k), pick.end());
  out->servers.clear();
  for (std::size_t i = 0; i < k; ++i) out->servers.push_back(pick[i].second);
  out->gpu_mask = 0;
  return true;
}

bool NodePlacer::choose_indexed(const NodePool& pool, const ServerIndex& index, const NodeRequest& req,
                                const std::vector<WorkloadShape>& mix, NodeAllocation* out) {
  // One candidate per class where the request fits: its lowest-ranked
  // server, the one a scan would keep among equal scores.
  feasible_.clear();
  std::size_t servers = 0;
  index.for_each([&](const ServerIndex::Class& c) {
    if (!c.fits(req)) return;
    feasible_.push_back(c.any());
    servers += c.size();
  });
  if (feasible_.empty()) return false;
  // Each candidate scores as every server of its class.
  choose_feasible(pool, req, mix, servers > 1, out);
  return true;
}

bool NodePlacer::choose(const NodePool& pool, const NodeRequest& req, const std::vector<WorkloadShape>& mix,
                        const std::vector<char>* avoid, NodeAllocation* out, const ServerIndex* index) {
  if (index != nullptr && avoid == nullptr && policy_ != NodePolicy::random_fit)
    return req.gang_servers > 0 ? choose_gang_indexed(*index, req, out) : choose_indexed(pool, *index, req, mix, out);
  if (req.gang_servers > 0) return choose_gang(pool, req, avoid, out);
  feasible_.clear();
  for (int s = 0; s < pool.servers(); ++s)
    if (!(avoid && (*avoid)[s]) && pool.fits(s, req)) feasible_.push_back(s);
  if (feasible_.empty()) return false;
  choose_feasible(pool, req, mix, feasible_.size() > 1, out);
  return true;
}

// The best of feasible_ (not empty): the highest score, ties to the lowest
// rank; a single feasible server is not scored (as in Kubernetes), so
// `several` says whether there is more than one (servers, not classes).
void NodePlacer::choose_feasible(const NodePool& pool, const NodeRequest& req, const std::vector<WorkloadShape>& mix,
                                 bool several, NodeAllocation* out) {
  std::size_t best = 0;
  if (several) {
    score(pool, req, mix);
    for (std::size_t i = 1; i < feasible_.size(); ++i)
      if (scores_[i] > scores_[best] || (scores_[i] == scores_[best] && rank_[feasible_[i]] < rank_[feasible_[best]]))
        best = i;
  } else {
    fgd_gpu_.assign(1, -1);
    if (policy_ == NodePolicy::fgd && req.share()) fgd_gpu_[0] = pick_gpu(pool, feasible_[0], req, mix);
  }
  const int s = feasible_[best];
  if (policy_ == NodePolicy::fgd && req.share()) {  // FGD's GPU came with its score, on s itself
    out->servers.assign(1, s);
    out->gpu_mask = std::uint64_t{1} << fgd_gpu_[best];
    return;
  }
  place_on(pool, req, mix, s, out);
}

void NodePlacer::place_on(const NodePool& pool, const NodeRequest& req, const std::vector<WorkloadShape>& mix, int s,
                          NodeAllocation* out) {
  out->servers.assign(1, s);
  if (req.gpus == 0) out->gpu_mask = 0;
  else if (!req.share()) out->gpu_mask = whole_gpus(pool, s, req.gpus);
  else out->gpu_mask = std::uint64_t{1} << pick_gpu(pool, s, req, mix);
}

}  // namespace suanwang::engine

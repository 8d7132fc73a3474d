// LuaPolicy: a Policy implemented by a sandboxed Lua module.
//
// The module (policies/README.md is the reference) returns a table of hooks:
//   place(job, net)            -> nil | center name | center view [, pool] | "reject", reason
//                                 | { parts = { {center =, gpus = [, pool =]}, ... } } (spanning jobs)
//   score(job, center, net)    -> number (higher is better) | nil / -inf (infeasible)
//   order(queue, center, net, pool) -> permutation of 1-based indices into queue
//   on_finish(job, net), on_tick(net)
//   bind(job, pool, feasible)  -> a server index from `feasible`, or nil (the
//                                 scenario's node_placement decides); pools
//                                 made of servers only (pool.server(i) reads one)
// `place` or `score` is required; with only `score`, place = argmax over the
// eligible centers (ties: lowest center index), and place_batch evaluates the
// (job x center) matrix in parallel, one Sandbox per TBB worker, giving exactly
// the serial decisions (score must be pure: no module state, no math.random).
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "sim/policy/policy.hpp"
#include "sim/lua/lua_sandbox.hpp"
#include "sim/scenario/scenario.hpp"

namespace suanwang {

class LuaPolicy : public Policy {
 public:
  LuaPolicy(std::string path, std::string name, std::map<std::string, ParamValue> params,
            lua::SandboxOptions options, const topo::Topology& topology);
  ~LuaPolicy() override;

  std::string name() const override { return name_; }
  std::string hook_origin(const std::string& hook) const override;
  const std::string& path() const { return path_; }

  Placement place(const Job& job, const NetState& net) override;
  std::vector<Placement> place_batch(const std::vector<const Job*>& jobs,
                                     const NetState& net) override;
  bool has_order() const override;
  std::vector<int> order(const std::vector<const Job*>& queue, int pool,
                         const NetState& net) override;
  void on_finish(const FinishedJob& job, const NetState& net) override;
  bool has_on_tick() const override;
  void on_tick(const NetState& net) override;
  bool has_bind() const override;
  int bind(const Job& job, int pool, const std::vector<int>& feasible, const NetState& net) override;

  bool has_place() const;
  bool has_score() const;

  struct Runtime;  // one Sandbox with the module loaded (public for the .cpp helpers)

 private:
  std::unique_ptr<Runtime> make_runtime() const;
  Runtime& worker();
  Placement place_by_score(Runtime& r, const Job& job, const NetState& net);
  void score_row(Runtime& r, const Job& job, const NetState& net, double* row);
  Placement choose(const Job& job, const NetState& net, const double* row) const;
  // What place() returned, at stack index `base` (center) and base + 1 (pool).
  Placement read_placement(Runtime& r, const Job& job, int base);
  int read_center(Runtime& r, const Job& job, int index, const std::string& subject = {});
  int read_pool(Runtime& r, const Job& job, int index, int center, const std::string& subject = {});
  // The `parts` list of a multi-center placement (stack index `parts`).
  void read_parts(Runtime& r, const Job& job, int parts, Placement* p);
  void check_keys(Runtime& r, const Job& job, int index, const std::vector<std::string>& allowed,
                  const std::string& subject);
  std::string place_call(const Job& job) const;  // "file:line: place(job 7)", for messages
  void call(Runtime& r, int nargs, int nresults, const char* hook, std::uint64_t job_id,
            int center = -1, const std::string& extra = {});
  bool eligible(const Job& job, const NetState& net, int center) const;

  std::string path_, name_;
  std::map<std::string, ParamValue> params_;
  lua::SandboxOptions options_;
  const topo::Topology& topology_;
  std::unique_ptr<Runtime> main_;
  struct Workers;
  std::unique_ptr<Workers> workers_;
};

}  // namespace suanwang

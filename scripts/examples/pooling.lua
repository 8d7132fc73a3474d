-- GPU pooling inside a center: what is the vendors' "pooling raises GPU
-- utilisation" worth for the national inference mix?
--
-- Question: a center's accelerators sit in 8-chip servers. Node-bound (today)
-- a job's vGPU share must come from one chip, and its chips from one server;
-- pooled (remote vGPU over the center network, as Huawei's Flex:ai or the
-- vendors' "compute pooling" sell it) a job may take free shares from any
-- server, at a cost. How much does pooling raise the GPU utilisation the
-- center reaches, and cut waiting, against node-bound placement with best fit
-- and with fragmentation gradient descent (fgd)? And what overhead wipes the
-- gain out?
--
-- The center: Wuhan's 1,536 Ascend 910B (its pool in the first data set; the
-- 2025 network gives Wuhan more) as 192 servers of 8; its other chips are
-- left out. The work: the batch-inference generator of national_week.lua
-- (shares of 1/4 and 1/2 chip and whole chips, 20 minutes on average; one
-- home for the mix), pinned to Wuhan with its users there, at
-- 7,200 jobs an hour under the national diurnal curve: 0.5 chip x 19.5 min
-- (20 min on the A100 reference) per job is 76% of the center's chips on
-- average and 118% at the evening peak, so the center is full every evening.
-- Jobs ask nothing of the servers' CPUs or memory.
--
-- Run it as a sweep (2 x 2 x 2 points x 3 seeds; a pooled run ignores
-- node_placement and a node-bound run ignores pooling_slowdown, so half the
-- points repeat another: report.py draws each variant once and the findings
-- test checks that the repeats are identical):
--   build/suanwang sweep scripts/examples/pooling.lua -j 2 -o pooling.h5
--   /usr/bin/python3 scripts/report.py pooling.h5 -o pooling_report/
-- (pooling.png and the pooling table in summary.md).
local week = require "national_week"

local mix = {}
for k, v in pairs(week.workload[3]) do mix[k] = v end  -- batch inference
assert(mix.kind == "inference", "national_week.lua's third generator is no longer batch inference")
mix.center = "Wuhan"
mix.origin = "Wuhan"
mix.rate = "7200/h"

return {
  topology = "china-2023",  -- the first data set: the README's figures were derived on it
  name = "pooling",
  duration = "1d",
  seed = 1,
  local_queue = week.local_queue,
  reference_chip = week.reference_chip,
  sample_interval = "10min",
  node_placement = "best_fit",
  gpu_sharing = "node_bound",
  pooling_slowdown = 0,
  centers = { Wuhan = { pools = "ascend-910b:192x8" } },
  workload = { mix },
  sweep = {
    axes = { gpu_sharing = { "node_bound", "pooled" },
             node_placement = { "best_fit", "fgd" },
             pooling_slowdown = { 0, 0.05 } },
    replications = 3,
  },
}

-- Online/offline colocation: batch work riding on the troughs of the two
-- national chat services.
--
-- Question: chat-east (Shanghai) and chat-west (Guiyang) hold 256 chips each
-- for a diurnal request curve whose night is a sixth of its evening peak. If
-- each keeps only the chips its SLO needs over the coming quarter hour and
-- lends the rest to preemptible batch jobs (evicting them when its load
-- rises), how much batch work rides on those chips, and what does it cost the
-- services (SLO attainment, latency) and the batch jobs (preemptions, work
-- lost since their last checkpoint)?
--
-- The services are national_week.lua's (one home), lending (lend = true,
-- the default slo_target of 99% of requests within the SLO, lend_interval
-- 15 min, no headroom), each pinned to the chip it is deployed on in the
-- national week (chat-east: H800, chat-west: Ascend 910B) so that the batch
-- jobs of its pool can borrow. The batch work: national_week.lua's
-- fine-tuning generator (1-8 chips, 45 min median on the A100) made
-- preemptible with a 15-minute checkpoint, pinned to each service's center
-- and chip, offered at more than a service could ever lend (400 jobs/h on
-- Shanghai's H800s: ~340 chips busy; 100/h on Guiyang's 910Bs: ~260), so the
-- lent chips are the bottleneck and what rides is what the troughs can carry.
--
-- The sweep: chat-east with and without lending; chat-west at its 99% target
-- (where it lends nothing: see the README) and at 98%. 3 seeds.
--   build/suanwang sweep scripts/examples/colocation.lua -j 2 -o colocation.h5
--   /usr/bin/python3 scripts/report.py colocation.h5 -o colocation_report/
-- (colocation.png and the colocation table in summary.md).
local week = require "national_week"

local function copy(t, changes)
  local out = {}
  for k, v in pairs(t) do out[k] = v end
  for k, v in pairs(changes) do out[k] = v end
  return out
end

local east, west, finetune = week.workload[4], week.workload[5], week.workload[2]
assert(east.service == "chat-east" and west.service == "chat-west" and finetune.kind == "finetune",
       "national_week.lua's workload list changed: update colocation.lua")

local function batch(center, chip, rate)
  return copy(finetune, { center = center, origin = center, chip = chip, rate = rate, profile = "flat",
                          preemptible = true, checkpoint = "15min" })
end

return {
  name = "colocation",
  duration = "2d",
  seed = 1,
  policy = week.policy,
  local_queue = week.local_queue,
  reference_chip = week.reference_chip,
  sample_interval = "15min",
  workload = {
    copy(east, { lend = true, chip = "h800" }),
    copy(west, { lend = true, chip = "ascend-910b" }),
    batch("Shanghai", "h800", "400/h"),
    batch("Guiyang", "ascend-910b", "100/h"),
  },
  sweep = {
    axes = { ["workload.1.lend"] = { false, true },
             ["workload.2.slo_target"] = { 0.99, 0.98 } },
    replications = 3,
  },
}

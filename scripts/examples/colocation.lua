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
-- The services are those national_week.lua had on the first data set
-- (topology/china-2023.graphml, where this example runs: 256 chips, 3,000
-- requests/s at the peak; national_week.lua now runs the 2025 network with
-- services eight times that size), lending (lend = true,
-- the default slo_target of 99% of requests within the SLO, lend_interval
-- 15 min, no headroom), each pinned to the chip it is deployed on in the
-- national week (chat-east: H800, chat-west: Ascend 910B) so that the batch
-- jobs of its pool can borrow. The batch work: the first data set's
-- national fine-tuning generator (1-8 chips, 45 min median on the A100) made
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
-- national_week.lua as it was on the first data set (its policy, queue, reference chip,
-- fine-tuning generator and the two chat services).
local week = {
  policy = "least_loaded", local_queue = "easy", reference_chip = "a100",
  workload = {
    [2] = { kind = "finetune", rate = "120/h", profile = "diurnal",
            gpus = { dist = "choice", values = { 1, 2, 4, 8 }, weights = { 40, 30, 20, 10 } },
            duration = { dist = "lognormal", median = "45min", sigma = 0.8 },
            walltime_factor = 2,
            dataset = { dist = "lognormal", median = "20GB", sigma = 1.0 }, result = "2GB" },
    [4] = { service = "chat-east", peak_rate = "3000/s", profile = "diurnal",
            service_time = "40ms", chips = 256, center = "Shanghai", slo = "200ms" },
    [5] = { service = "chat-west", peak_rate = "3000/s", profile = "diurnal",
            service_time = "40ms", chips = 256, center = "Guiyang", slo = "200ms" },
  },
}

local function copy(t, changes)
  local out = {}
  for k, v in pairs(t) do out[k] = v end
  for k, v in pairs(changes) do out[k] = v end
  return out
end

local east, west, finetune = week.workload[4], week.workload[5], week.workload[2]
assert(east.service == "chat-east" and west.service == "chat-west" and finetune.kind == "finetune",
       "the workload list above changed: update colocation.lua")

local function batch(center, chip, rate)
  return copy(finetune, { center = center, origin = center, chip = chip, rate = rate, profile = "flat",
                          preemptible = true, checkpoint = "15min" })
end

return {
  name = "colocation",
  topology = "china-2023",
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

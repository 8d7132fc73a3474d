-- The bench workload, shared by national_{2k,10k,100k,1m}.lua:
--   local mix = require "national_mix"
--   return mix.scenario("10k", 10000, "7h")
-- It must match bench/raw_simgrid.cpp (bench_workload, bench_horizon): the raw
-- baseline runs exactly these generators and horizon.
-- The national_week mix at 16x its rates (~50% of the national chips busy in
-- steady state): training with datasets crossing the backbone, fine-tuning,
-- latency-bound inference, one inference service; energy is always metered.
-- Job count: max_jobs per generator, by rate share (1:2:8); the horizon is the
-- expected arrival span under the diurnal profile + 10%.
-- Policy: --set policy=east_data_west_compute for the second row of run.sh.
--
-- opts.data = true: the same jobs with the data tier (bench/run.sh's data-tier
-- row, national_1m_data.lua): training stages and fine-tuning streams (two
-- passes) a dataset of a 2,000-dataset Zipf catalog on four storage hubs, every
-- center caches datasets (LRU, 2 PB); inference keeps its origin data. The
-- default (no opts) is what raw_simgrid reproduces.
--
-- opts.span = true: the same jobs, training with span parameters (a 1B-
-- parameter model's fp16 gradients, 2 GB, every 2 s iteration, hierarchical
-- all-reduce) and the split_training policy forced to split every one of them
-- over the two centers with the most free chips (params.parts = 2, replicas of
-- one chip): bench/run.sh's spanning row, the cost of training across centers
-- at its most. Thousands of split jobs then exchange gradients over the
-- backbone at once, on the few links into the emptiest centers: the row
-- measures the simulator under thousands of concurrent flows on many routes,
-- not a plausible schedule (with a 70B model's 140 GB the same jobs ran ~800x
-- slower than in one center, and the 1M-job run took 8 minutes).
local M = {}

function M.scenario(label, jobs, horizon, opts)
  opts = opts or {}
  local function share(k) return math.floor(jobs * k / 11 + 0.5) end
  local s = {
    name = "bench_national_" .. label,
    duration = horizon,
    seed = 1,
    policy = "least_loaded",
    local_queue = "easy",
    reference_chip = "a100",
    sample_interval = "1h",
    output = "/tmp/suanwang-bench-national_" .. label .. ".h5",
    workload = {
      { kind = "training", rate = "480/h", profile = "diurnal", max_jobs = share(1),
        gpus = { dist = "choice", values = { 1, 2, 4, 8, 16, 32, 64, 128, 256 },
                 weights = { 40, 12, 12, 14, 9, 6, 4, 2, 1 } },
        duration = { dist = "lognormal", median = "3h", sigma = 1.2, max = "5d" },
        walltime_factor = 1.5,
        dataset = { dist = "lognormal", median = "200GB", sigma = 1.0, max = "20TB" },
        result = "20GB", checkpoint = "1h" },
      { kind = "finetune", rate = "960/h", profile = "diurnal", max_jobs = share(2),
        gpus = { dist = "choice", values = { 1, 2, 4, 8 }, weights = { 40, 30, 20, 10 } },
        duration = { dist = "lognormal", median = "45min", sigma = 0.8 },
        walltime_factor = 2,
        dataset = { dist = "lognormal", median = "20GB", sigma = 1.0 }, result = "2GB" },
      { kind = "inference", rate = "3840/h", profile = "diurnal", max_jobs = share(8),
        gpus = { dist = "choice", values = { 0.25, 0.5, 1 }, weights = { 50, 30, 20 } },
        duration = { dist = "exp", mean = "20min" },
        dataset = "500MB", result = "50MB", latency_bound = "15ms" },
      { service = "chat-east", peak_rate = "3000/s", profile = "diurnal",
        service_time = "40ms", chips = 256, center = "Shanghai", slo = "200ms" },
    },
  }
  if opts.data then
    s.name = s.name .. "_data"
    s.output = "/tmp/suanwang-bench-national_" .. label .. "_data.h5"
    s.storage = {
      { city = "Shanghai", read = "4 Tbps" }, { city = "Beijing", read = "4 Tbps" },
      { city = "Guiyang", read = "2 Tbps" }, { city = "Zhongwei", read = "2 Tbps" },
    }
    s.datasets = {
      generate = { count = 2000, size = { dist = "lognormal", median = "200GB", sigma = 1.2, max = "20TB" },
                   zipf = 1.1, homes = "one_site", prefix = "corpus-" },
    }
    s.caches = { size = "2PB" }
    local training, finetune = s.workload[1], s.workload[2]
    training.dataset, training.data = nil, "catalog"
    finetune.dataset, finetune.data, finetune.data_mode, finetune.passes = nil, "catalog", "stream", 2
  end
  if opts.span then
    s.name = s.name .. "_span"
    s.output = "/tmp/suanwang-bench-national_" .. label .. "_span.h5"
    s.policy = "split_training"
    s.params = { parts = 2, replica = 1 }
    s.workload[1].span = { gradient = "2GB", iteration = "2s", overlap = 0, allreduce = "hierarchical" }
  end
  return s
end

return M

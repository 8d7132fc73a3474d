-- Storage-compute separation: does a shared storage tier with caches lift
-- compute utilisation, and at what cost in waiting and backbone traffic?
--
-- Vendors report that separating storage from compute raises utilisation by
-- "30% or more", because jobs no longer wait for the machine that holds
-- their data. This example compares, on a national mix whose training and
-- fine-tuning read a shared catalog of datasets (Zipf popularity: many jobs
-- reuse a few datasets):
--   coupled    every dataset lives in the storage of one computing center
--              (storage = { city = "centers" }: a site in each center's city);
--   separated  datasets live in a storage tier of four sites (two eastern
--              data hubs, two western computing hubs) apart from the centers;
-- each without caches and with a cache at every center (caches.size), under
-- one data-aware policy (policies/data_local.lua: run where the data is
-- when that center can start the job now, else copy the data to the least
-- loaded center that can).
--
-- The storage sites' read bandwidths and the cache size are estimates for
-- the experiment (no public figure per center): 200 Gb/s of object storage
-- per center, 7 Tb/s over the four tier sites, 500 TB of cache per center.
--
-- Run it as a sweep (2 layouts x 2 cache sizes x 2 seeds = 8 runs, ~2 min of CPU):
--   suanwang sweep scripts/examples/storage_separation.lua -j 2
--   /usr/bin/python3 scripts/report.py storage_separation.h5
local coupled = '{ { city = "centers", read = "200 Gbps" } }'
local separated = '{ { city = "Shanghai", read = "2 Tbps" }, { city = "Beijing", read = "2 Tbps" },'
  .. ' { city = "Guiyang", read = "1.5 Tbps" }, { city = "Zhongwei", read = "1.5 Tbps" } }'

return {
  name = "storage_separation",
  duration = "1d",
  seed = 21,
  policy = "data_local",
  params = { patience = 0 },
  local_queue = "easy",
  sample_interval = "1h",
  storage = load("return " .. coupled)(),
  datasets = {
    generate = { count = 300, size = { dist = "lognormal", median = "2TB", sigma = 1.0, max = "50TB" },
                 zipf = 1.1, homes = "one_site", prefix = "corpus-" },
  },
  caches = { size = 0 },
  workload = {
    -- The training and fine-tuning of national_week.lua (whole servers, 8 to 4,096 chips),
    -- reading the catalog instead of per-job datasets: training stages its dataset
    -- before it starts, fine-tuning streams it while it runs (three passes).
    { kind = "training", rate = "250/h", profile = "diurnal",
      gpus = { dist = "choice", values = { 8, 16, 32, 64, 128, 256, 512, 1024, 2048, 4096 },
               weights = { 30, 10, 10, 15, 10, 8, 7, 5, 3, 2 } },
      duration = { dist = "lognormal", median = "4h", sigma = 1.2, max = "5d" },
      walltime_factor = 1.5, data = "catalog", result = "50GB", checkpoint = "1h" },
    { kind = "finetune", rate = "120/h", profile = "diurnal",
      gpus = { dist = "choice", values = { 8, 16, 32, 64 }, weights = { 40, 30, 20, 10 } },
      duration = { dist = "lognormal", median = "45min", sigma = 0.8 },
      walltime_factor = 2, data = "catalog", data_mode = "stream", passes = 3, result = "5GB" },
    -- Inference reads its small inputs from its users' city.
    { kind = "inference", rate = "600/h", profile = "diurnal",
      gpus = { dist = "choice", values = { 0.25, 0.5, 1 }, weights = { 50, 30, 20 } },
      duration = { dist = "exp", mean = "20min" },
      dataset = "500MB", result = "50MB", latency_bound = "15ms" },
  },
  sweep = {
    axes = { storage = { coupled, separated }, ["caches.size"] = { "0", "500TB" } },
    replications = 2,
  },
}

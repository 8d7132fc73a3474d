-- Bench scenario national_year_2025: one simulated year of the national
-- network with the full mix (issue 15's third target: >= 100,000 jobs per
-- wall-second, peak RSS < 512 MiB and flat in the number of jobs).
--
-- The mix: training staging a catalog dataset, fine-tuning streaming one (two
-- passes), latency-bound inference with small inputs from its users' city, two
-- inference services; datasets live in a storage tier of four hub sites (two
-- eastern data hubs, two western computing hubs) and every center keeps an
-- LRU cache of them; a Lua policy (data_local: the job to its data when it can
-- start there, else the data to the job); the full HDF5 output.
--
-- Size: at rate_scale = 1 the generators submit ~5,300 jobs an hour on average
-- (the bench mix of national_mix.lua, sized for the first data set,
-- topology/china-2023.graphml, where it keeps about half the chips busy),
-- about 46 million jobs a year. The 2025 network (topology/china.graphml, the
-- default) has 19x the chips (1,943,056 against 101,248), so the same mix uses
-- 1-2% of its chip time (measured: 1.3% over a day, 1.8% over 30 days): the
-- year is a test of the cost per job, not of a loaded network. To load the
-- 2025 network as the first data set was, multiply the rate (--set
-- rate_scale=19: ~880 million jobs a year).
--
--   suanwang run bench/scenarios/national_year_2025.lua                      # the year
--   suanwang run bench/scenarios/national_year_2025.lua --set duration=30d   # a month
-- bench/run.sh times the month in its table and the year with --year.
return {
  name = "national_year_2025",
  duration = "365d",
  seed = 1,
  rate_scale = 1,
  policy = "data_local",
  params = { patience = 0 },
  local_queue = "easy",
  reference_chip = "a100",
  sample_interval = "1h",
  output = "/tmp/suanwang-bench-national_year_2025.h5",
  storage = {
    { city = "Shanghai", read = "4 Tbps" }, { city = "Beijing", read = "4 Tbps" },
    { city = "Guiyang", read = "2 Tbps" }, { city = "Zhongwei", read = "2 Tbps" },
  },
  datasets = {
    generate = { count = 2000, size = { dist = "lognormal", median = "200GB", sigma = 1.2, max = "20TB" },
                 zipf = 1.1, homes = "one_site", prefix = "corpus-" },
  },
  caches = { size = "2PB" },
  workload = {
    { kind = "training", rate = "480/h", profile = "diurnal", weekly = { 1.05, 1.05, 1.05, 1.05, 1.05, 0.9, 0.85 },
      gpus = { dist = "choice", values = { 1, 2, 4, 8, 16, 32, 64, 128, 256 },
               weights = { 40, 12, 12, 14, 9, 6, 4, 2, 1 } },
      duration = { dist = "lognormal", median = "3h", sigma = 1.2, max = "5d" },
      walltime_factor = 1.5, data = "catalog", result = "20GB", checkpoint = "1h" },
    { kind = "finetune", rate = "960/h", profile = "diurnal",
      gpus = { dist = "choice", values = { 1, 2, 4, 8 }, weights = { 40, 30, 20, 10 } },
      duration = { dist = "lognormal", median = "45min", sigma = 0.8 },
      walltime_factor = 2, data = "catalog", data_mode = "stream", passes = 2, result = "2GB" },
    { kind = "inference", rate = "3840/h", profile = "diurnal",
      gpus = { dist = "choice", values = { 0.25, 0.5, 1 }, weights = { 50, 30, 20 } },
      duration = { dist = "exp", mean = "20min" },
      dataset = "500MB", result = "50MB", latency_bound = "15ms" },
    { service = "chat-east", peak_rate = "3000/s", profile = "diurnal",
      service_time = "40ms", chips = 256, center = "Shanghai", slo = "200ms" },
    { service = "chat-west", peak_rate = "1500/s", profile = "diurnal",
      service_time = "60ms", chips = 256, center = "Guiyang", slo = "300ms" },
  },
}

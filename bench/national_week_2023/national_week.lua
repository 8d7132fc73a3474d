-- FROZEN COPY for bench/run.sh: scripts/examples/national_week.lua and the
-- national topology as of commit eb0e772 (identical at bbf86a2, the last
-- commit of the old engine), so "today's national week" can still be timed,
-- old build against new, after the data in topology/ changes. Do not edit:
-- the figures in README's Benchmarks section were measured on these files.
-- china.graphml is the copy next to this file. The catalogs copied beside it
-- (accelerators.csv, grids.csv) are for the record only: suanwang reads the
-- catalogs of its own topology/ folder whatever the scenario says (see
-- bench/national_week_2023/README.md).
--
-- A baseline national week: the default scenario of `scripts/demo.sh`.
--
-- Question: with today's mix of AI work and a simple least-loaded placement,
-- how busy is the national network, how long do jobs wait, and what do a
-- week's energy, electricity bill and carbon come to?
--
-- The workload is a realistic mix: many small fine-tuning and inference jobs,
-- a heavy tail of large training jobs whose datasets cross the backbone, and
-- two long-running inference services following a diurnal curve.
return {
  name = "national_week",
  topology = "china.graphml",
  duration = "7d",
  seed = 1,
  policy = "least_loaded",
  local_queue = "easy",
  reference_chip = "a100",
  sample_interval = "1h",
  workload = {
    -- Pre-training and large training runs: mostly small, a long tail of huge ones.
    { kind = "training", rate = "200/h", profile = "diurnal",
      gpus = { dist = "choice", values = { 1, 2, 4, 8, 16, 32, 64, 128, 256, 512 },
               weights = { 30, 10, 10, 15, 10, 8, 7, 5, 3, 2 } },
      duration = { dist = "lognormal", median = "4h", sigma = 1.2, max = "5d" },
      walltime_factor = 1.5,
      dataset = { dist = "lognormal", median = "200GB", sigma = 1.0, max = "20TB" },
      result = "20GB", checkpoint = "1h" },
    -- Fine-tuning: a few chips for an hour or two, smaller datasets.
    { kind = "finetune", rate = "120/h", profile = "diurnal",
      gpus = { dist = "choice", values = { 1, 2, 4, 8 }, weights = { 40, 30, 20, 10 } },
      duration = { dist = "lognormal", median = "45min", sigma = 0.8 },
      walltime_factor = 2,
      dataset = { dist = "lognormal", median = "20GB", sigma = 1.0 }, result = "2GB" },
    -- Batch inference: vGPU shares of one chip, latency-bound, close to users.
    { kind = "inference", rate = "600/h", profile = "diurnal",
      gpus = { dist = "choice", values = { 0.25, 0.5, 1 }, weights = { 50, 30, 20 } },
      duration = { dist = "exp", mean = "20min" },
      dataset = "500MB", result = "50MB", latency_bound = "15ms" },
    -- Two chat services: requests from every city, by demand weight.
    { service = "chat-east", peak_rate = "3000/s", profile = "diurnal",
      service_time = "40ms", chips = 256, center = "Shanghai", slo = "200ms" },
    { service = "chat-west", peak_rate = "3000/s", profile = "diurnal",
      service_time = "40ms", chips = 256, center = "Guiyang", slo = "200ms" },
  },
}

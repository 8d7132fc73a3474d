-- A small national scenario for end-to-end tests: half a day, a few hundred
-- jobs of every kind, datasets crossing the backbone, one inference service.
-- On the 2023 vintage of the network (about 100k chips): the tests exercise
-- the engine's mechanics (queues form, a 512-chip job fits few centers).
return {
  name = "small",
  topology = "china-2023",
  duration = "12h",
  seed = 42,
  policy = "least_loaded",
  local_queue = "easy",
  sample_interval = "1h",
  workload = {
    { kind = "training", rate = "20/h",
      gpus = { dist = "choice", values = { 1, 8, 64, 512 }, weights = { 50, 30, 15, 5 } },
      duration = { dist = "lognormal", median = "2h", sigma = 1.0, max = "2d" },
      walltime_factor = 1.5, dataset = { dist = "lognormal", median = "100GB", sigma = 1.0 },
      result = "5GB", checkpoint = "30min" },
    { kind = "finetune", rate = "30/h", gpus = { dist = "choice", values = { 1, 2, 4 } },
      duration = { dist = "exp", mean = "40min" }, dataset = "10GB", result = "1GB" },
    { kind = "inference", rate = "60/h", gpus = { dist = "choice", values = { 0.25, 0.5 } },
      duration = { dist = "exp", mean = "10min" }, dataset = "200MB", result = "20MB",
      latency_bound = "20ms" },
    { service = "chat", peak_rate = "500/s", profile = "diurnal", service_time = "40ms",
      chips = 32, center = "Shanghai", slo = "150ms" },
  },
}

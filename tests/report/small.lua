-- Small scenario for tests/report: national topology (the default), half a
-- simulated day, low arrival rates, least_loaded placement. Runs in seconds.
return {
  name = "report_small",
  duration = "12h",
  seed = 5,
  policy = "least_loaded",
  workload = {
    { kind = "training", rate = "4/h",
      gpus = { dist = "choice", values = { 1, 8, 32 }, weights = { 50, 35, 15 } },
      duration = { dist = "lognormal", median = "1h", sigma = 0.8, max = "8h" },
      dataset = "100GB", result = "5GB" },
    { kind = "finetune", rate = "6/h",
      gpus = { dist = "choice", values = { 1, 2, 4 }, weights = { 50, 30, 20 } },
      duration = { dist = "exp", mean = "30min" },
      dataset = "20GB", result = "1GB" },
    { kind = "inference", rate = "20/h",
      gpus = { dist = "choice", values = { 0.25, 0.5, 1 }, weights = { 50, 30, 20 } },
      duration = { dist = "exp", mean = "10min" },
      dataset = "200MB", result = "20MB" },
  },
}

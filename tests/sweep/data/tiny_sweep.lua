-- A tiny sweep for the tests: 2 policies x 2 replications = 4 points, each
-- well under 2 s (national topology, 6 simulated hours, low arrival rates).
return {
  name = "tiny_sweep",
  duration = "6h",
  seed = 5,
  policy = "least_loaded",
  sample_interval = "1h",
  workload = {
    { kind = "training", rate = "6/h",
      gpus = { dist = "choice", values = { 1, 4, 8 }, weights = { 50, 30, 20 } },
      duration = { dist = "lognormal", median = "1h", sigma = 0.8 },
      dataset = "50GB", result = "5GB" },
    { kind = "finetune", rate = "10/h", gpus = 2,
      duration = { dist = "exp", mean = "30min" }, dataset = "10GB", result = "1GB" },
  },
  sweep = {
    axes = { policy = { "least_loaded", "nearest" } },
    replications = 2,
  },
}

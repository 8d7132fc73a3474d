-- The scenario hostile policies, traces and topologies run in (each case
-- adds --set overrides): six hours, a few dozen jobs of two kinds.
return {
  name = "hostile",
  duration = "6h",
  seed = 7,
  policy = "least_loaded",
  sample_interval = "1h",
  hook_time_limit = "1s",
  workload = {
    { kind = "training", rate = "12/h", gpus = { dist = "choice", values = { 1, 8 } },
      duration = { dist = "exp", mean = "1h" }, dataset = "1GB" },
    { kind = "inference", rate = "30/h", gpus = 1, duration = "5min", dataset = "10MB" },
  },
}

-- Benchmark sweep for bench/sweep_speedup.sh: 2 policies x 2 local queues x
-- 2 replications = 8 points, each a few seconds of simulation.
return {
  name = "sweep8",
  duration = "6d",
  seed = 21,
  policy = "least_loaded",
  sample_interval = "1h",
  workload = {
    { kind = "training", rate = "60/h",
      gpus = { dist = "choice", values = { 1, 4, 8, 32 }, weights = { 40, 30, 20, 10 } },
      duration = { dist = "lognormal", median = "2h", sigma = 1.0 },
      dataset = { dist = "lognormal", median = "100GB", sigma = 0.7 }, result = "10GB" },
    { kind = "finetune", rate = "120/h", gpus = 2,
      duration = { dist = "exp", mean = "1h" }, dataset = "10GB", result = "1GB" },
    { kind = "inference", rate = "300/h",
      gpus = { dist = "choice", values = { 0.25, 0.5, 1 }, weights = { 50, 30, 20 } },
      duration = { dist = "exp", mean = "15min" }, dataset = "200MB", result = "20MB" },
  },
  sweep = {
    axes = { policy = { "least_loaded", "nearest" }, local_queue = { "fcfs", "easy" } },
    replications = 2,
  },
}

-- A small sweep for tests/report: 4 policies x 4 replications = 16 points,
-- of which the 4 points of boom_policy.lua fail (the policy raises on the
-- first job) and 12 complete (more than report.py's 10-run threshold for
-- pooling by policy). National topology, 3 simulated hours, low arrival
-- rates: each point runs in about half a second.
return {
  name = "report_sweep",
  duration = "3h",
  seed = 11,
  policy = "least_loaded",
  sample_interval = "30min",
  workload = {
    { kind = "training", rate = "4/h",
      gpus = { dist = "choice", values = { 1, 8 }, weights = { 60, 40 } },
      duration = { dist = "exp", mean = "40min" }, dataset = "20GB", result = "1GB" },
    { kind = "inference", rate = "12/h", gpus = 0.5,
      duration = { dist = "exp", mean = "10min" }, dataset = "200MB", result = "20MB" },
  },
  sweep = {
    axes = { policy = { "least_loaded", "nearest", "round_robin", "boom_policy.lua" } },
    replications = 4,
  },
}

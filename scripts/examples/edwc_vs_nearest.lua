-- East Data, West Compute against nearest placement.
--
-- Question: if latency-tolerant work (training, fine-tuning) is sent to the
-- western hub clusters while latency-bound inference stays near eastern
-- users, what happens to cost, carbon, waiting time and backbone traffic,
-- compared with running every job at the nearest center that fits?
--
-- Run it as a sweep (two policies x 3 seeds):
--   suanwang sweep scripts/examples/edwc_vs_nearest.lua -j 2
return {
  name = "edwc_vs_nearest",
  duration = "3d",
  seed = 11,
  policy = "east_data_west_compute",
  local_queue = "easy",
  workload = {
    { kind = "training", rate = "150/h",
      gpus = { dist = "choice", values = { 1, 2, 4, 8, 16, 32, 64, 128, 256, 512 },
               weights = { 30, 10, 10, 15, 10, 8, 7, 5, 3, 2 } },
      duration = { dist = "lognormal", median = "4h", sigma = 1.0, max = "3d" },
      walltime_factor = 1.5,
      dataset = { dist = "lognormal", median = "500GB", sigma = 0.8 }, result = "20GB" },
    { kind = "finetune", rate = "40/h",
      gpus = { dist = "choice", values = { 1, 2, 4, 8 }, weights = { 40, 30, 20, 10 } },
      duration = { dist = "lognormal", median = "1h", sigma = 0.8 },
      dataset = "50GB", result = "2GB" },
    { kind = "inference", rate = "200/h", profile = "diurnal",
      gpus = { dist = "choice", values = { 0.25, 0.5, 1 }, weights = { 50, 30, 20 } },
      duration = { dist = "exp", mean = "15min" },
      dataset = "200MB", result = "20MB", latency_bound = "10ms" },
  },
  sweep = {
    axes = { policy = { "east_data_west_compute", "nearest" } },
    replications = 3,
  },
}

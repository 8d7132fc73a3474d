-- East Data, West Compute against nearest placement, on the 2025 network.
--
-- Question: if latency-tolerant work (training, fine-tuning) is sent to the
-- western hub clusters while latency-bound inference stays near eastern
-- users, what happens to cost, carbon, waiting time and backbone traffic,
-- compared with running every job at the nearest center that fits?
--
-- Carbon is charged with the MEE/NBS provincial factors of 2023 and each
-- center's green-power share (the scenario's default `carbon` choice). The
-- run files also carry each city's grid factor (network/cities), so the
-- location-based carbon (grid factors only) is energy x factor per center:
-- the README gives both.
--
-- The workload keeps about 30% of the country's chips busy (see
-- national_week.lua). Run it as a sweep (two policies x 2 seeds):
--   suanwang sweep scripts/examples/edwc_vs_nearest.lua -j 2
return {
  name = "edwc_vs_nearest",
  duration = "3d",
  seed = 11,
  policy = "east_data_west_compute",
  local_queue = "easy",
  workload = {
    { kind = "training", rate = "250/h",
      gpus = { dist = "choice", values = { 8, 16, 32, 64, 128, 256, 512, 1024, 2048, 4096 },
               weights = { 30, 10, 10, 15, 10, 8, 7, 5, 3, 2 } },
      duration = { dist = "lognormal", median = "4h", sigma = 1.2, max = "3d" },
      walltime_factor = 1.5,
      dataset = { dist = "lognormal", median = "500GB", sigma = 0.8 }, result = "20GB" },
    { kind = "finetune", rate = "60/h",
      gpus = { dist = "choice", values = { 8, 16, 32, 64 }, weights = { 40, 30, 20, 10 } },
      duration = { dist = "lognormal", median = "1h", sigma = 0.8 },
      dataset = "50GB", result = "2GB" },
    { kind = "inference", rate = "300/h", profile = "diurnal",
      gpus = { dist = "choice", values = { 0.25, 0.5, 1 }, weights = { 50, 30, 20 } },
      duration = { dist = "exp", mean = "15min" },
      dataset = "200MB", result = "20MB", latency_bound = "10ms" },
  },
  sweep = {
    axes = { policy = { "east_data_west_compute", "nearest" } },
    replications = 2,
  },
}

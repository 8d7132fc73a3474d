-- Carbon-aware scheduling on the 2025 network: move deferrable work by place and by hour.
--
-- Question: with hourly carbon profiles (solar makes the north-western grids
-- cleaner at noon, wind the northern ones at night), how much carbon does a
-- policy save that also picks the hour -- deferring training and fine-tuning
-- up to 6 h for an hour at least 20% cleaner -- over the same policy picking
-- only the place (max_delay = 0), and what does the waiting cost?
-- The hourly shapes are estimates (no hourly series is published for
-- Chinese grids; topology/data/carbon_hourly.md); the annual factors they
-- modulate are the MEE/NBS provincial factors of 2023, with each center's
-- green-power share.
--   suanwang sweep scripts/examples/carbon_shift.lua -j 2
return {
  name = "carbon_shift",
  duration = "3d",
  seed = 13,
  policy = "carbon_aware",
  local_queue = "easy",
  params = { max_delay = 6 * 3600 },   -- seconds
  carbon = { series = "province", year = 2023, green_power = true, hourly = true },
  workload = {
    { kind = "training", rate = "250/h",
      gpus = { dist = "choice", values = { 8, 16, 32, 64, 128, 256, 512, 1024, 2048, 4096 },
               weights = { 30, 10, 10, 15, 10, 8, 7, 5, 3, 2 } },
      duration = { dist = "lognormal", median = "4h", sigma = 1.2, max = "3d" },
      dataset = "500GB", result = "20GB" },
    { kind = "finetune", rate = "60/h",
      gpus = { dist = "choice", values = { 8, 16, 32, 64 }, weights = { 40, 30, 20, 10 } },
      duration = { dist = "lognormal", median = "1h", sigma = 0.8 },
      dataset = "50GB", result = "2GB" },
    { kind = "inference", rate = "300/h", profile = "diurnal",
      gpus = { dist = "choice", values = { 0.25, 0.5, 1 }, weights = { 50, 30, 20 } },
      duration = { dist = "exp", mean = "15min" },
      dataset = "200MB", result = "20MB", latency_bound = "15ms" },
  },
  sweep = {
    -- 0: place only (the cleanest center with room now); 21600: also the hour.
    axes = { ["params.max_delay"] = { 0, 21600 } },
  },
}

-- Splitting large training runs over cities, on a busy national network.
--
-- Question: when 1,024-GPU training runs queue for a center with 1,024 free
-- A800s, what does letting them split over several cities do to the national
-- queue: how long do they and everyone else wait, how much slower do they
-- run, and how much gradient traffic does the backbone carry?
--
-- On the first data set (topology/china-2023.graphml, 101k chips), where
-- 1,024 free A800s in one center are rare: three days of the national mix
-- national_week.lua had on that network (below; national_week.lua now runs
-- the 2025 network, where such runs start at once and this question does not
-- arise) plus twelve 1,024-GPU A800 training runs a day, each 12 hours of
-- a 70B model (140 GB of bf16 gradients per 12.6 s iteration, no overlap,
-- hierarchical all-reduce: cross_center_training.lua says why) with a 2 TB
-- dataset. The sweep compares least_loaded (a job waits for one center that
-- can start it) with split_training (after an hour of waiting, a run is
-- split in whole 32-GPU replicas over the fewest centers that can start it
-- together; everything else is placed as least_loaded does), over three
-- seeds. The policy is asked again every 10 minutes (tick_interval).
--   suanwang sweep scripts/examples/cross_center_queue.lua -j 2
local week = {
  name = "cross_center_queue",
  topology = "china-2023",
  seed = 1,
  policy = "least_loaded",
  local_queue = "easy",
  reference_chip = "a100",
  sample_interval = "1h",
  workload = {
    { kind = "training", rate = "200/h", profile = "diurnal",
      gpus = { dist = "choice", values = { 1, 2, 4, 8, 16, 32, 64, 128, 256, 512 },
               weights = { 30, 10, 10, 15, 10, 8, 7, 5, 3, 2 } },
      duration = { dist = "lognormal", median = "4h", sigma = 1.2, max = "5d" },
      walltime_factor = 1.5,
      dataset = { dist = "lognormal", median = "200GB", sigma = 1.0, max = "20TB" },
      result = "20GB", checkpoint = "1h" },
    { kind = "finetune", rate = "120/h", profile = "diurnal",
      gpus = { dist = "choice", values = { 1, 2, 4, 8 }, weights = { 40, 30, 20, 10 } },
      duration = { dist = "lognormal", median = "45min", sigma = 0.8 },
      walltime_factor = 2,
      dataset = { dist = "lognormal", median = "20GB", sigma = 1.0 }, result = "2GB" },
    { kind = "inference", rate = "600/h", profile = "diurnal",
      gpus = { dist = "choice", values = { 0.25, 0.5, 1 }, weights = { 50, 30, 20 } },
      duration = { dist = "exp", mean = "20min" },
      dataset = "500MB", result = "50MB", latency_bound = "15ms" },
    { service = "chat-east", peak_rate = "3000/s", profile = "diurnal",
      service_time = "40ms", chips = 256, center = "Shanghai", slo = "200ms" },
    { service = "chat-west", peak_rate = "3000/s", profile = "diurnal",
      service_time = "40ms", chips = 256, center = "Guiyang", slo = "200ms" },
  },
}

week.duration = "3d"
week.tick_interval = "10min"
week.params = { replica = 32, max_wait = 3600 }
table.insert(week.workload, 1, {
  kind = "training", rate = "12/d", gpus = 1024, chip_requirement = "specific", chip = "a800",
  duration = "12h", walltime_factor = 1.5, checkpoint = "1h", dataset = "2TB", result = "140GB",
  span = { gradient = "140GB", iteration = "12.6s", overlap = 0, allreduce = "hierarchical" },
})
week.sweep = { axes = { policy = { "least_loaded", "split_training" } }, replications = 3 }
return week

-- Splitting large training runs over cities, on a busy national network.
--
-- Question: when 1,024-GPU training runs queue for a center with 1,024 free
-- A800s, what does letting them split over several cities do to the national
-- queue: how long do they and everyone else wait, how much slower do they
-- run, and how much gradient traffic does the backbone carry?
--
-- Three days of national_week.lua's mix (its file, required from this
-- folder) plus twelve 1,024-GPU A800 training runs a day, each 12 hours of
-- a 70B model (140 GB of bf16 gradients per 12.6 s iteration, no overlap,
-- hierarchical all-reduce: cross_center_training.lua says why) with a 2 TB
-- dataset. The sweep compares least_loaded (a job waits for one center that
-- can start it) with split_training (after an hour of waiting, a run is
-- split in whole 32-GPU replicas over the fewest centers that can start it
-- together; everything else is placed as least_loaded does), over three
-- seeds. The policy is asked again every 10 minutes (tick_interval).
--   suanwang sweep scripts/examples/cross_center_queue.lua -j 2
local week = require "national_week"

week.name = "cross_center_queue"
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

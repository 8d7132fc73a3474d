-- A run in which no job completes: every job needs 2 hours on an idle
-- network, and the horizon is 1 hour (all end "unfinished"). With
-- --set duration=3h the same jobs complete.
return {
  name = "nothing_completes",
  duration = "1h",
  seed = 3,
  policy = "least_loaded",
  sample_interval = "20min",
  workload = {
    { kind = "training", rate = "12/h", gpus = 4, duration = "2h",
      dataset = "10GB", result = "1GB" },
  },
}

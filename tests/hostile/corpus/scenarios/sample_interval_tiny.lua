-- expect: sample_interval_tiny.lua | sample_interval | samples
-- A microsecond sample over a week: 6e11 samples never finish.
return { duration = "7d", sample_interval = "1us", workload = { { kind = "training", rate = "1/h" } } }

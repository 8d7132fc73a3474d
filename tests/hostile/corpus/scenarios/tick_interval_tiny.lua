-- expect: tick_interval_tiny.lua | tick_interval | ticks
return { duration = "7d", tick_interval = "1ms", workload = { { kind = "training", rate = "1/h" } } }

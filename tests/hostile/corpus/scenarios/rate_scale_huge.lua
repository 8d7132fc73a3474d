-- expect: rate_scale_huge.lua | rate_scale | arrivals
-- Each generator's rate is fine; rate_scale multiplies it past the draws limit.
return { duration = "7d", rate_scale = 1e6, workload = { { kind = "training", rate = "100/h" } } }

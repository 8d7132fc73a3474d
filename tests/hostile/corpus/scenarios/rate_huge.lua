-- expect: rate_huge.lua | rate | arrivals
return { duration = "7d", workload = { { kind = "training", rate = "1e12/s" } } }

-- expect: rate_nan.lua | rate
return { duration = "1d", workload = { { kind = "training", rate = 0 / 0 } } }

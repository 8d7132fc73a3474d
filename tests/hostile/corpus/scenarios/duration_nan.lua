-- expect: duration_nan.lua | duration
return { duration = 0 / 0, workload = { { kind = "training", rate = "1/h" } } }

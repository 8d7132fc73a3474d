-- expect: duration_centuries.lua | duration | 1e9
return { duration = "1e300s", workload = { { kind = "training", rate = "1/h" } } }

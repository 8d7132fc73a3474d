-- expect: hook_time_limit_days.lua | hook_time_limit
return { hook_time_limit = "2d", duration = "1d", workload = { { kind = "training", rate = "1/h" } } }

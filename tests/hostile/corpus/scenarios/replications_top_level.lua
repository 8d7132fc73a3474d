-- expect: replications_top_level.lua | replications
return { duration = "1h", replications = 2 ^ 32 + 1, workload = { { kind = "training", rate = "1/h" } } }

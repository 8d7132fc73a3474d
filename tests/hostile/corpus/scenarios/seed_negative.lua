-- expect: seed_negative.lua | seed
return { seed = -1, duration = "1d", workload = { { kind = "training", rate = "1/h" } } }

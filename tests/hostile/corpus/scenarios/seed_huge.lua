-- expect: seed_huge.lua | seed
return { seed = 2 ^ 64, duration = "1d", workload = { { kind = "training", rate = "1/h" } } }

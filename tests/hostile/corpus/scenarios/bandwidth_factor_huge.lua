-- expect: bandwidth_factor_huge.lua | bandwidth_factor | makes link
return { duration = "1h", bandwidth_factor = 1e300, workload = { { kind = "training", rate = "1/h" } } }

-- expect: center_mtbf_tiny.lua | center_mtbf | failures
return { duration = "7d", failures = { random = { center_mtbf = "1us", center_mttr = "1s" } },
         workload = { { kind = "training", rate = "1/h" } } }

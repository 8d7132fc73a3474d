-- expect: policy_memory_tiny.lua | policy_memory
return { policy_memory = "1KB", duration = "1d", workload = { { kind = "training", rate = "1/h" } } }

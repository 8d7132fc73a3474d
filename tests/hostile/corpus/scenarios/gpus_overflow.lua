-- expect: gpus_overflow.lua | gpus
-- A GPU count past any int overflowed.
return { duration = "1d", workload = { { kind = "training", rate = "10/h", gpus = 1e12 } } }

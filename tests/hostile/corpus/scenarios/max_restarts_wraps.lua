-- expect: max_restarts_wraps.lua | max_restarts
-- 2^32 ran as 0 while the file recorded the asked value.
return { duration = "1d", failures = { max_restarts = 2 ^ 32 },
         workload = { { kind = "training", rate = "1/h" } } }

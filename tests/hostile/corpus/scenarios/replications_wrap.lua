-- expect: replications_wrap.lua | replications
-- command: sweep
-- 2^32 + 1 replications ran once.
return { duration = "1h", workload = { { kind = "training", rate = "1/h" } },
         sweep = { axes = { seed = { 1 } }, replications = 2 ^ 32 + 1 } }

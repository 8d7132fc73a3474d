-- expect: pool_chips_overflow.lua | Shanghai | pools
-- chips x slices overflowed int and aborted inside the engine.
return { duration = "1d", centers = { Shanghai = { pools = "a100:3000000000" } },
         workload = { { kind = "training", rate = "1/h" } } }

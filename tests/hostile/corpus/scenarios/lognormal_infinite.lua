-- expect: lognormal_infinite.lua | workload[1].duration | can draw inf
-- A lognormal with a huge sigma draws infinities (aborted inside an actor).
return { duration = "1d", workload = { { kind = "training", rate = "10/h",
  duration = { dist = "lognormal", median = "1h", sigma = 1000 } } } }

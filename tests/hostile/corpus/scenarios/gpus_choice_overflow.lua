-- expect: gpus_choice_overflow.lua | gpus
return { duration = "1d", workload = { { kind = "training", rate = "10/h",
  gpus = { dist = "choice", values = { 1, 2 ^ 40 } } } } }

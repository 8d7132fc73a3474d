-- A sweep where one point's policy raises an error: the point with policy
-- picky.lua fails (params.mode = "boom"), the least_loaded point completes.
-- The failed point must record its own policy, not the base scenario's.
return {
  name = "failing_sweep",
  duration = "3h",
  seed = 9,
  policy = "least_loaded",
  params = { mode = "boom" },
  workload = {
    { kind = "finetune", rate = "10/h", gpus = 1,
      duration = { dist = "exp", mean = "30min" }, dataset = "1GB", result = "100MB" },
  },
  sweep = {
    axes = { policy = { "least_loaded", "picky.lua" } },
  },
}

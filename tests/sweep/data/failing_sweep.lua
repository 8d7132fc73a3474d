-- A sweep where one axis value makes the policy raise an error: the points
-- with params.mode = "boom" fail, the "ok" points complete.
return {
  name = "failing_sweep",
  duration = "3h",
  seed = 9,
  policy = "picky.lua",
  params = { mode = "ok" },
  workload = {
    { kind = "finetune", rate = "10/h", gpus = 1,
      duration = { dist = "exp", mean = "30min" }, dataset = "1GB", result = "100MB" },
  },
  sweep = {
    axes = { ["params.mode"] = { "ok", "boom" } },
  },
}

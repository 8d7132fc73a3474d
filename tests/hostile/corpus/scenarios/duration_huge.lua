-- expect: duration_huge.lua | duration
-- math.huge passed `check` and aborted inside SimGrid.
return { duration = math.huge, workload = { { kind = "training", rate = "1/h" } } }

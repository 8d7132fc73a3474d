-- expect: sweep_values_huge.lua | key 'sweep.axes.params.a': more than 1000000 values
-- command: sweep
-- 1.1 million values on one axis (each is checked by loading the scenario).
local v = {}
for i = 1, 1100000 do v[i] = i end
return { duration = "1h", instruction_budget = 0, workload = { { kind = "training", rate = "1/h" } },
         sweep = { axes = { ["params.a"] = v } } }

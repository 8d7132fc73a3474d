-- expect: sweep_values_many.lua | sweep | 10000
-- command: sweep
-- 20,000 values on one axis: each is checked by loading the scenario with it.
local v = {}
for i = 1, 20000 do v[i] = i end
return { duration = "1h", workload = { { kind = "training", rate = "1/h" } },
         sweep = { axes = { ["params.a"] = v } } }

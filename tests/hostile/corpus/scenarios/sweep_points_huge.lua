-- expect: sweep_points_huge.lua | sweep | points
-- command: sweep
-- 10^8 points died with bad_alloc.
local v = {}
for i = 1, 100 do v[i] = i end
return { duration = "1h", workload = { { kind = "training", rate = "1/h" } },
         sweep = { axes = { ["params.a"] = v, ["params.b"] = v, ["params.c"] = v, ["params.d"] = v } } }

-- expect: sweep_points_wrap.lua | sweep | points
-- command: sweep
-- 64 axes of two values: 2^64 points wrapped to 0 and wrote an empty file.
local axes = {}
for i = 1, 64 do axes["params.a" .. i] = { 1, 2 } end
return { duration = "1h", workload = { { kind = "training", rate = "1/h" } }, sweep = { axes = axes } }

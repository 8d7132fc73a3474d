-- expect: price_profile_huge.lua | price_profile
local p = {}
for h = 1, 24 do p[h] = 1 end
p[13] = 1e300
return { duration = "1d", price_profile = p, workload = { { kind = "training", rate = "1/h" } } }

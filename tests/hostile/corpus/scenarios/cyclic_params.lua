-- expect: cyclic_params.lua | params | cycle
-- A table that contains itself, handed to the policy as params.
local t = { alpha = 1 }
t.self = t
return { duration = "1h", params = t, workload = { { kind = "training", rate = "1/h" } } }

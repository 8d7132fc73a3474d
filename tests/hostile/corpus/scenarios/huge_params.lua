-- expect: huge_params.lua | key 'params.big': more than 1000000 values
-- 1.1 million entries in params (copied into every policy state).
local t = {}
for i = 1, 1100000 do t[i] = i end
return { duration = "1h", params = { big = t }, instruction_budget = 0,
         workload = { { kind = "training", rate = "1/h" } } }

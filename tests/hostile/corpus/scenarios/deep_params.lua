-- expect: deep_params.lua | params | deep
-- Tables nested 100,000 deep: reading them recursively overflowed the stack.
local t = {}
for i = 1, 100000 do t = { t } end
return { duration = "1h", params = { deep = t }, workload = { { kind = "training", rate = "1/h" } } }

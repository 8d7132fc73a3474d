-- expect: deep_recursion.lua | stack overflow | in place, job
-- set: instruction_budget=0
-- Unbounded recursion (with no instruction budget to stop it first) ends in
-- Lua's own stack limit, an error like any other.
local function down(n) return down(n + 1) + 1 end
return { place = function(job, net) return down(1) end }

-- expect: memory_table_growth.lua | memory | policy_memory | in place, job
-- set: instruction_budget=0
-- set: hook_time_limit=0
-- Many small allocations (no instruction budget or time limit to stop it
-- first: only the memory limit can).
return {
  place = function(job, net)
    local t = {}
    for i = 1, math.huge do t[i] = { i, i, i, i } end
  end,
}

-- least_loaded_inline: the built-in least_loaded with lib.util inlined for
-- chip_requirement "any" (the common case), to measure how much of a place()
-- decision is helper-call and view overhead (bench/policy_bench.cpp).
-- Same decisions as policies/least_loaded.lua for jobs without a chip constraint.
local util = require "lib.util"

local function place(job, net)
  local centers = net.centers
  local g = job.gpus
  if job.chip_requirement ~= "any" then
    local best, best_free, best_q = nil, -1, math.huge
    for i = 1, #centers do
      local c = centers[i]
      if util.has_room(job, c) then
        local f, q = util.free(job, c), c.queued_jobs
        if f > best_free or (f == best_free and q < best_q) then best, best_free, best_q = c, f, q end
      end
    end
    return best
  end
  local best, best_free, best_q = nil, -1, math.huge
  for i = 1, #centers do
    local c = centers[i]
    if c.up and c.largest_pool >= g and c.max_free >= g then
      local f = c.free_chips
      if f >= best_free then
        local q = c.queued_jobs
        if f > best_free or q < best_q then best, best_free, best_q = c, f, q end
      end
    end
  end
  return best
end

return { place = place }

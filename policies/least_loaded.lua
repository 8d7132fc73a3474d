-- least_loaded: the center with the most free chips the job may use (its chip
-- constraint applied), among those where it can start now; ties go to the
-- shorter queue, then the lowest index.
--
-- net.room orders the centers by free chips (ties in index order), so only
-- the centers tied with the first are compared: the same choice as a loop
-- over every center, without the loop.
local MOST_FREE = { order = "most_free" }

local function place(job, net)
  local centers, free = net.room(job, MOST_FREE)   -- free[k]: usable free chips at centers[k]
  local best = centers[1]
  for k = 2, #centers do
    if free[k] ~= free[1] then break end
    if centers[k].queued_jobs < best.queued_jobs then best = centers[k] end
  end
  return best
end

return { place = place }

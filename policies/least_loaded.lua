-- least_loaded: the center with the most free chips the job may use (its chip
-- constraint applied), among those where it can start now; ties go to the
-- shorter queue, then the lowest index.
local function place(job, net)
  local centers, free = net.room(job)       -- free[k]: usable free chips at centers[k]
  local best, best_free = nil, -1
  for k = 1, #centers do
    local f = free[k]
    if f > best_free or (f == best_free and centers[k].queued_jobs < best.queued_jobs) then
      best, best_free = centers[k], f
    end
  end
  return best
end

return { place = place }

-- latency_aware_inference: inference jobs go to the lowest-latency center
-- (from their origin) with room, within their latency bound if they have
-- one; other jobs go to the least loaded center (most usable free chips).
local function place(job, net)
  local centers, free = net.room(job)       -- centers with room, usable free chips
  local best, best_v = nil, math.huge
  if job.kind == "inference" then
    local lat = net.latency_from(job.origin)
    local bound = job.latency_bound > 0 and job.latency_bound or math.huge
    for k = 1, #centers do
      local l = lat[centers[k].index]
      if l <= bound and l < best_v then best, best_v = centers[k], l end
    end
  else
    for k = 1, #centers do
      if -free[k] < best_v then best, best_v = centers[k], -free[k] end
    end
  end
  return best
end

return { place = place }

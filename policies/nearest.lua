-- nearest: the center with the lowest one-way latency from the job's origin
-- among those where the job can start now (ties: lowest center index).
local function place(job, net)
  local centers = net.room(job)             -- centers with room, in index order
  local lat = net.latency_from(job.origin)  -- lat[i]: origin -> net.centers[i], seconds
  local best, best_lat = nil, math.huge
  for k = 1, #centers do
    local c = centers[k]
    local l = lat[c.index]
    if l < best_lat then best, best_lat = c, l end
  end
  return best                               -- nil: wait
end

return { place = place }

-- east_data_west_compute (东数西算): latency-tolerant work (training,
-- finetune) goes to the western hub centers, the one with the most free chips
-- the job may use; inference goes to the nearest center that meets its
-- latency bound (if any) and has room.
--
-- params.west_hubs: comma-separated hub names (default below).
-- When the west is full, training waits for it; a job no western center can
-- ever run (chip constraint) goes to the least loaded center anywhere.
local util = require "lib.util"

local west = util.set(params.west_hubs or "Inner Mongolia,Guizhou,Gansu,Ningxia")

local function place(job, net)
  if job.kind == "inference" then return util.nearest_within_bound(job, net) end
  local centers, free = net.room(job)
  local best, best_free, any, any_free = nil, -1, nil, -1
  for k = 1, #centers do
    local c, f = centers[k], free[k]
    if f > best_free and west[c.hub] then best, best_free = c, f end
    if f > any_free then any, any_free = c, f end
  end
  if best then return best end
  for _, c in ipairs(net.centers) do        -- slow path: is the west full, or unable?
    if west[c.hub] and util.fits(job, c) then return nil end  -- full: wait for the west
  end
  return any                                -- the west can never run it
end

return { place = place }

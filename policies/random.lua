-- random: a uniformly random center among those where the job can start now.
-- Reproducible: math.random is seeded from the scenario's seed.
local function place(job, net)
  local centers = net.room(job)             -- centers with room, in index order
  local n = #centers
  if n == 0 then return nil end             -- nothing has room: wait
  return centers[math.random(n)]
end

return { place = place }

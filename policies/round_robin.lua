-- round_robin: cycle through the centers in order; each job goes to the next
-- center (at or after the one following the previous choice) where it can
-- start now.
local next_index = 1                        -- policy state: survives between calls

local function place(job, net)
  local centers = net.room(job)             -- centers with room, in index order
  local n = #centers
  if n == 0 then return nil end             -- no room anywhere: wait
  local pick = centers[1]                   -- wrap around by default
  for k = 1, n do
    if centers[k].index >= next_index then pick = centers[k]; break end
  end
  next_index = pick.index % #net.centers + 1
  return pick
end

return { place = place }

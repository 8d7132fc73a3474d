-- data_local: move the job to its data when it can start there now, else
-- move the data to the job.
--
-- Among the centers where the job can start now (net.room), prefer those
-- that can read its catalog dataset without the backbone (net.has_data: the
-- center's cache holds a copy, or a home of the dataset is a storage site in
-- its city), the one with the most free chips first. When none of those has
-- room, the least loaded center where it can start: its data is copied there
-- (and kept in that center's cache when it has one). Jobs without a catalog
-- dataset are placed as least_loaded places them.
--
-- params.patience (seconds, default 0): how long a job may wait at the
-- dispatcher for room where its data is before it takes any room.
local patience = params and params.patience or 0

local function place(job, net)
  local centers, free = net.room(job)
  local best, best_free, near, near_free = nil, -1, nil, -1
  local has_data = job.dataset_name ~= nil
  for k = 1, #centers do
    local c, f = centers[k], free[k]
    if f > best_free then best, best_free = c, f end
    if has_data and f > near_free and net.has_data(c, job) then near, near_free = c, f end
  end
  if near then return near end
  if has_data and net.now - job.submit < patience then return nil end
  return best
end

return { place = place }

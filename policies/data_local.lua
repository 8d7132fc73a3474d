-- data_local: move the job to its data when it can start there now, else
-- move the data to the job.
--
-- Among the centers where the job can start now, prefer those that can read
-- its catalog dataset without the backbone (net.has_data: the center's cache
-- holds a copy, or a home of the dataset is a storage site in its city), the
-- one with the most free chips first. When none of those has room, the least
-- loaded center where it can start: its data is copied there (and kept in
-- that center's cache when it has one). Jobs without a catalog dataset are
-- placed on the center with the most free chips where they can start.
-- net.most_free answers "the most free center with room" in the engine: the
-- same choice as a loop over net.room(job) calling net.has_data, ties to the
-- lowest index, without the loop or the arrays.
--
-- params.patience (seconds, default 0): how long a job may wait at the
-- dispatcher for room where its data is before it takes any room.
local patience = params and params.patience or 0
local NEAR = { local_data = true }

local function place(job, net)
  if job.dataset_name ~= nil then
    local near = net.most_free(job, NEAR)
    if near then return near end
    if net.now - job.submit < patience then return nil end
  end
  return (net.most_free(job))  -- the center only: a second value would name a pool
end

return { place = place }

-- Everything to one small center, like one_center_policy.lua, but with
-- shortest-walltime-first local queues: the order hook returns 1-based
-- indices into the queue, first runs first.
local where = params.center or "Hefei"
local M = {}
function M.place(job, net) return where end
function M.order(queue, center, net, pool)
  local idx = {}
  for i = 1, #queue do idx[i] = i end
  table.sort(idx, function(a, b)
    if queue[a].walltime ~= queue[b].walltime then return queue[a].walltime < queue[b].walltime end
    return a < b
  end)
  return idx
end
return M

-- bind(): every job goes to the highest-numbered server where it fits, and
-- checks what pool.server() says about it.
local M = {}
function M.place(job, net) return net.centers[1] end
function M.bind(job, pool, feasible)
  local s = feasible[#feasible]
  local view = pool.server(s)
  assert(view.index == s and view.gpus == pool.per_server, "pool.server view")
  assert(view.free_gpus >= job.gpus or job.gpus < 1, "a feasible server has room")
  return s
end
return M

-- A node-placement hook: jobs go to the feasible server with the fewest
-- whole free GPUs (a hand-written best fit), and the policy records nothing:
-- the test checks the servers in the job table.
local M = {}
function M.place(job, net) return "X" end
function M.bind(job, pool, feasible)
  local best, best_free
  for _, s in ipairs(feasible) do
    local free = pool.server(s).free_gpus
    if not best or free < best_free then best, best_free = s, free end
  end
  return best
end
return M

-- A policy that never returns: the instruction budget must stop it.
local M = {}
function M.place(job, net)
  local x = 0
  while true do x = x + 1 end
end
return M

-- bind() answers a server where the job does not fit.
local M = {}
function M.place(job, net) return net.centers[1] end
function M.bind(job, pool, feasible) return 99 end
return M

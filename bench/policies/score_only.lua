-- score_only: a pure score() policy for the parallel place_batch benchmark
-- (bench/policy_bench.cpp). Higher is better: free chips the job may use,
-- minus a latency and a price penalty; nil when the center cannot run it now.
-- No module state, no math.random: the (job x center) matrix may be
-- evaluated in parallel and must give the serial decisions.
local util = require "lib.util"

local function score(job, c, net)
  if not util.has_room(job, c) then return nil end
  local lat = net.latency(job.origin, c)
  if job.latency_bound > 0 and lat > job.latency_bound then return nil end
  return util.free(job, c) - 1e4 * lat - 1e6 * c.price
end

return { score = score }

-- Shared helpers for the built-in policies: chip constraints and capacity.
-- Load with `local util = require "lib.util"`. All functions read the
-- read-only `job` and center views described in policies/README.md.
local util = {}

-- Can this center ever run the job? (up, and a pool that matches the chip
-- constraint and is big enough). Does not look at free capacity.
function util.fits(job, c)
  if not c.up then return false end
  local req, g = job.chip_requirement, job.gpus
  if req == "any" then return c.largest_pool >= g
  elseif req == "cuda" then return c.largest_cuda_pool >= g
  elseif req == "domestic" then return c.largest_domestic_pool >= g
  end
  for _, p in ipairs(c.pools) do            -- "specific": exactly job.chip
    if p.chip == job.chip and p.total >= g then return true end
  end
  return false
end

-- The most chips the job could start with now in one pool of `c` that may
-- run it (a job runs in one pool; on pools made of servers, free chips
-- scattered over servers do not count). For a vGPU share (gpus < 1): the
-- largest share one chip could give now.
function util.max_free(job, c)
  local req, share = job.chip_requirement, job.gpus < 1
  if req == "any" then return share and c.max_share or c.max_free
  elseif req == "cuda" then return share and c.max_share_cuda or c.max_free_cuda
  elseif req == "domestic" then return share and c.max_share_domestic or c.max_free_domestic
  end
  local best = 0
  for _, p in ipairs(c.pools) do
    local start = share and p.start_share or p.start
    if p.chip == job.chip and start > best then best = start end
  end
  return best
end

-- Free chips over all matching pools of `c` (a load measure).
function util.free(job, c)
  local req = job.chip_requirement
  if req == "any" then return c.free_chips
  elseif req == "cuda" then return c.free_cuda
  elseif req == "domestic" then return c.free_domestic
  end
  local sum = 0
  for _, p in ipairs(c.pools) do
    if p.chip == job.chip then sum = sum + p.free end
  end
  return sum
end

-- Could the job start at `c` right now?
function util.has_room(job, c)
  return util.fits(job, c) and util.max_free(job, c) >= job.gpus
end

-- The center minimising key(c) among those where ok(c) holds (ties: lowest
-- index); nil when none. Returns the center view.
function util.argmin(centers, ok, key)
  local best, best_k = nil, math.huge
  for i = 1, #centers do
    local c = centers[i]
    if ok(c) then
      local k = key(c)
      if k < best_k then best, best_k = c, k end
    end
  end
  return best
end

-- The center with room nearest to the job's origin within its latency bound
-- (none: any distance), or nil: wait for room within the bound.
function util.nearest_within_bound(job, net)
  local centers = net.room(job)
  local lat = net.latency_from(job.origin)
  local bound = job.latency_bound > 0 and job.latency_bound or math.huge
  local best, best_lat = nil, math.huge
  for k = 1, #centers do
    local l = lat[centers[k].index]
    if l <= bound and l < best_lat then best, best_lat = centers[k], l end
  end
  return best
end

-- Parses a comma-separated params string into a set: "a,b" -> {a=true, b=true}.
function util.set(text)
  local s = {}
  for item in string.gmatch(text or "", "[^,]+") do
    s[item:match("^%s*(.-)%s*$")] = true
  end
  return s
end

return util

-- split_training: a job some center can start now goes where least_loaded
-- sends it. A training job with span parameters (job.span) that no center can
-- start now waits up to params.max_wait seconds (default 0) for one, then is
-- split over the fewest centers that can start it together now (at most
-- params.max_parts, default 3), the centers whose best pool has the most
-- free chips first, each part in that pool and a whole number of replicas of
-- params.replica chips (default 8: a tensor x pipeline parallel group never
-- straddles two centers; a job that is not a whole number of replicas is
-- split chip by chip). Other jobs wait for a center with room.
--
-- params.centers ("Beijing,Shanghai"): only these centers may hold parts, in
-- this order of preference. params.parts = m (an experiment: what splitting
-- costs): every training job with span parameters is split at once into m
-- parts of (nearly) equal numbers of replicas (as many parts as it has
-- replicas when that is fewer than m), over the first m centers of
-- params.centers (or the m with the most free chips), waiting until they can
-- all start it; m = 1 places it whole at the first of them.
--
-- A waiting job is asked again when capacity changes; set the scenario's
-- tick_interval for max_wait to be checked as time passes.
local util = require "lib.util"
local least_loaded = require "least_loaded"

local max_wait = params.max_wait or 0
local max_parts = params.max_parts or 3
local replica = params.replica or 8
local forced = params.parts

local preferred = nil                       -- center names in order, or nil
if params.centers then
  preferred = {}
  for name in string.gmatch(params.centers, "[^,]+") do
    preferred[#preferred + 1] = name:match("^%s*(.-)%s*$")
  end
end

local function allowed(job, p)
  local req = job.chip_requirement
  if req == "any" then return true
  elseif req == "cuda" then return p.cuda
  elseif req == "domestic" then return p.domestic
  end
  return p.chip == job.chip
end

-- The pool of `c` where most of the job's chips could start now, and how many.
local function best_pool(job, c)
  local best, n = nil, 0
  for _, p in ipairs(c.pools) do
    if allowed(job, p) and p.start > n then best, n = p, p.start end
  end
  return best, n
end

-- Centers that may hold a part: { center, pool, free }, in order of
-- preference (params.centers, else the most free chips first).
local function candidates(job, net)
  local out = {}
  local function add(c)
    if not c.up then return end
    local p, n = best_pool(job, c)
    if p then out[#out + 1] = { center = c, pool = p, free = n } end
  end
  if preferred then
    for _, name in ipairs(preferred) do
      local c = net.center(name)
      if not c then error("params.centers: no center at '" .. name .. "'") end
      add(c)
    end
    return out
  end
  for _, c in ipairs(net.centers) do add(c) end
  table.sort(out, function(a, b)
    if a.free ~= b.free then return a.free > b.free end
    return a.center.index < b.center.index
  end)
  return out
end

local function part(cand, replicas, size)
  return { center = cand.center, pool = cand.pool, gpus = replicas * size }
end

-- m parts of (nearly) equal replicas over the first m candidates, or nil.
local function split_evenly(job, cands, m, size)
  if #cands < m then return nil end
  local r = job.gpus // size
  local parts = {}
  for i = 1, m do
    local share = r // m + (i <= r % m and 1 or 0)
    if cands[i].free < share * size then return nil end
    parts[i] = part(cands[i], share, size)
  end
  return parts
end

-- As few parts as the candidates' free chips allow, in order, or nil.
local function split_greedily(job, cands, size)
  local left, parts = job.gpus // size, {}
  for _, c in ipairs(cands) do
    if left == 0 or #parts == max_parts then break end
    local take = math.min(c.free // size, left)
    if take > 0 then
      parts[#parts + 1] = part(c, take, size)
      left = left - take
    end
  end
  if left > 0 or #parts < 2 then return nil end
  return parts
end

local function place(job, net)
  if job.span and forced then
    local size = job.gpus % replica == 0 and replica or 1
    local cands = candidates(job, net)
    local m = math.min(forced, job.gpus // size)  -- no part without a replica
    if m <= 1 then
      local c = cands[1]
      if c and c.free >= job.gpus then return c.center, c.pool end
      return nil
    end
    local parts = split_evenly(job, cands, m, size)
    return parts and { parts = parts } or nil
  end
  local whole = least_loaded.place(job, net)
  if whole or not job.span or net.now - job.submit < max_wait then return whole end
  local size = job.gpus % replica == 0 and replica or 1
  local parts = split_greedily(job, candidates(job, net), size)
  return parts and { parts = parts } or nil
end

return { place = place }

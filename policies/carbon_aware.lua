-- carbon_aware: deferrable work runs where AND when electricity is cleanest.
--
-- Training and fine-tuning without a latency bound go to the center with the
-- lowest carbon per unit of IT energy right now (c.carbon_it: the grid's
-- factor x (1 - green share) x this hour's multiplier x PUE), among those
-- where the job can start -- unless a clearly cleaner hour is coming: the
-- policy remembers each center's carbon_it by hour of day (a day-ahead
-- forecast, learned as the hours go by), and when some center is expected to
-- be params.min_gain (default 20%) cleaner within the job's remaining
-- deferral budget (params.max_delay seconds after submission, default 6 h)
-- the job waits for it. Inference, and any job with a latency bound, goes to
-- the nearest center with room.
--
-- The hourly multipliers are those of the scenario's carbon profiles
-- (carbon = { hourly = true }); without them every hour is its center's mean,
-- nothing is ever deferred, and this policy is lowest_carbon for deferrable work.
local util = require "lib.util"

local min_gain = params.min_gain or 0.2
local max_delay = params.max_delay or 6 * 3600

local seen = {}   -- seen[center index][hour of day + 1] = carbon_it observed then

local function hour_of(t) return math.floor(t / 3600) % 24 end

-- Remembers every center's carbon_it of the current hour.
local function observe(net)
  local h = hour_of(net.now) + 1
  for _, c in ipairs(net.centers) do
    local s = seen[c.index]
    if not s then s = {}; seen[c.index] = s end
    s[h] = c.carbon_it
  end
end

-- The lowest carbon_it expected at any center that could run the job in the
-- hours after this one up to `until_t` (only hours already seen count).
local function best_ahead(job, net, until_t)
  local best = math.huge
  local t = (math.floor(net.now / 3600) + 1) * 3600
  while t <= until_t do
    local h = hour_of(t) + 1
    for _, c in ipairs(net.centers) do
      local v = seen[c.index] and seen[c.index][h]
      if v and v < best and util.fits(job, c) then best = v end
    end
    t = t + 3600
  end
  return best
end

local function nearest(job, net)
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

local function place(job, net)
  observe(net)
  if job.kind == "inference" or job.latency_bound > 0 then return nearest(job, net) end
  local centers = net.room(job)
  local best, best_co2 = nil, math.huge
  for k = 1, #centers do
    local co2 = centers[k].carbon_it
    if co2 < best_co2 then best, best_co2 = centers[k], co2 end
  end
  local deadline = job.submit + max_delay
  if net.now < deadline and best_ahead(job, net, deadline) < (1 - min_gain) * best_co2 then
    return nil                                   -- a cleaner hour is coming: wait for it
  end
  return best                                    -- nil when nowhere has room: wait
end

return { place = place }

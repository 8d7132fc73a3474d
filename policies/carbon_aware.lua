-- carbon_aware: deferrable work runs where AND when electricity is cleanest.
--
-- Training and fine-tuning without a latency bound go to the center with the
-- lowest carbon per unit of IT energy expected over the job's run (c.carbon_it:
-- the grid's factor x (1 - green share) x the hour's multiplier x PUE,
-- averaged over the hours from now to now + its walltime, at most a day),
-- among those where the job can start -- unless a clearly cleaner start hour
-- is coming: when some center that could run the job is expected, for a start
-- within the job's deferral budget (params.max_delay seconds after submission,
-- default 6 h), to be params.min_gain (default 20%) cleaner over the run than
-- the best center now, the job waits for that hour. The gain must come from
-- the hour: that center must also be min_gain cleaner then than if the job
-- started there now (a center that is clean but full is not waited for: that
-- would be waiting for capacity, not for an hour). A long job sees most hours
-- of the day wherever it starts, so it is rarely deferred. Inference, and any
-- job with a latency bound, goes to the nearest center with room.
--
-- The hour-by-hour carbon is learned as the hours go by (a day-ahead
-- forecast: each center's carbon_it seen at each hour of day; an hour not yet
-- seen counts as the center's daily mean). Held jobs come back together (the
-- engine retries held jobs in batches, all decided on one view of the
-- network, and a job's chips are taken only when its data arrives), so the
-- policy counts the chips it has sent to each center at the current instant
-- and skips centers already queueing work: a released batch spreads over the
-- cleanest centers instead of queueing at one. params.max_delay = 0: never
-- defer (place only).
--
-- Without hourly profiles (carbon = { hourly = true }) every hour is its
-- center's mean, nothing is ever deferred, and this policy is lowest_carbon
-- for deferrable work (with the batch accounting above).
local util = require "lib.util"

local min_gain = params.min_gain or 0.2
local max_delay = params.max_delay or 6 * 3600

local seen = {}       -- seen[center index][hour of day + 1] = carbon_it observed then
local prefix = {}     -- prefix[center index][i + 1] = sum of the expected carbon_it of hours h0 .. h0 + i - 1
local h0 = -1         -- the hour (since the start) prefix was built for
local hold = {}       -- hold[job id] = time the job waits for (the start of its cleaner hour)
local sent, sent_at = {}, -1   -- chips sent to each center at the instant sent_at

-- Once an hour: remember every center's carbon_it of this hour and rebuild the
-- prefix sums of the expected carbon_it over the next 48 hours.
local function observe(net)
  local hour = math.floor(net.now / 3600)
  if hour == h0 then return end
  h0 = hour
  for _, c in ipairs(net.centers) do
    local s = seen[c.index]
    if not s then s = {}; seen[c.index] = s end
    s[hour % 24 + 1] = c.carbon_it
    local mean_it = c.carbon_mean * c.pue
    local p = { 0 }
    for i = 1, 48 do p[i + 1] = p[i] + (s[(hour + i - 1) % 24 + 1] or mean_it) end
    prefix[c.index] = p
  end
end

-- Expected carbon_it at center index ci of a run of `len` hours starting k hours from now.
local function expected(ci, k, len)
  local p = prefix[ci]
  return (p[k + len + 1] - p[k + 1]) / len
end

-- Room for the job at c, counting what was sent there at this instant; a
-- center already queueing work has none.
local function room_now(job, c, net)
  if net.now ~= sent_at then sent, sent_at = {}, net.now end
  return c.queued_jobs == 0 and util.max_free(job, c) - (sent[c.index] or 0) >= job.gpus
end

local function place(job, net)
  observe(net)
  if job.kind == "inference" or job.latency_bound > 0 then return util.nearest_within_bound(job, net) end
  local until_t = hold[job.id]
  if until_t then
    if net.now < until_t then return nil end   -- its hour has not come
    hold[job.id] = nil
  end
  local len = math.min(24, math.max(1, math.ceil(job.walltime / 3600)))
  local best = util.argmin(net.room(job), function(c) return room_now(job, c, net) end,
                           function(c) return expected(c.index, 0, len) end)
  if not best then return nil end              -- nowhere has room: wait
  local best_now = expected(best.index, 0, len)
  -- The cleanest start hour ahead, up to the deadline (and a day).
  local hours = math.min(24, math.floor((job.submit + max_delay) / 3600) - h0)
  local ahead, ahead_k = (1 - min_gain) * best_now, nil
  if hours >= 1 then
    for _, c in ipairs(net.centers) do
      local ci = c.index
      local here_now = (1 - min_gain) * expected(ci, 0, len)
      for k = 1, hours do
        local v = expected(ci, k, len)
        if v < ahead and v < here_now and util.fits(job, c) then ahead, ahead_k = v, k end
      end
    end
  end
  if ahead_k then
    hold[job.id] = (h0 + ahead_k) * 3600          -- a cleaner hour is coming: wait for it
    return nil
  end
  sent[best.index] = (sent[best.index] or 0) + job.gpus
  return best
end

return { place = place }

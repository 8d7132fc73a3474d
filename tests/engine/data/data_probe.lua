-- Checks what a policy sees of the data tier at instants computed by hand
-- (data_tier_test.cpp, PolicySeesWhereCopiesAre); any surprise raises.
local function expect(ok, what)
  if not ok then error("probe: " .. what .. " (job " .. tostring(current) .. ")") end
end

local function place(job, net)
  current = job.id
  local A, B = net.center("A"), net.center("B")
  local d = net.dataset(job)
  expect(d and d.name == job.dataset_name and d.size == 100e9, "dataset view")
  expect(#d.homes == 1 and d.homes[1] == "S", "homes")
  expect(job.data_mode == "stage" and job.passes == nil, "data mode")
  expect(A.cache == 1e12 and B.cache == 0, "cache sizes")
  expect(net.storage("A") == nil and net.dataset("nope") == nil and not net.has_data(A, "nope"), "unknowns")
  local s = net.storage("S")
  expect(s.city == "S" and s.read_bw == 5e9, "site")
  if job.id == 1 then      -- t = 0: nothing anywhere
    expect(not net.has_data(A, job) and #d.cached == 0 and A.cache_free == 1e12, "cold")
    expect(s.read == 0 and s.reads == 0, "nothing read yet")
    return A
  elseif job.id == 2 then  -- t = 100: job 1's copy landed in A's cache at 20.01 s
    expect(net.has_data(A, job) and net.has_data("A", "d0") and net.has_data(1, job), "warm at A")
    expect(not net.has_data(B, job), "cold at B")
    expect(#d.cached == 1 and d.cached[1] == "A" and A.cache_free == 1e12 - 100e9, "cached at A")
    expect(s.read == 100e9 and s.reads == 0, "one read done")
    return B                -- the data to the job: B has no cache, a private copy
  elseif job.id == 3 then  -- t = 105: job 2's copy to B is on its way
    expect(s.reads == 1, "one read in progress")
    expect(not net.has_data(A, job) and #d.cached == 0, "d1 is cached nowhere")
    return A
  end
  return A
end

return { place = place }

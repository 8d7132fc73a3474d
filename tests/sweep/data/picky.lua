-- A test policy: least-loaded-ish placement, but raises an error on the
-- first job when params.mode == "boom".
local function place(job, net)
  if params.mode == "boom" then error("boom: this sweep point is meant to fail") end
  local centers = net.room(job)
  return centers[1]
end

return { place = place }

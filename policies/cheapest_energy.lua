-- cheapest_energy: the center where energy costs least right now: electricity
-- price (CNY/kWh, time-of-use applied) times PUE (= c.price_it), among those
-- where the job can start now (ties: lowest index).
local function place(job, net)
  local centers = net.room(job)
  local best, best_cost = nil, math.huge
  for k = 1, #centers do
    local cost = centers[k].price_it
    if cost < best_cost then best, best_cost = centers[k], cost end
  end
  return best
end

return { place = place }

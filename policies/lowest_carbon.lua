-- lowest_carbon: the center whose grid emits least per unit of IT energy:
-- carbon factor (kg CO2/kWh) times PUE (= c.carbon_it), among those where the
-- job can start now (ties: lowest index).
local function place(job, net)
  local centers = net.room(job)
  local best, best_co2 = nil, math.huge
  for k = 1, #centers do
    local co2 = centers[k].carbon_it
    if co2 < best_co2 then best, best_co2 = centers[k], co2 end
  end
  return best
end

return { place = place }

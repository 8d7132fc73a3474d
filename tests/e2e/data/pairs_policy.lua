-- A policy whose answer depends on the order pairs() visits string keys:
-- the first center with room, in that order. With Lua's own pairs the order
-- follows a string hash seeded per process, so the same scenario and seed
-- sent jobs to different cities from run to run; the sandbox's pairs visits
-- keys sorted, so every run places the same way (e2e_determinism).
return {
  place = function(job, net)
    local centers, free = net.room(job)
    local by_name = {}
    for k = 1, #centers do by_name[centers[k].name] = centers[k] end
    for _, c in pairs(by_name) do return c end
    return nil
  end,
}

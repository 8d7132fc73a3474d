-- expect: tick_loop.lua | instruction budget | on_tick
-- set: tick_interval=1h
-- Budgets cover every hook, not only place.
return {
  place = function(job, net) return nil end,
  on_tick = function(net) xpcall(error, function() while true do end end) end,
}

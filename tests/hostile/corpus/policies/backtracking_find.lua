-- expect: backtracking_find.lua | hook_time_limit
-- One string.find with a backtracking pattern runs for minutes inside C, out
-- of the count hook's reach: the watchdog stops it (base.lua sets
-- hook_time_limit = 1s, so within about 2 s).
return {
  place = function(job, net) string.find(string.rep("a", 40), string.rep("a*", 40) .. "b") end,
}

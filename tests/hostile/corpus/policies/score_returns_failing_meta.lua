-- expect: score_returns_failing_meta.lua | score
-- trace: burst.swf
-- score returns a table whose metamethods raise, from the parallel workers.
return {
  score = function(job, center, net)
    return setmetatable({}, { __index = function() error("x") end, __lt = function() error("y") end })
  end,
}

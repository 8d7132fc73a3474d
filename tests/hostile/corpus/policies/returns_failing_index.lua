-- expect: returns_failing_index.lua | place(job
-- place returns a table whose __index raises: the bridge reads the returned
-- value with raw access, never through metamethods.
return {
  place = function(job, net)
    return setmetatable({}, { __index = function() error("gotcha") end })
  end,
}

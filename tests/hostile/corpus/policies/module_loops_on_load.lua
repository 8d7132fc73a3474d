-- expect: loops_on_load.lua | instruction budget
-- phase: load
-- A required module that escapes the budget when it is loaded.
local m = require "modules.loops_on_load"
return { place = function(job, net) return nil end }

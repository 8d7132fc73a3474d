-- expect: error_tostring_loops.lua | in place, job
-- An error object whose __tostring never returns.
local bad = setmetatable({}, { __tostring = function() while true do end end })
return { place = function(job, net) error(bad) end }

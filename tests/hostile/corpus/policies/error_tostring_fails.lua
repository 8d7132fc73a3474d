-- expect: error_tostring_fails.lua | in place, job
-- An error object whose __tostring fails: it used to be converted outside a
-- protected call (PANIC: unprotected error, SIGABRT).
local bad = setmetatable({}, { __tostring = function() error("no text for you") end })
return { place = function(job, net) error(bad) end }

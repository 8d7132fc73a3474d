-- expect: score_error_object.lua | in score, job
-- trace: burst.swf
-- A score-only policy (jobs arriving together are scored in parallel, one
-- sandbox per worker thread) raising an error object whose __tostring fails.
local bad = setmetatable({}, { __tostring = function() error("no text") end })
return { score = function(job, center, net) error(bad) end }

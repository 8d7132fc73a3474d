-- expect: xpcall_looping_handler.lua:4: | instruction budget | in place, job
-- Lua runs a message handler of the budget's own error with hooks off: the
-- handler below looped forever before the budget re-armed.
return { place = function(job, net) xpcall(error, function() while true do end end) end }

-- expect: xpcall_loop.lua | instruction budget
-- A scenario file is code too: the budget holds while it is read.
xpcall(error, function() while true do end end)
return { workload = { { kind = "training", rate = "1/h" } } }

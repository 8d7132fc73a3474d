-- expect: xpcall_loop_and_handler.lua | instruction budget | in place, job
-- The body loops, its budget error goes to a handler that loops too.
return {
  place = function(job, net)
    xpcall(function() while true do end end, function() while true do end end)
  end,
}

-- expect: coroutine_loop.lua | instruction budget | in place, job
-- The budget covers coroutines, and resume re-raises it.
return {
  place = function(job, net)
    local co = coroutine.create(function() while true do end end)
    while true do coroutine.resume(co) end
  end,
}

-- expect: close_handler_loop.lua | instruction budget | in place, job
-- A to-be-closed variable whose __close loops runs while the budget's error
-- unwinds the call.
return {
  place = function(job, net)
    local guard <close> = setmetatable({}, { __close = function() while true do end end })
    while true do end
  end,
}

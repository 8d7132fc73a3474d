-- expect: returns_looping_index.lua | place(job
-- place returns a center-like table whose __index and __len loop forever.
return {
  place = function(job, net)
    local forever = function() while true do end end
    return setmetatable({}, { __index = forever, __len = forever, __eq = forever })
  end,
}

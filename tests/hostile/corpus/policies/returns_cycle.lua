-- expect: returns_cycle.lua | place(job
-- place returns a table that contains itself.
return {
  place = function(job, net)
    local t = {}
    t.name, t[1], t.self = t, t, t
    return t
  end,
}

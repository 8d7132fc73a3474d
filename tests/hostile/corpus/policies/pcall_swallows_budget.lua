-- expect: pcall_swallows_budget.lua | instruction budget | in place, job
-- pcall must re-raise the budget's error, or this loops forever.
return {
  place = function(job, net)
    while true do pcall(function() while true do end end) end
  end,
}

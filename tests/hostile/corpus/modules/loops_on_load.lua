-- Not a case: required by policies/module_loops_on_load.lua (require finds
-- modules in the scenario's folder, base.lua's).
xpcall(error, function() while true do end end)
return {}

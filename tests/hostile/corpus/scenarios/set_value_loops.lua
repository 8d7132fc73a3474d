-- expect: --set params.x | instruction budget
-- args: --set 'params.x={xpcall(error, function() while true do end end)}'
-- A --set value is read as a Lua table constructor, under the same budget.
return { duration = "1h", workload = { { kind = "training", rate = "1/h" } } }

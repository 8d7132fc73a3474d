-- expect: --set params.x: key 'params.x[1][1]' | contains itself
-- args: --set 'params.x={(function() local t = {}; t[1] = t; return t end)()}'
return { duration = "1h", workload = { { kind = "training", rate = "1/h" } } }

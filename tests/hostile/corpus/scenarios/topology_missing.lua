-- expect: topology_missing.lua | nowhere.graphml
return { topology = "nowhere.graphml", duration = "1d", workload = { { kind = "training", rate = "1/h" } } }

-- expect: trace_missing.lua | no_such_trace.swf
return { duration = "1d", workload = { { trace = "no_such_trace.swf", format = "swf" } } }

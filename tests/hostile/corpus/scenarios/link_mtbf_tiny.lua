-- expect: link_mtbf_tiny.lua | link_mtbf | failures
-- A millisecond MTBF on 250 links grew to 12 GB before bad_alloc.
return { duration = "7d", failures = { random = { link_mtbf = "1ms", link_mttr = "1ms" } },
         workload = { { kind = "training", rate = "1/h" } } }

-- expect: backbone_bandwidth_huge.lua | backbone_bandwidth
-- Every link at 1e300 Gbit/s: the 1e308-Gbps crash by another door.
return { duration = "1h", backbone_bandwidth = "1e300 Gbps", workload = { { kind = "training", rate = "1/h" } } }

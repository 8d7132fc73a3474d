-- expect: storage_read_inf.lua | storage[1].read
return {
  duration = "1h",
  storage = { { city = "Shanghai", read = "1e400 Gbps" } },
  workload = { { kind = "training", rate = "1/h" } },
}

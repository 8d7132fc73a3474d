-- expect: datasets_count_huge.lua | datasets.generate.count
-- 2^40 generated datasets: a count checked against the width it is stored
-- in and the catalog's limit (10^6), before anything is allocated.
return {
  duration = "1h",
  storage = { { city = "Shanghai", read = "400 Gbps" } },
  datasets = { generate = { count = 2 ^ 40, size = "1GB", homes = "one_site" } },
  workload = { { kind = "training", rate = "1/h", data = "catalog" } },
}

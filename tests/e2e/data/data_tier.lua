-- Data tier end to end: two storage sites, a Zipf catalog, caches at every
-- center, training that stages its dataset and fine-tuning that streams it,
-- placed by the data_local policy.
return {
  name = "data_tier",
  duration = "12h",
  seed = 7,
  policy = "data_local",
  sample_interval = "1h",
  storage = { { city = "Guiyang", read = "200 Gbps", capacity = "50 PB" },
              { city = "Shanghai", read = "100 Gbps" } },
  datasets = { { name = "web-zh", size = "20 TB", homes = { "Guiyang" }, weight = 5 },
               generate = { count = 50, size = { dist = "lognormal", median = "500GB", sigma = 1 },
                            zipf = 1.1, homes = "one_site" } },
  caches = { size = "30 TB", centers = { Beijing = 0 } },
  workload = {
    { kind = "training", rate = "10/h", gpus = { dist = "choice", values = { 8, 64 } },
      duration = { dist = "exp", mean = "2h" }, data = "catalog", result = "5GB" },
    { kind = "finetune", rate = "20/h", gpus = 2, duration = { dist = "exp", mean = "40min" },
      data = "catalog", data_mode = "stream", passes = 3, result = "1GB" },
    { kind = "inference", rate = "20/h", gpus = 0.5, duration = "10min", result = "1GB" },
  },
}

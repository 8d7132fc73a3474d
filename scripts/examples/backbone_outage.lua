-- A carrier backbone outage on the 2025 network.
--
-- Question: when one carrier's whole national backbone (China Telecom, "ct")
-- is down for twelve hours, how much do dataset transfers slow down, how many
-- are retried on the other carriers, and what does it do to waiting times?
-- The sweep runs the same two days with the outage at 12 h and with it
-- moved past the horizon (no outage):
--   suanwang sweep scripts/examples/backbone_outage.lua -j 2
return {
  name = "backbone_outage",
  duration = "2d",
  seed = 7,
  policy = "least_loaded",
  workload = {
    { kind = "training", rate = "250/h",
      gpus = { dist = "choice", values = { 8, 16, 32, 64, 128, 256, 512, 1024, 2048, 4096 },
               weights = { 30, 10, 10, 15, 10, 8, 7, 5, 3, 2 } },
      duration = { dist = "lognormal", median = "4h", sigma = 1.2, max = "2d" },
      dataset = { dist = "lognormal", median = "2TB", sigma = 0.7 }, result = "50GB" },
    { kind = "finetune", rate = "60/h", gpus = 16,
      duration = { dist = "exp", mean = "1h" }, dataset = "200GB", result = "5GB" },
  },
  failures = {
    links = { { link = "carrier:ct", at = "12h", ["for"] = "12h" } },
  },
  sweep = {
    -- "12h": the outage; "30d": after the horizon, i.e. no outage (the baseline).
    axes = { ["failures.links.1.at"] = { "12h", "30d" } },
  },
}

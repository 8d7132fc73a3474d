-- A carrier backbone outage.
--
-- Question: when one carrier's whole national backbone (China Telecom, "ct")
-- is down for twelve hours, how much do dataset transfers slow down, how many
-- are retried on the other carriers, and what does it do to waiting times?
-- Compare with the same scenario without the outage:
--   suanwang run scripts/examples/backbone_outage.lua --set failures.links=nil
return {
  name = "backbone_outage",
  duration = "2d",
  seed = 7,
  policy = "least_loaded",
  workload = {
    { kind = "training", rate = "150/h",
      gpus = { dist = "choice", values = { 1, 2, 4, 8, 16, 32, 64, 128, 256, 512 },
               weights = { 30, 10, 10, 15, 10, 8, 7, 5, 3, 2 } },
      duration = { dist = "lognormal", median = "2h", sigma = 1.0 },
      dataset = { dist = "lognormal", median = "1TB", sigma = 0.7 }, result = "50GB" },
    { kind = "finetune", rate = "60/h", gpus = 2,
      duration = { dist = "exp", mean = "1h" }, dataset = "100GB", result = "5GB" },
  },
  failures = {
    links = { { link = "carrier:ct", at = "12h", ["for"] = "12h" } },
  },
}

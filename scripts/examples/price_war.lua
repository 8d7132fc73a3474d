-- A price war on the 2025 network: one province cuts its electricity price for computing by 20%.
--
-- Question: when Guizhou (the Gui'an hub) cuts its price by 20%, as
-- provinces did in 2024, how much work does a cost-minimising policy pull
-- there, and what do the national bill and carbon do?
-- The western prices of the topology are the preferential data-centre deals
-- reported for 2025 (about 0.40 CNY/kWh after subsidies, topology/data/SOURCES.md
-- ft-2025-dc-power-subsidy; Zhongwei 0.36), not grid tariffs.
-- The sweep compares the price factor 1.0 (before) and 0.8 (after):
--   suanwang sweep scripts/examples/price_war.lua -j 2
return {
  name = "price_war",
  duration = "3d",
  seed = 5,
  policy = "cheapest_energy",
  local_queue = "easy",
  workload = {
    { kind = "training", rate = "250/h",
      gpus = { dist = "choice", values = { 8, 16, 32, 64, 128, 256, 512, 1024, 2048, 4096 },
               weights = { 30, 10, 10, 15, 10, 8, 7, 5, 3, 2 } },
      duration = { dist = "lognormal", median = "4h", sigma = 1.2, max = "3d" },
      dataset = "500GB", result = "10GB" },
    { kind = "finetune", rate = "60/h", gpus = 16,
      duration = { dist = "exp", mean = "1h" }, dataset = "50GB", result = "2GB" },
  },
  centers = {
    { city = "Guiyang", price_factor = 1.0 },
  },
  sweep = {
    axes = { ["centers.1.price_factor"] = { 1.0, 0.8 } },
    replications = 2,
  },
}

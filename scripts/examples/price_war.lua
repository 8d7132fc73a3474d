-- A price war: one province cuts its electricity price for computing by 20%.
--
-- Question: when Guizhou (the Gui'an hub) cuts its price by 20%, as
-- provinces did in 2024, how much work does a cost-minimising policy pull
-- there, and what do the national bill and carbon do?
-- The sweep compares the price factor 1.0 (before) and 0.8 (after):
--   suanwang sweep scripts/examples/price_war.lua -j 2
return {
  name = "price_war",
  duration = "3d",
  seed = 5,
  policy = "cheapest_energy",
  workload = {
    { kind = "training", rate = "150/h",
      gpus = { dist = "choice", values = { 1, 2, 4, 8, 16, 32, 64, 128, 256, 512 },
               weights = { 30, 10, 10, 15, 10, 8, 7, 5, 3, 2 } },
      duration = { dist = "lognormal", median = "3h", sigma = 1.0 },
      dataset = "100GB", result = "10GB" },
    { kind = "finetune", rate = "60/h", gpus = 2,
      duration = { dist = "exp", mean = "1h" }, dataset = "20GB", result = "2GB" },
  },
  centers = {
    { city = "Guiyang", price_factor = 1.0 },
  },
  sweep = {
    axes = { ["centers.1.price_factor"] = { 1.0, 0.8 } },
    replications = 2,
  },
}

-- Domestic-chip substitution on the 2025 network: a center swaps imported for domestic chips one for one.
--
-- Question: if Shanghai replaces every imported accelerator with Huawei
-- Ascend 910B chips one for one (as some services did in 2024), do CUDA-only
-- jobs pile up elsewhere, and how do throughput and energy change?
-- Shanghai holds about 138,000 chips in 2025 (120,000 P reported, converted
-- at 0.5 FP16-dense; topology/data/capacity-2025.csv), 70% of them
-- NVIDIA in the estimated mix.
--   suanwang sweep scripts/examples/domestic_substitution.lua -j 2
return {
  name = "domestic_substitution",
  duration = "3d",
  seed = 3,
  policy = "least_loaded",
  workload = {
    { kind = "training", rate = "250/h",
      gpus = { dist = "choice", values = { 8, 16, 32, 64, 128, 256, 512, 1024, 2048, 4096 },
               weights = { 30, 10, 10, 15, 10, 8, 7, 5, 3, 2 } },
      duration = { dist = "lognormal", median = "3h", sigma = 1.0 },
      dataset = "100GB", result = "10GB", chip_requirement = "cuda" },
    { kind = "finetune", rate = "250/h", gpus = 16,
      duration = { dist = "exp", mean = "1h" }, dataset = "20GB", result = "2GB" },
  },
  centers = {
    { city = "Shanghai", swap_to_chip = "none" },
  },
  sweep = {
    axes = { ["centers.1.swap_to_chip"] = { "none", "ascend-910b" } },
    replications = 2,
  },
}

-- Training that spans cities.
--
-- Question: a 1,024-GPU training run of a 70B-parameter model, split over
-- two or three cities' computing centers, exchanges its gradients over the
-- backbone every iteration. How much slower is it than in one center at
-- today's backbone bandwidth, and at what bandwidth does the penalty fall
-- under 10%? (docs/cross_center_training.md: the model, its sources and the
-- published cross-datacenter trials it is compared with.)
--
-- The job: 1,024 A800 (312 TFLOP/s, the reference chip's speed), data
-- parallel across the cities (each city's share a whole number of 32-GPU
-- tensor x pipeline replicas), bf16 gradients of 70e9 parameters
-- (140 GB all-reduced per iteration), 12.6 s per iteration in one center:
-- Llama 2 70B took 1,720,320 A100-hours for 2T tokens at 4M tokens per step
-- (Touvron et al., arXiv 2307.09288, 2023), 12.7 s per step on 1,024 GPUs.
-- No overlap: with gradient accumulation the gradients are final only in the
-- last micro-batch's backward pass, so the cross-city exchange is exposed.
-- Hierarchical all-reduce (reduce-scatter in each city, all-reduce of the
-- shards between cities, all-gather in each city: NVIDIA NeMo's
-- multi-datacenter training, 2025). 100 iterations: 21 minutes in one center.
--
-- Where: Beijing + Shanghai (512 + 512), then + Guangzhou (352 + 352 +
-- 320), chosen by the built-in split_training (params.parts forces the
-- split). The backbone is topology/china.graphml (link capacities are
-- estimates: topology/data/README.md); the job is alone on it.
--   suanwang run scripts/examples/cross_center_training.lua    -- today's backbone, 2 cities
--   ... --set params.parts=3                                    -- 3 cities
--   ... --set params.parts=1                                    -- one center
--   suanwang sweep scripts/examples/cross_center_training.lua -j 2
-- The sweep sets every backbone link to 100 Gb/s .. 3.2 Tb/s
-- (backbone_bandwidth) for 2 and 3 cities. Each run's jobs table gives
-- span_slowdown (1 = no penalty), its parts table the cities and the bytes
-- each sent.
return {
  name = "cross_center_training",
  duration = "2h",
  seed = 1,
  policy = "split_training",
  params = { centers = "Beijing,Shanghai,Guangzhou", parts = 2, replica = 32 },
  workload = {
    { kind = "training", rate = "1/min", max_jobs = 1, origin = "Beijing",
      gpus = 1024, chip_requirement = "specific", chip = "a800",
      duration = 100 * 12.6,
      span = { gradient = "140GB", iteration = "12.6s", overlap = 0, allreduce = "hierarchical" } },
  },
  sweep = {
    axes = {
      ["params.parts"] = { 2, 3 },
      backbone_bandwidth = { "100Gbps", "200Gbps", "400Gbps", "800Gbps", "900Gbps", "1000Gbps",
                             "1200Gbps", "1600Gbps", "3200Gbps" },
    },
  },
}

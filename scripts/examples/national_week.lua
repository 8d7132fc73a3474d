-- A baseline national week on the 2025 network: the default scenario of `scripts/demo.sh`.
--
-- Question: with today's mix of AI work and a simple least-loaded placement,
-- how busy is the national network, how long do jobs wait, and what do a
-- week's energy, electricity bill and carbon come to?
--
-- The network is topology/china.graphml, the 2025 vintage: about 1.9 million
-- accelerators (608 EFLOPS dense FP16) in 35 centers, servers of 8 chips.
-- The workload is scaled so the network is about as busy as reported: the
-- Inspur AI Research Institute put the average utilisation of China's
-- intelligent computing centres at about 30% (Science and Technology Daily,
-- July 2025; topology/data/SOURCES.md inspur-2025-utilisation). By Little's
-- law the training stream alone keeps ~575k chips busy (250 jobs/h x 280
-- chips on average x 8.2 h mean duration), 30% of the chips; the week starts
-- empty, so its average is a little lower.
--
-- A realistic mix: many fine-tuning and inference jobs, a heavy tail of large
-- training jobs (8 to 4,096 chips, whole servers) whose datasets cross the
-- backbone, and two long-running chat services following a diurnal curve.
return {
  name = "national_week",
  duration = "7d",
  seed = 1,
  policy = "least_loaded",
  local_queue = "easy",
  reference_chip = "a100",
  sample_interval = "1h",
  workload = {
    -- Pre-training and large training runs: mostly a server or two, a long tail of huge ones.
    { kind = "training", rate = "250/h", profile = "diurnal",
      gpus = { dist = "choice", values = { 8, 16, 32, 64, 128, 256, 512, 1024, 2048, 4096 },
               weights = { 30, 10, 10, 15, 10, 8, 7, 5, 3, 2 } },
      duration = { dist = "lognormal", median = "4h", sigma = 1.2, max = "5d" },
      walltime_factor = 1.5,
      dataset = { dist = "lognormal", median = "500GB", sigma = 1.0, max = "50TB" },
      result = "50GB", checkpoint = "1h" },
    -- Fine-tuning: one to eight servers for an hour or two, smaller datasets.
    { kind = "finetune", rate = "120/h", profile = "diurnal",
      gpus = { dist = "choice", values = { 8, 16, 32, 64 }, weights = { 40, 30, 20, 10 } },
      duration = { dist = "lognormal", median = "45min", sigma = 0.8 },
      walltime_factor = 2,
      dataset = { dist = "lognormal", median = "50GB", sigma = 1.0 }, result = "5GB" },
    -- Batch inference: vGPU shares of one chip, latency-bound, close to users.
    { kind = "inference", rate = "600/h", profile = "diurnal",
      gpus = { dist = "choice", values = { 0.25, 0.5, 1 }, weights = { 50, 30, 20 } },
      duration = { dist = "exp", mean = "20min" },
      dataset = "500MB", result = "50MB", latency_bound = "15ms" },
    -- Two chat services of 256 servers each (40 ms of an A100 per request): requests from
    -- every city, by demand weight; H800 in Shanghai, Ascend 910B in Guiyang.
    { service = "chat-east", peak_rate = "24000/s", profile = "diurnal", service_time = "40ms",
      chips = 2048, chip = "h800", center = "Shanghai", slo = "200ms" },
    { service = "chat-west", peak_rate = "24000/s", profile = "diurnal", service_time = "40ms",
      chips = 2048, chip = "ascend-910b", center = "Guiyang", slo = "200ms" },
  },
}

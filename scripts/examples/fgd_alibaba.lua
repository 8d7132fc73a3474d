-- Fragmentation inside one center: the FGD experiment of Weng et al.,
-- "Beware of Fragmentation: Scheduling GPU-Sharing Workloads with
-- Fragmentation Gradient Descent" (USENIX ATC'23), on its own trace.
--
-- Question: when GPU-sharing pods (a tenth of a GPU, half a GPU...) and
-- whole-GPU pods fill a cluster, how much of it does each node-placement
-- policy manage to allocate before pods stop fitting, and how much does
-- fragmentation-aware placement (fgd) gain over best fit, packing, dot
-- product and random?
--
-- The cluster is Alibaba PAI's 1,213 GPU nodes (6,212 GPUs; 1, 2, 4 or 8
-- GPUs, CPU and memory per node) as one center; the workload is its 8,152
-- pods (CPU-only ones included) in a random order, then pods drawn with
-- replacement until their GPU demand reaches 130% of the center's GPUs. Pods
-- arrive one a second and never leave; a pod that fits nowhere at once is
-- refused (local_queue "none") but counts as arrived, as in the paper.
--
-- Run it as a sweep (6 placements x 10 seeds, 42..51 as in the paper):
--   suanwang sweep scripts/examples/fgd_alibaba.lua -j 2 -o fgd_alibaba.h5
--   /usr/bin/python3 scripts/report.py fgd_alibaba.h5 -o fgd_report/
-- (gpu_allocation.png and the allocation table in summary.md.)
return {
  name = "fgd_alibaba",
  duration = "4h",              -- ~10,800 pods at one a second, then the horizon
  sample_interval = "10s",      -- fragmented_chips every 10 pods
  seed = 42,
  vgpu_slices = 1000,           -- milli-GPU, the trace's unit
  local_queue = "none",         -- nothing waits: the static-packing experiment
  node_placement = "fgd",
  centers = {
    -- The trace's GPU models (G2, T4, P100, V100, G3, A10) all become one
    -- chip id: the default pod list has no gpu_spec constraint, and pods
    -- never end, so the chip's speed plays no part.
    Hangzhou = { nodes = { file = "data/alibaba_pai_2023_openb/openb_node_list_gpu_node.csv",
                           chip = "a100" } },
  },
  workload = {
    { trace = "data/alibaba_pai_2023_openb/openb_pod_list_default.csv", format = "alibaba",
      center = "Hangzhou", origin = "Hangzhou", cpu_only_pods = true,
      shuffle = true,           -- name order, then shuffled with the run's seed
      tune_to = "130%",         -- GPU demand to 130% of the center's GPUs
      interval = "1s",          -- one pod a second, in list order
      duration = "never" },     -- pods hold their GPUs to the horizon
  },
  sweep = {
    axes = { node_placement = { "random_fit", "dot_product", "packing", "best_fit", "fgd",
                                "worst_fit" } },
    replications = 10,
  },
}

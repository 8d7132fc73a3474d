-- The scaling benchmarks' scenario (bench/engine_scaling): everything but the
-- jobs, which bench/closed_loop.hpp supplies (this workload is ignored).
-- bench/run.sh varies flow_model and topology with --set.
return {
  name = "scaling",
  duration = "10000d",           -- the run ends when the measurement window does (at most 1e9 s: README "Limits")
  seed = 1,
  policy = "least_loaded",
  local_queue = "fcfs",          -- as raw_simgrid (no backfilling): both simulate the same runs
  reference_chip = "a100",
  sample_interval = "1h",
  flow_model = "bundled",
  workload = { { kind = "inference", rate = "1/h", max_jobs = 1 } },
}

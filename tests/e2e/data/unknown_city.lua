return {
  name = "unknown_city",
  duration = "1d",
  workload = { { kind = "training", rate = "1/h", origin = "Shanghi" } },
}

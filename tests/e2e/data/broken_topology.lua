return {
  name = "broken_topology",
  topology = "broken.graphml",
  duration = "1d",
  workload = { { kind = "training", rate = "1/h" } },
}

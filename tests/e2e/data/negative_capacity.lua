return {
  name = "negative_capacity",
  duration = "1d",
  centers = { Guiyang = { pools = "ascend-910b:-100" } },
  workload = { { kind = "training", rate = "1/h" } },
}

return {
  name = "typo",
  duraton = "1d",
  workload = { { kind = "training", rate = "1/h" } },
}

return {
  name = "broken",
  duration = "1d"
  seed = 3,
}

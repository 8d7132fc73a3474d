-- A policy that fails: raises on the first job it is asked to place.
return {
  place = function(job, net)
    error("boom: this policy is meant to fail")
  end,
}

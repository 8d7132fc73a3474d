-- A policy that returns a city that does not exist.
return { place = function(job, net) return "Atlantis" end }

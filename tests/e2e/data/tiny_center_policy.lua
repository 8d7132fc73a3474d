-- Sends everything to Kunming (384 chips), even jobs that need more chips than it has.
return { place = function(job, net) return "Kunming" end }

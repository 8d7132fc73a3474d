-- The bridge plus net.room(job) (the C++ filter of centers with room), and
-- the first center it offers: the floor of any capacity-aware policy.
return { place = function(job, net) local centers = net.room(job) return centers[1] end }

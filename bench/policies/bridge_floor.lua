-- The cost floor of a policy call: the bridge (job view, net refresh, the
-- call itself) with a place() that decides nothing.
return { place = function(job, net) return nil end }

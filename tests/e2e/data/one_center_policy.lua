-- Everything to one small center (params.center, default Hefei): a queue forms.
local where = params.center or "Hefei"
return { place = function(job, net) return where end }

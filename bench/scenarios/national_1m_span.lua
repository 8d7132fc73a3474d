-- Bench scenario national_1m_span: national_1m's jobs, every training job
-- split over two centers with its gradients exchanged over the backbone at
-- every iteration (see national_mix.lua): bench/run.sh's spanning row.
local mix = require "national_mix"
return mix.scenario("1m", 1000000, "210h", { span = true })

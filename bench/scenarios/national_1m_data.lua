-- Bench scenario national_1m_data: national_1m's jobs with the data tier (a
-- dataset catalog on storage hubs, caches at every center, fine-tuning
-- streaming its data; see national_mix.lua): bench/run.sh's data-tier row.
local mix = require "national_mix"
return mix.scenario("1m", 1000000, "210h", { data = true })

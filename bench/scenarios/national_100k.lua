-- Bench scenario national_100k: ~100000 jobs on the national topology (see national_mix.lua).
local mix = require "national_mix"
return mix.scenario("100k", 100000, "24h")

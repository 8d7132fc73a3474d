-- Bench scenario national_10k: ~10000 jobs on the national topology (see national_mix.lua).
local mix = require "national_mix"
return mix.scenario("10k", 10000, "7h")

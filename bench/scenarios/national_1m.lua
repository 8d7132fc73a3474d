-- Bench scenario national_1m: ~1000000 jobs on the national topology (see national_mix.lua).
local mix = require "national_mix"
return mix.scenario("1m", 1000000, "210h")

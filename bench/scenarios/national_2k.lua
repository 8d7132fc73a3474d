-- Bench scenario national_2k: ~2000 jobs on the national topology (see national_mix.lua).
local mix = require "national_mix"
return mix.scenario("2k", 2000, "2h")

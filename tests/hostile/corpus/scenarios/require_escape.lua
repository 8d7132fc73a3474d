-- expect: require_escape.lua | passwd
-- require takes module names, never paths out of the allowed folders.
local x = require "../../../../../../etc/passwd"
return { duration = "1d", workload = { { kind = "training", rate = "1/h" } } }

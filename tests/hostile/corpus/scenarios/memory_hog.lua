-- expect: memory_hog.lua | memory
-- The scenario's sandbox has a memory limit too.
local s = "x"
while true do s = s .. s end

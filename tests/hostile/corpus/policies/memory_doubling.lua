-- expect: memory_doubling.lua | memory | policy_memory | in place, job
-- A string doubled until the machine runs out; the allocator refuses past
-- policy_memory (default 256 MB) and Lua raises "not enough memory".
return {
  place = function(job, net) local s = "x" while true do s = s .. s end end,
}

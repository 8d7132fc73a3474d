-- expect: returns_failing_index.lua
-- The scenario table's metamethods raise: it is read with raw access.
return setmetatable({}, { __index = function() error("gotcha") end,
                          __pairs = function() error("no pairs") end })

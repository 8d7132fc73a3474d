-- expect: error_object_tostring_fails.lua | __tostring
-- An error object whose __tostring fails (it aborted the process: PANIC).
error(setmetatable({}, { __tostring = function() error("again") end }))

-- expect: gc_finalizer.lua:5: | __gc | in place, job
-- Finalizers run with hooks off at any allocation, out of every budget's
-- reach: setmetatable refuses them.
return {
  place = function(job, net) setmetatable({}, { __gc = function() while true do end end }) end,
}

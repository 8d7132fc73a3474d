-- A policy that tries to leave the sandbox.
return { place = function(job, net) os.execute("touch /tmp/suanwang_escaped") return nil end }

-- expect: error_multiline.lua:6: first line second line | \x1b[2J | in place, job
-- An error message with newlines, tabs and a terminal escape sequence: the
-- promise is one line, and a message must not drive the terminal (control
-- characters are shown escaped).
return {
  place = function(job, net) error("first line\n\tsecond line\27[2J") end,
}

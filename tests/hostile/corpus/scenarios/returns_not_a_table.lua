-- expect: returns_not_a_table.lua | table
return "a scenario"

-- expect: instruction_budget_huge.lua | instruction_budget
return { instruction_budget = 2 ^ 70, duration = "1d", workload = { { kind = "training", rate = "1/h" } } }

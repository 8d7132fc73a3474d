-- expect: price_huge.lua | price
-- A price of 1e308 printed a cost of 0 CNY.
return { duration = "1d", centers = { Shanghai = { price = "1e308 CNY/kWh" } },
         workload = { { kind = "training", rate = "1/h" } } }

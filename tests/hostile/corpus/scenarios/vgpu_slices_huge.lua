-- expect: vgpu_slices_huge.lua | vgpu_slices
return { vgpu_slices = 2 ^ 31, duration = "1d", workload = { { kind = "training", rate = "1/h" } } }

-- A policy that splits training jobs over two centers, with a typo in a
-- part's key (params.mode = "total": parts that do not add up to the job).
return { place = function(job, net)
  if job.kind ~= "training" then return "Beijing" end
  if params.mode == "total" then
    return { parts = { {center = "Beijing", gpus = 1}, {center = "Shanghai", gpus = 1} } }
  end
  return { parts = { {center = "Beijing", gpus = 4}, {center = "Shanghai", gpu = 4} } }
end }

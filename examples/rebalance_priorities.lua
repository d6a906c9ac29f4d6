-- Rebalance Studio batch priorities: calibration batches first, then the oldest production
-- batches (lowest id first stands in for creation order within the same project).
--
--   refonte run examples/rebalance_priorities.lua
local batches = refonte.studio.batches.list()

local created = {}
for _, b in ipairs(batches) do
  created[b.name] = refonte.batches.get { batch = b.name }.created_at
end

table.sort(batches, function(a, b)
  local ca, cb = a.batchType == "Calibration", b.batchType == "Calibration"
  if ca ~= cb then return ca end
  if created[a.name] ~= created[b.name] then return created[a.name] < created[b.name] end
  return a.name < b.name
end)

local order = {}
for i, b in ipairs(batches) do
  order[i] = { name = b.name }
end

local result = refonte.studio.batches.set_priorities { batches = order }
for i, b in ipairs(result) do
  -- %s rather than %d: in a dry run the counts are "(known after apply)".
  print(string.format("%2d. %-32s %-11s %s/%s", i, b.name, b.batchType, b.completed, b.total))
end

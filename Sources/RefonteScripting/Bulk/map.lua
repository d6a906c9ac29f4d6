-- refonte.map (LuaChunk.map): MapFunction.swift installs it with the host functions it calls.
local check, started, advanced, finished, guard_print, hide, show = ...
local spawn, pcall, error, min = spawn, pcall, error, math.min
local refonte = refonte

function refonte.map(items, fn, opts)
  local concurrency, stop_on_error, label = check(items, fn, opts)
  local total = #items
  local results, errors = {}, {}
  local taken, done, failed, stopped = 0, 0, 0, false
  local map = started(total, label)

  -- Each worker takes the next item when its last one is done; after a failure with
  -- stop_on_error, none takes another, and the items already running finish.
  local function work()
    while not stopped and taken < total do
      taken = taken + 1
      local i = taken
      local ok, result = pcall(fn, items[i], i)
      if ok then
        results[i] = result
      else
        errors[i] = result
        failed = failed + 1
        if stop_on_error then stopped = true end
      end
      done = done + 1
      advanced(map, done, failed)
    end
  end

  local workers = {}
  for w = 1, min(concurrency, total) do workers[w] = spawn(work) end
  local problem
  for w = 1, #workers do
    local ok, err = pcall(workers[w].wait, workers[w])
    if not ok and problem == nil then problem = err end
  end
  finished(map, done, failed)
  if problem ~= nil then error(problem, 0) end
  return results, errors, { succeeded = done - failed, failed = failed, not_started = total - done }
end

-- A progress bar on the terminal that standard output also reaches is cleared before a
-- print and drawn again after it, so the two do not end up on one line.
if guard_print then
  local raw_print = print
  print = function(...)
    hide()
    local ok, err = pcall(raw_print, ...)
    show()
    if not ok then error(err, 2) end
  end
end

-- wrk script for scripts/bench.d/20-sandbox: 80% reads, 20% writes against a --seed demo
-- sandbox. The base URL (ending in /v1) is wrk's target; the Authorization header comes from -H.
local counter = 0
local thread_id = 0
local created = {}

function setup(thread)
  thread_id = thread_id + 1
  thread:set("tid", thread_id)
end

function init(args)
  prefix = wrk.path
  if prefix:sub(-1) == "/" then prefix = prefix:sub(1, -2) end
  wrk.headers["Content-Type"] = "application/json"
end

function request()
  counter = counter + 1
  local slot = counter % 10
  if slot == 0 then
    local body = string.format('{"project":"Support Chats","unique_id":"bench-%d-%d-%d","metadata":{"n":%d}}',
      tid, os.time(), counter, counter)
    return wrk.format("POST", prefix .. "/task/chat", nil, body)
  elseif slot == 5 and #created > 0 then
    local id = created[(counter % #created) + 1]
    return wrk.format("POST", prefix .. "/task/" .. id .. "/setMetadata", nil, string.format('{"n":%d}', counter))
  elseif slot == 1 or slot == 6 then
    return wrk.format("GET", prefix .. "/tasks?limit=10&status=pending")
  elseif slot == 2 then
    return wrk.format("GET", prefix .. "/studio/batches")
  elseif slot == 3 then
    return wrk.format("GET", prefix .. "/studio/assignments")
  else
    return wrk.format("GET", prefix .. "/teams")
  end
end

function response(status, headers, body)
  if status == 200 and #created < 50 then
    local id = body:match('^{"task_id":"([0-9a-f]+)"')
    if id then created[#created + 1] = id end
  end
end

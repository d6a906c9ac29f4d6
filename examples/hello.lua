-- A first refonte script: arguments, JSON, concurrent tasks, and an error caught with pcall.
--   refonte run examples/hello.lua -- "from scripts/demo"

local who = arg[1] or "world"
print(("hello, %s (%d argument%s)"):format(who, #arg, #arg == 1 and "" or "s"))

-- JSON keeps arrays, objects, integers and null apart across a round trip.
local record = json.decode('{"name": "Ada", "skills": [], "meta": {}, "id": 42, "manager": null}')
print("decoded:", record.name, math.type(record.id), record.manager == json.null)
print("encoded:", json.encode(record))

-- Tasks run concurrently: three sleeps of 100 ms take about 100 ms in all.
local tasks = {}
for i = 1, 3 do
  tasks[i] = spawn(function()
    sleep(100)
    return i * i
  end)
end
local squares = {}
for i, task in ipairs(tasks) do squares[i] = task:wait() end
print("squares:", table.concat(squares, " "))

-- Errors are values: pcall catches them, tables included.
local ok, err = pcall(function() error({ code = "not_found", message = "no such team" }) end)
print("caught:", ok, err.code, err.message)

-- Reading a file needs --allow-read; the error says so.
local opened, message = pcall(function()
  local file = io.open("/etc/hostname")
  return file
end)
print("sandboxed:", opened, message)

-- The runtime's glue in every state (LuaChunk.runtime): LuaRuntimePrelude.swift installs it
-- and says what it does.
local sentinel, spawn_task, wait_task, released, check_limit, script_pcall, script_xpcall, script_exit = ...
local create, resume, yield = coroutine.create, coroutine.resume, coroutine.yield
local status, close, isyieldable = coroutine.status, coroutine.close, coroutine.isyieldable
local select, error, type, setmetatable = select, error, type, setmetatable
local raw_getmetatable = debug.getmetatable
local pcall, load, pack, unpack = pcall, load, table.pack, table.unpack
_G.pcall, _G.xpcall = script_pcall, script_xpcall
os.exit = script_exit

local function rethrow_limit(ok, ...)
  if not ok then check_limit() end
  return ok, ...
end

local function raise_limit(...)
  check_limit()
  return ...
end

_G.load = function(...)
  local chunk, message = load(...)
  if not chunk then check_limit() end
  return chunk, message
end

-- A finalizer that collectgarbage ran may have hit a limit (the collector swallows
-- their errors); the instruction hook would only see it a few instructions later.
local collectgarbage = collectgarbage
_G.collectgarbage = function(...)
  return raise_limit(collectgarbage(...))
end

function coroutine.close(co)
  return rethrow_limit(close(co))
end

local function relay(co, ok, ...)
  if not ok then check_limit() end
  if ok and select("#", ...) == 1 and (...) == sentinel then
    if not isyieldable() then
      return false, "cannot wait for the host here: a coroutine made a host call while resumed "
        .. "inside a metamethod, table.sort, a string.gsub callback or a function the host calls directly"
    end
    yield(sentinel)
    return relay(co, resume(co))
  end
  return ok, ...
end

function coroutine.resume(co, ...)
  return relay(co, resume(co, ...))
end

local function unwrap(co, ok, ...)
  if ok then return ... end
  local err = ...
  if status(co) == "dead" then close(co) end
  if type(err) == "string" then error(err, 2) end
  error(err, 0)
end

function coroutine.wrap(fn)
  if type(fn) ~= "function" then
    error("bad argument #1 to 'wrap' (function expected, got " .. type(fn) .. ")", 2)
  end
  local co = create(fn)
  return function(...) return unwrap(co, relay(co, resume(co, ...))) end
end

-- Protected, so a script cannot put code of its own in a handle's __gc or __index.
local Task = { __name = "task", __metatable = "task" }
Task.__index = Task

-- Only records the id: a finalizer runs in the middle of any allocation, so the host
-- reads the list between steps instead of being called from here.
function Task.__gc(task)
  if task.outcome == nil then released[#released + 1] = task.id end
end

--- Waits for the task to finish; returns its results or raises its error. The outcome
--- is kept in the handle, so the host can let go of the task's coroutine.
function Task.wait(task)
  if raw_getmetatable(task) ~= Task then
    error("task:wait: expected a task (call it as task:wait()), got " .. type(task), 2)
  end
  local outcome = task.outcome
  if outcome == nil then
    outcome = pack(rethrow_limit(pcall(wait_task, task.id)))
    task.outcome = outcome
  end
  if outcome[1] then return unpack(outcome, 2, outcome.n) end
  error(outcome[2], 0)
end

--- Runs fn(...) as a task the host schedules beside this one; returns the task.
function spawn(fn, ...)
  if type(fn) ~= "function" then
    error("spawn: argument #1 (fn) must be a function, got " .. type(fn), 2)
  end
  return setmetatable({ id = spawn_task(fn, ...) }, Task)
end

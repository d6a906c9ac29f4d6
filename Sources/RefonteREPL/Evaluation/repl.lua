-- The Lua side of a REPL session (LuaChunk.repl), run once in the session's state.
--
-- Every statement is compiled with `env` as its environment: a name is looked up in the
-- session's locals first (what `LocalRewriter` turned top-level `local`s into), then in the
-- globals; assigning to a declared local updates it, any other name is a global as usual.
-- `eval` runs a compiled statement and keeps each result in `_1`, `_2`, … before `echo`
-- (the host) prints it. The tables are handed to the host (`stash`) for completion. A
-- traceback names the statement `local 'statement'`; `StatementError` shows it as lua.c does.
--
-- `store` is the name LocalRewriter assigns session locals through (`__refonte_local.x = v`).
local stash, echo, store = ...
local G = _G
local load, pack, rawset, setmetatable = load, table.pack, rawset, setmetatable
local declared, values = {}, {}

-- Assigning a name here declares it as a session local: `__refonte_local.x = v`.
local declare = setmetatable({}, {
  __newindex = function(_, name, value)
    declared[name] = true
    values[name] = value
  end,
  __index = function(_, name) return values[name] end,
})

local env = setmetatable({}, {
  __index = function(_, name)
    if declared[name] then return values[name] end
    if name == store then return declare end
    return G[name]
  end,
  __newindex = function(_, name, value)
    if declared[name] then values[name] = value else G[name] = value end
  end,
})

local function compile(text, chunkname)
  return load(text, chunkname, "t", env)
end

local count = 0
local function eval(statement)
  local results = pack(statement())
  for i = 1, results.n do
    count = count + 1
    rawset(G, "_" .. count, results[i])
    echo(count, results[i])
  end
end

stash("declared", declared)
stash("values", values)
return compile, eval

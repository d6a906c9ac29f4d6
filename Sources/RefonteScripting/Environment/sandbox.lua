-- Narrows the standard libraries to what a script may use (LuaChunk.sandbox).
--
-- It runs once per state, before the script, with the host's functions as arguments; the
-- original functions it wraps stay in its upvalues, out of the script's reach (there is no
-- `debug` library to reach them). Every file a script can reach (`io.open`, `io.lines`,
-- `io.input`, `io.output`, `loadfile`, `dofile`, `require`, `package.searchpath`) is opened
-- by `open_file`, which checks the jail as it opens.
local open_file, may_read_env, exit_code_refusal = ...
local error, type, select, tostring, ipairs = error, type, select, tostring, ipairs
local io_lines, io_input, io_output = io.lines, io.input, io.output
local base_load, getenv, traceback = load, os.getenv, debug.traceback
local find, gsub, gmatch, sub = string.find, string.gsub, string.gmatch, string.sub
local concat = table.concat

local function unavailable(name, why)
  return function()
    error(name .. " is not available in refonte scripts (" .. why .. ")", 2)
  end
end

local function path_argument(operation, path, position)
  if type(path) ~= "string" then
    error(operation .. ": argument #" .. (position or 1) .. " (path) must be a string, got "
      .. type(path), 3)
  end
end

-- Each function below opens through the jail and raises a refusal itself, at level 2
-- (the script's line), with no tail call that would drop its own frame.
function io.open(path, mode)
  path_argument("io.open", path)
  mode = mode == nil and "r" or mode
  if type(mode) ~= "string" then
    error("io.open: argument #2 (mode) must be a string, got " .. type(mode), 2)
  end
  local file, message, code = open_file("io.open", path, mode)
  if file == false then error(message, 2) end
  return file, message, code
end

local function close_at_end(file, ...)
  if not (...) then file:close() end
  return ...
end

-- As Lua's own: the file closes when the lines run out (or the loop is left).
function io.lines(path, ...)
  if path == nil then return io_lines(nil, ...) end
  path_argument("io.lines", path)
  local file, message = open_file("io.lines", path, "r")
  if not file then error(message, 2) end
  local read = file:lines(...)
  return function() return close_at_end(file, read()) end, nil, nil, file
end

-- io.input and io.output: a file name is opened through the jail, a handle passes as it is.
local function redirect(operation, mode, original)
  return function(file)
    if type(file) == "string" then
      local handle, message = open_file(operation, file, mode)
      if not handle then error(message, 2) end
      file = handle
    end
    return original(file)
  end
end
io.input = redirect("io.input", "r", io_input)
io.output = redirect("io.output", "w", io_output)

io.popen = unavailable("io.popen", "scripts cannot run programs")
io.tmpfile = unavailable("io.tmpfile", "use io.open with --allow-write")

function os.getenv(name)
  if type(name) ~= "string" then
    error("os.getenv: argument #1 (name) must be a string, got " .. type(name), 2)
  end
  local denied = may_read_env("os.getenv", name)
  if denied then error(denied, 2) end
  return getenv(name)
end

os.execute = unavailable("os.execute", "scripts cannot run programs")
-- os.exit unwinds the script (the runtime's), with a code that cannot be mistaken for
-- one of refonte's own (ExitCodes.swift says which).
local script_exit, math_type = os.exit, math.type
function os.exit(code)
  if code == nil or code == true then code = 0 elseif code == false then code = 1 end
  if math_type(code) ~= "integer" then
    error("os.exit: argument #1 (code) must be an integer, true or false, got " .. type(code), 2)
  end
  local refusal = exit_code_refusal(code)
  if refusal then error("os.exit: " .. refusal, 2) end
  return script_exit(code)
end
os.remove = unavailable("os.remove", "scripts cannot delete files")
os.rename = unavailable("os.rename", "scripts cannot move files")
os.tmpname = unavailable("os.tmpname", "use io.open with --allow-write")
os.setlocale = unavailable("os.setlocale", "the locale belongs to the host")

-- Text chunks only: binary chunks can crash the VM. As in Lua, an env argument that is
-- given (even nil) becomes the chunk's _ENV; without one the chunk gets the globals.
local function load_text(chunk, name, ...)
  if select("#", ...) > 0 then return base_load(chunk, name, "t", (...)) end
  return base_load(chunk, name, "t")
end

function load(chunk, name, mode, ...)
  return load_text(chunk, name, ...)
end

-- The text of a Lua file, as luaL_loadfile reads it: a UTF-8 byte order mark and a first
-- line starting with '#' are skipped (the newline is kept, so line numbers hold).
-- Returns false and the jail's refusal, or nil and the system's message.
local function read_chunk(operation, path)
  local file, message = open_file(operation, path, "r")
  if not file then return file, message end
  local text, failure = file:read("a")
  file:close()
  if not text then return nil, "cannot read " .. path .. ": " .. tostring(failure) end
  if sub(text, 1, 3) == "\239\187\191" then text = sub(text, 4) end
  if sub(text, 1, 1) == "#" then
    local newline = find(text, "\n", 1, true)
    text = newline and sub(text, newline) or ""
  end
  return text
end

-- The chunk, or nil and a message; a refusal is raised at level + 1.
local function load_file(operation, path, level, ...)
  local text, message = read_chunk(operation, path)
  if text == false then error(message, level + 1) end
  if not text then return nil, "cannot open " .. message end
  return load_text(text, "@" .. path, ...)
end

function loadfile(path, mode, ...)
  path_argument("loadfile", path)
  local chunk, message = load_file("loadfile", path, 2, ...)
  return chunk, message
end

function dofile(path)
  path_argument("dofile", path)
  local chunk, message = load_file("dofile", path, 2)
  if not chunk then error(message, 2) end
  return chunk()
end

-- require: preloaded modules, and Lua files on package.path that the script may read.
package.cpath = ""
package.loadlib = unavailable("package.loadlib", "scripts cannot load C modules")
local preload = package.searchers[1]

local function candidates(name, path, sep, rep)
  if sep ~= "" then name = gsub(name, "%" .. sep, (gsub(rep, "%%", "%%%%"))) end
  local list = {}
  for template in gmatch(path, "[^;]+") do
    list[#list + 1] = (gsub(template, "%?", (gsub(name, "%%", "%%%%"))))
  end
  return list
end

-- As Lua's: the first candidate that opens, else the list of those tried. A file the
-- script may not read counts as missing.
function package.searchpath(name, path, sep, rep)
  if type(name) ~= "string" or type(path) ~= "string" then
    error("package.searchpath: arguments #1 (name) and #2 (path) must be strings", 2)
  end
  local tried = {}
  for _, candidate in ipairs(candidates(name, path, sep or ".", rep or "/")) do
    local file = open_file("package.searchpath", candidate, "r")
    if file then
      file:close()
      return candidate
    end
    tried[#tried + 1] = "\n\tno file '" .. candidate .. "'"
  end
  return nil, concat(tried)
end

local function lua_searcher(name)
  local tried = {}
  for _, candidate in ipairs(candidates(name, package.path, ".", "/")) do
    local text, message = read_chunk("require", candidate)
    if text then
      local chunk, failure = base_load(text, "@" .. candidate, "t")
      if not chunk then
        error("error loading module '" .. name .. "' from file '" .. candidate .. "':\n\t" .. failure, 0)
      end
      return chunk, candidate
    elseif text == false then
      tried[#tried + 1] = "\n\t" .. message
    else
      tried[#tried + 1] = "\n\tno file '" .. candidate .. "'"
    end
  end
  return concat(tried)
end
package.searchers = { preload, lua_searcher }

local function no_debug(_, key)
  error("debug." .. tostring(key) .. " is not available in refonte scripts", 2)
end
debug = setmetatable({ traceback = traceback }, { __index = no_debug, __metatable = false })
package.loaded.debug = debug

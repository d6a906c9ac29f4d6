/// Lua that narrows the standard libraries to what a script may use.
///
/// It runs once per state, before the script, with the permission checks as arguments; the
/// original functions it wraps stay in its upvalues, out of the script's reach (there is no
/// `debug` library to reach them).
enum SandboxPrelude {
    static let source = """
        local may_read, may_write, may_read_env = ...
        local error, type, select, tostring = error, type, select, tostring
        local io_open, io_lines, io_input, io_output = io.open, io.lines, io.input, io.output
        local base_load, base_loadfile, getenv, traceback = load, loadfile, os.getenv, debug.traceback
        local find, gsub, gmatch = string.find, string.gsub, string.gmatch

        local function allow(check, operation, what)
          local denied = check(operation, what)
          if denied then error(denied, 3) end
        end

        local function unavailable(name, why)
          return function()
            error(name .. " is not available in refonte scripts (" .. why .. ")", 2)
          end
        end

        local function path_argument(operation, path)
          if type(path) ~= "string" then
            error(operation .. ": argument #1 (path) must be a string, got " .. type(path), 3)
          end
        end

        function io.open(path, mode)
          path_argument("io.open", path)
          mode = mode == nil and "r" or mode
          if type(mode) ~= "string" then
            error("io.open: argument #2 (mode) must be a string, got " .. type(mode), 2)
          end
          if find(mode, "[wa+]") then allow(may_write, "io.open", path) end
          if find(mode, "[r+]") then allow(may_read, "io.open", path) end
          return io_open(path, mode)
        end

        function io.lines(path, ...)
          if path ~= nil then
            path_argument("io.lines", path)
            allow(may_read, "io.lines", path)
          end
          return io_lines(path, ...)
        end

        function io.input(file)
          if type(file) == "string" then allow(may_read, "io.input", file) end
          return io_input(file)
        end

        function io.output(file)
          if type(file) == "string" then allow(may_write, "io.output", file) end
          return io_output(file)
        end

        io.popen = unavailable("io.popen", "scripts cannot run programs")
        io.tmpfile = unavailable("io.tmpfile", "use io.open with --allow-write")

        function os.getenv(name)
          if type(name) ~= "string" then
            error("os.getenv: argument #1 (name) must be a string, got " .. type(name), 2)
          end
          allow(may_read_env, "os.getenv", name)
          return getenv(name)
        end

        os.execute = unavailable("os.execute", "scripts cannot run programs")
        os.exit = unavailable("os.exit", "return from the script, or raise an error with error()")
        os.remove = unavailable("os.remove", "scripts cannot delete files")
        os.rename = unavailable("os.rename", "scripts cannot move files")
        os.tmpname = unavailable("os.tmpname", "use io.open with --allow-write")
        os.setlocale = unavailable("os.setlocale", "the locale belongs to the host")

        -- Text chunks only: binary chunks can crash the VM.
        function load(chunk, name, mode, env)
          return base_load(chunk, name, "t", env)
        end

        function loadfile(path, mode, env)
          path_argument("loadfile", path)
          allow(may_read, "loadfile", path)
          return base_loadfile(path, "t", env)
        end

        function dofile(path)
          path_argument("dofile", path)
          allow(may_read, "dofile", path)
          local chunk, message = base_loadfile(path, "t")
          if not chunk then error(message, 2) end
          return chunk()
        end

        -- require: preloaded modules, and Lua files on package.path that the script may read.
        package.cpath = ""
        package.loadlib = unavailable("package.loadlib", "scripts cannot load C modules")
        local preload = package.searchers[1]
        local function lua_searcher(name)
          local file = gsub(name, "%.", "/")
          local tried = {}
          for template in gmatch(package.path, "[^;]+") do
            local candidate = gsub(template, "%?", file)
            if not may_read("require", candidate) then
              local handle = io_open(candidate, "r")
              if handle then
                handle:close()
                local chunk, message = base_loadfile(candidate, "t")
                if not chunk then
                  error("error loading module '" .. name .. "' from file '" .. candidate .. "':\\n\\t" .. message, 0)
                end
                return chunk, candidate
              end
              tried[#tried + 1] = "\\n\\tno file '" .. candidate .. "'"
            else
              tried[#tried + 1] = "\\n\\tnot readable without --allow-read: '" .. candidate .. "'"
            end
          end
          return table.concat(tried)
        end
        package.searchers = { preload, lua_searcher }

        local function no_debug(_, key)
          error("debug." .. tostring(key) .. " is not available in refonte scripts", 2)
        end
        debug = setmetatable({ traceback = traceback }, { __index = no_debug, __metatable = false })
        package.loaded.debug = debug
        """
}

import CLua

/// Lua-side glue the runtime needs in every state.
///
/// A bound function that waits for the host yields a private sentinel. When it runs inside a
/// coroutine the script resumes itself, `coroutine.resume`/`wrap` pass that yield up to the
/// host and resume the inner coroutine once the host resumes them, so host calls work at any
/// depth of coroutines. It also adds `spawn(fn, ...)`, whose tasks the host runs concurrently.
/// A task handle that is collected before anyone waited leaves its id in `released`, so the
/// host can let go of the task's coroutine instead of keeping it to the end of the run.
///
/// A limit that was hit is raised again by every function that catches errors (`pcall` and
/// `xpcall`, in the shim; `coroutine.resume`/`wrap`/`close`, `load` with a reader function and
/// `collectgarbage`, here), so no script code runs on after it.
///
/// `os.exit(code)` never ends the process: it raises an error that the same functions pass on,
/// so the script unwinds to its top, and the host ends the run with that code (`LuaError.Kind.exit`).
enum LuaRuntimePrelude {
    static let source = """
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
        """

    static func install(in state: LuaState) throws(LuaError) {
        let spawnTask = LuaSwiftFunction("spawn") { call in
            let id = call.state.spawnTask(from: call.stack, count: call.argumentCount)
            return try call.returning(.integer(Int64(id)))
        }
        let waitTask = LuaSwiftFunction("task:wait") { call in
            let id = try call.integer(1, "task")
            guard let target = call.state.scheduler.tasks[Int(id)] else {
                throw LuaValueError("no task \(id) in this run")
            }
            if target.outcome != nil { return call.state.deliver(target, to: call, waited: false) }
            if target.thread == call.stack.thread { throw LuaValueError("a task cannot wait for itself") }
            return .suspend(
                LuaSuspension(join: Int(id)) { call, _ in
                    call.state.deliver(target, to: call, waited: true)
                }
            )
        }
        let prelude = try state.load(source, chunkName: "=refonte runtime")
        let stack = state.stack
        stack.reserve(10)
        do {
            try stack.push(.function(prelude))
            stack.pushHostCallSentinel()
            try stack.push(.function(.swift(spawnTask)))
            try stack.push(.function(.swift(waitTask)))
            stack.newTable()
            stack.copy(-1)
            state.releasedTasks = stack.reference()
            stack.pushCFunction(refonte_check_limit)
            stack.pushCFunction(refonte_script_pcall)
            stack.pushCFunction(refonte_script_xpcall)
            stack.pushCFunction(refonte_script_exit)
        } catch {
            throw LuaError(kind: .host, message: "cannot install the runtime prelude: \(error)")
        }
        try state.callProtected(arguments: 8, results: 0, on: state.mainThread)
    }
}

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
        let prelude = try state.load(.runtime)
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

import CLua

extension LuaState {
    /// Runs `function` as the main coroutine, and every task it spawns, until all have finished.
    ///
    /// When a coroutine makes a host call, its work is started in a child task and the next
    /// ready coroutine runs; the Lua state is only touched from this function's task, between
    /// awaits. Time spent awaiting does not count toward `LuaLimits.timeout`.
    ///
    /// Throws the main chunk's error, the first limit hit, or the error of a spawned task that
    /// nobody waited for. The main chunk's results are copied out of Lua unless
    /// `copyingResults` is false (a script's results can be as large as its memory cap).
    @discardableResult
    public func run(
        _ function: LuaFunction,
        arguments: [LuaValue] = [],
        copyingResults: Bool = true
    ) async throws(LuaError) -> [LuaValue] {
        let stack = stack
        let base = stack.top
        do {
            guard stack.reserve(Int32(arguments.count) + 3) else { throw LuaValueError("too many arguments") }
            try stack.push(.function(function))
            for argument in arguments { try stack.push(argument) }
        } catch {
            stack.setTop(base)
            throw LuaError(kind: .host, message: "cannot start the script: \(error)")
        }
        let mainID = spawnTask(from: stack, count: Int32(arguments.count) + 1)
        scheduler.mainTask = mainID
        let interrupter = limits.interruptible ? interrupter : nil
        let failure = await withTaskGroup(of: Completion.self) { group in
            // Wakes the scheduler when an interrupt comes while every task awaits the host.
            if let interrupter {
                group.addTask {
                    await interrupter.waitForInterrupt()
                    return Completion(task: Completion.interruptWatcher, payload: JoinedTask())
                }
            }
            let failure = await drive(&group, mainID: mainID)
            group.cancelAll()
            return failure
        }
        if let failure { throw failure }
        guard let main = scheduler.tasks[mainID], case .finished(let count) = main.outcome else {
            throw LuaError(kind: .host, message: "the main chunk did not finish")
        }
        // A state that runs again (the REPL's) must not keep every earlier main chunk.
        defer { release(main) }
        guard copyingResults else { return [] }
        let mainStack = LuaStack(main.thread)
        let first = mainStack.top - count + 1
        return (0..<count).map { offset in (try? mainStack.value(at: first + offset)) ?? .nil }
    }

    /// The most host calls that were in flight at once during the last runs.
    public var peakHostCallsInFlight: Int { scheduler.peakInFlight }

    /// Tasks whose coroutine the host still keeps (the main chunk's included).
    public var keptTaskCount: Int { scheduler.tasks.count }

    /// Starts a task running the function below `count - 1` arguments on top of `stack`
    /// (all popped). It runs when the scheduler next gets to it.
    func spawnTask(from stack: LuaStack, count: Int32) -> Int {
        stack.reserve(2)
        let coroutine = stack.newThread()
        let slot = stack.reference()
        coroutine.reserve(count + 1)
        stack.move(count, to: coroutine)
        let thread = coroutine.thread
        let id = scheduler.nextID
        scheduler.nextID += 1
        scheduler.tasks[id] = HostTask(id: id, thread: thread, slot: slot, arguments: count - 1)
        scheduler.ready.append(id)
        return id
    }

    private func drive(_ group: inout TaskGroup<Completion>, mainID: Int) async -> LuaError? {
        // The host's work between resumes counts as the script's time too: pushing values can
        // run the collector, and so the script's finalizers. Only the waits are left out.
        var wasCounting = refonte_time_begin(host)
        defer { refonte_time_end(host, wasCounting) }
        while true {
            while !scheduler.ready.isEmpty {
                let batch = scheduler.ready
                scheduler.ready = []
                for id in batch {
                    if let failure = step(id, &group, mainID: mainID) { return failure }
                }
                releaseCollectedTasks()
            }
            guard scheduler.inFlight > 0 else { break }
            refonte_time_end(host, wasCounting)
            let next = await group.next()
            wasCounting = refonte_time_begin(host)
            guard let completion = next else { break }
            if completion.task == Completion.interruptWatcher {
                // The host work in flight is cancelled; each task then resumes into the stop.
                group.cancelAll()
                continue
            }
            scheduler.inFlight -= 1
            guard let task = scheduler.tasks[completion.task], let inner = task.waitingOn else { continue }
            suspended[inner]?.payload = completion.payload
            task.waitingOn = nil
            scheduler.ready.append(task.id)
        }
        return finalFailure(mainID: mainID)
    }

    private func finalFailure(mainID: Int) -> LuaError? {
        let stuck = scheduler.tasks.values.filter { $0.outcome == nil }.map(\.id).sorted()
        if !stuck.isEmpty {
            let which = stuck.contains(mainID) ? "the main chunk" : "task \(stuck[0])"
            return LuaError(
                kind: .runtime,
                message:
                    "\(which) waits forever: every remaining task waits for another (a task:wait() cycle)"
            )
        }
        for task in scheduler.tasks.values.sorted(by: { $0.id < $1.id })
        where !task.observed && task.id != mainID {
            if case .failed(var error) = task.outcome {
                task.observed = true  // reported once, not again by a later run on this state
                error.message = "spawned task \(task.id) failed and nobody waited for it: " + error.message
                return error
            }
        }
        return nil
    }

    /// Resumes one ready task. Returns an error that ends the whole run.
    private func step(_ id: Int, _ group: inout TaskGroup<Completion>, mainID: Int) -> LuaError? {
        guard let task = scheduler.tasks[id], task.outcome == nil else { return nil }
        let thread = task.thread
        let stack = LuaStack(thread)
        var results: Int32 = 0
        let arguments = task.pendingArguments
        task.pendingArguments = 0
        let status = stack.resume(from: self.stack, arguments: arguments, results: &results)

        if isStopped {
            let traceback =
                status == LUA_OK || status == LUA_YIELD
                ? "" : describeError(on: thread, tracebackFromRegistry: false).1
            return stopError(traceback: traceback)
        }
        if let code = exitRequested { return exit(code, from: task) }
        switch status {
        case LUA_YIELD:
            if results == 1, stack.isHostCallSentinel(at: -1), let inner = lastSuspended,
                let pending = suspended[inner]
            {
                stack.pop()
                lastSuspended = nil
                task.waitingOn = inner
                start(pending, for: task, inner: inner, &group)
                return nil
            }
            stack.pop(results)
            let error = LuaError(
                kind: .runtime,
                message:
                    "coroutine.yield was called outside a coroutine (in the main chunk or a spawned task)",
                traceback: describeTraceback(of: thread)
            )
            stack.push(error.message)
            return finish(task, .failed(error), mainID: mainID)
        case LUA_OK:
            return finish(task, .finished(count: results), mainID: mainID)
        default:
            let (message, traceback) = describeError(on: thread, tracebackFromRegistry: false)
            // Describing runs the error's __tostring, which may itself run into a limit.
            if let stopped = stopError(traceback: traceback) { return stopped }
            let kind: LuaError.Kind = status == LUA_ERRMEM ? .host : .runtime
            return finish(
                task,
                .failed(LuaError(kind: kind, message: message, traceback: traceback)),
                mainID: mainID
            )
        }
    }

    /// Ends the run for `os.exit`: the task that called it unwound to its top, and its pending
    /// `<close>` variables (Lua leaves them to whoever closes a coroutine that failed) are closed
    /// now, then those of every other task still running, in the order they were spawned.
    private func exit(_ code: Int32, from task: HostTask) -> LuaError {
        lastSuspended = nil
        let others = scheduler.tasks.values.filter { $0.outcome == nil && $0.id != task.id }
        for thread in [task.thread] + others.sorted(by: { $0.id < $1.id }).map(\.thread) {
            _ = refonte_close_thread(thread)
            if limitHit != nil { break }
        }
        if let limit = limitHit {
            return LuaError(
                kind: .limit(limit),
                message: "\(limit.description), in a <close> handler as the script exited"
            )
        }
        for other in [task] + others { other.outcome = .finished(count: 0) }
        return LuaError(kind: .exit(code), message: "the script exited with code \(code) (os.exit)")
    }

    private func start(
        _ pending: PendingHostCall,
        for task: HostTask,
        inner: OpaquePointer,
        _ group: inout TaskGroup<Completion>
    ) {
        switch pending.suspension.work {
        case .async(let work):
            scheduler.inFlight += 1
            scheduler.peakInFlight = max(scheduler.peakInFlight, scheduler.inFlight)
            let id = task.id
            group.addTask { Completion(task: id, payload: await work()) }
        case .join(let targetID):
            guard let target = scheduler.tasks[targetID], target.outcome == nil else {
                scheduler.tasks[targetID]?.undelivered += 1
                pending.payload = JoinedTask()
                task.waitingOn = nil
                scheduler.ready.append(task.id)
                return
            }
            target.waiters.append((task.id, inner))
        }
    }

    /// Lets go of the tasks whose handles the script's garbage collector has freed.
    private func releaseCollectedTasks() {
        let stack = stack
        stack.reserve(3)
        _ = stack.rawGet(refonte_registryindex(), index: Int64(releasedTasks))
        // From the end, clearing as it goes: no allocation here, and an id a finalizer adds
        // meanwhile is still taken.
        while case let count = stack.rawLength(-1), count > 0 {
            _ = stack.rawGet(-1, index: Int64(count))
            let id = stack.integer(at: -1).map(Int.init)
            stack.pop()
            stack.pushNil()
            stack.rawSet(-2, index: Int64(count))
            guard let id, id != scheduler.mainTask, let task = scheduler.tasks[id] else { continue }
            switch task.outcome {
            case nil: task.orphaned = true
            case .finished: if task.undelivered == 0, task.waiters.isEmpty { release(task) }
            // Kept: the end of the run reports a failure nobody waited for.
            case .failed: break
            }
        }
        stack.pop()
    }

    func release(_ task: HostTask) {
        scheduler.tasks[task.id] = nil
        stack.releaseReference(task.slot)
    }

    private func finish(_ task: HostTask, _ outcome: HostTask.Outcome, mainID: Int) -> LuaError? {
        task.outcome = outcome
        task.undelivered = task.waiters.count
        for waiter in task.waiters {
            suspended[waiter.thread]?.payload = JoinedTask()
            scheduler.tasks[waiter.task]?.waitingOn = nil
            scheduler.ready.append(waiter.task)
        }
        task.waiters = []
        if task.orphaned, task.undelivered == 0, case .finished = outcome { release(task) }
        if task.id == mainID, case .failed(let error) = outcome { return error }
        return nil
    }

    /// Hands a finished task's results (or error) to a waiter; once every waiter has them, the
    /// task's thread is released (the Lua-side handle keeps them for later waits).
    func deliver(_ task: HostTask, to call: LuaCall, waited: Bool) -> LuaReturn {
        let result = task.deliver(to: call)
        if waited { task.undelivered -= 1 }
        if task.undelivered == 0, task.id != scheduler.mainTask { release(task) }
        return result
    }

    private func describeTraceback(of thread: OpaquePointer) -> String {
        let stack = LuaStack(thread)
        stack.reserve(1)
        stack.pushNil()
        defer { stack.pop() }
        return describeError(on: thread, tracebackFromRegistry: false).1
    }
}

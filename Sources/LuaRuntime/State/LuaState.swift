import CLua

/// Owns one `lua_State` and closes it exactly once.
///
/// Not `Sendable`: the state lives in one concurrency domain, and only one thread touches it at
/// a time. Host work that a coroutine waits on runs elsewhere (see `run`), but its result is
/// handed back to Lua on this state's domain.
public final class LuaState {
    let host: UnsafeMutablePointer<refonte_host>
    let mainThread: OpaquePointer
    public let limits: LuaLimits
    public private(set) var isClosed = false

    // Host calls: the coroutine that made each one, and its result once the work is done.
    var suspended: [OpaquePointer: PendingHostCall] = [:]
    var lastSuspended: OpaquePointer?
    // The scheduler's tasks (see LuaState+Run.swift).
    var scheduler = Scheduler()
    /// Registry slot of the table where collected task handles leave their ids.
    var releasedTasks: Int32 = 0

    static let memoryMessage = REFONTE_MEMORY_MESSAGE
    static let timeMessage = REFONTE_TIME_MESSAGE
    static let interruptMessage = REFONTE_INTERRUPT_MESSAGE

    /// Stops the running code from another thread, when `LuaLimits.interruptible` is set.
    public let interrupter = LuaInterrupter()
    static let exitMessage = REFONTE_EXIT_MESSAGE

    /// Opens a state with the standard libraries; `LuaRuntimePrelude` then makes host calls work
    /// inside coroutines the script creates, and adds `spawn`.
    public init(limits: LuaLimits = LuaLimits()) throws(LuaError) {
        self.limits = limits
        host = .allocate(capacity: 1)
        host.initialize(to: refonte_host())
        host.pointee.cap = limits.maxMemory.map { max(0, $0) } ?? 0
        if let timeout = limits.timeout {
            let (seconds, attoseconds) = timeout.components
            host.pointee.budget_ns = max(1, seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
        }
        host.pointee.hook_count = max(1, limits.checkInterval)
        host.pointee.call = swiftCallEntry
        host.pointee.resume = swiftResumeEntry
        host.pointee.release = swiftReleaseEntry
        guard let thread = refonte_newstate(host) else {
            host.deallocate()
            throw LuaError(kind: .host, message: "cannot create a Lua state: out of memory")
        }
        mainThread = thread
        host.pointee.context = Unmanaged.passUnretained(self).toOpaque()

        let stack = LuaStack(thread)
        // The limit, interrupt and exit messages live in the registry so raising them needs no
        // allocation.
        for message in [Self.memoryMessage, Self.timeMessage, Self.interruptMessage, Self.exitMessage] {
            stack.push(message)
            stack.rawSet(refonte_registryindex(), field: message)
        }
        stack.pushCFunction(refonte_open_libraries)
        try callProtected(arguments: 0, results: 0, on: thread)
        if limits.needsHook { refonte_install_hook(thread) }
        if limits.interruptible { interrupter.attach(host) }
        try LuaRuntimePrelude.install(in: self)
        if limits.isLimited, let hardStop = limits.hardStop { try startWatchdog(hardStop) }
    }

    private func startWatchdog(_ hardStop: LuaHardStop) throws(LuaError) {
        func nanoseconds(_ duration: Duration) -> Int64 {
            let (seconds, attoseconds) = duration.components
            return max(0, seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
        }
        let started = refonte_watchdog_start(
            host,
            nanoseconds(hardStop.grace),
            nanoseconds(hardStop.cleanUp),
            hardStop.exitCode,
            hardStop.message(for: .time(limits.timeout ?? .zero)),
            hardStop.message(for: .memory(bytes: limits.maxMemory ?? 0))
        )
        guard started != 0 else {
            lua_close(mainThread)
            isClosed = true
            throw LuaError(kind: .host, message: "cannot start the limits' watchdog thread")
        }
    }

    /// Closes the state; later calls do nothing. Finalizers still pending run now, under the
    /// script's limits: check `limitHit` afterwards to learn whether one of them broke one.
    public func close() {
        guard !isClosed else { return }
        isClosed = true
        interrupter.detach()
        suspended.removeAll()
        scheduler = Scheduler()
        refonte_close(mainThread)
        refonte_watchdog_stop(host)
    }

    deinit {
        close()
        host.deallocate()
    }

    /// The state that owns `thread` (any coroutine of it).
    static func owning(_ thread: OpaquePointer) -> LuaState? {
        guard let host = refonte_host_of(thread), let context = host.pointee.context else { return nil }
        return Unmanaged<LuaState>.fromOpaque(context).takeUnretainedValue()
    }

    /// The main thread's stack, for the host's own setup work.
    public var stack: LuaStack { LuaStack(mainThread) }

    // MARK: memory and time

    /// Bytes Lua holds now, and the most it has held.
    public var memoryInUse: Int { Int(host.pointee.used) }
    public var peakMemory: Int { Int(host.pointee.peak) }
    /// The script's own running time so far (host waits excluded).
    public var scriptTime: Duration { .nanoseconds(host.pointee.spent_ns) }

    /// The limit that stopped the script, if one did.
    public var limitHit: LuaLimit? {
        switch Int(host.pointee.hit) {
        case Int(REFONTE_LIMIT_MEMORY): .memory(bytes: limits.maxMemory ?? 0)
        case Int(REFONTE_LIMIT_TIME): .time(limits.timeout ?? .zero)
        default: nil
        }
    }

    /// Whether an interrupt stopped the code (until `recover`).
    public var wasInterrupted: Bool { Int(host.pointee.hit) == Int(REFONTE_LIMIT_INTERRUPT) }

    /// The error for what stopped the code (a limit or an interrupt), nil while nothing did.
    func stopError(traceback: String) -> LuaError? {
        if let limit = limitHit {
            return LuaError(kind: .limit(limit), message: limit.description, traceback: traceback)
        }
        if wasInterrupted {
            return LuaError(kind: .interrupted, message: "interrupted", traceback: traceback)
        }
        return nil
    }

    /// Whether the code has been stopped (a limit or an interrupt); cheap, no traceback.
    var isStopped: Bool { host.pointee.hit != 0 }

    /// The code the script asked for with `os.exit`, once it has (sticky for the run).
    public var exitRequested: Int32? {
        host.pointee.exiting != 0 ? host.pointee.exit_code : nil
    }

    // MARK: globals and loading

    /// Sets a global (raw: the globals table's metatable, if any, is not consulted).
    public func setGlobal(_ name: String, _ value: LuaValue) throws(LuaValueError) {
        let stack = stack
        stack.pushGlobals()
        defer { stack.pop() }
        try stack.push(value)
        stack.rawSet(-2, field: name)
    }

    public func global(_ name: String) throws(LuaValueError) -> LuaValue {
        let stack = stack
        stack.pushGlobals()
        stack.rawGet(-1, field: name)
        defer { stack.pop(2) }
        return try stack.value(at: -1)
    }

    /// Compiles Lua source text (binary chunks are refused) into a function.
    /// `chunkName` follows Lua: "@path" for a file, "=name" for anything else.
    public func load(_ source: [UInt8], chunkName: String) throws(LuaError) -> LuaFunction {
        let stack = stack
        return try loaded(source.withUnsafeBytes { stack.load($0, chunkName: chunkName) })
    }

    /// The function that a load left on top, or the load's error.
    func loaded(_ status: Int32) throws(LuaError) -> LuaFunction {
        try LuaStatus.check(status, in: self, thread: mainThread)
        defer { stack.pop() }
        return try functionValue(at: -1)
    }

    public func load(_ source: String, chunkName: String) throws(LuaError) -> LuaFunction {
        try load(Array(source.utf8), chunkName: chunkName)
    }

    /// Calls `function` to completion on the main thread. Host calls inside it fail with a clear
    /// error (they need `run`'s scheduler); errors carry a traceback.
    @discardableResult
    public func call(_ function: LuaFunction, _ arguments: [LuaValue] = []) throws(LuaError) -> [LuaValue] {
        let stack = stack
        let base = stack.top
        defer { stack.setTop(base) }
        do {
            guard stack.reserve(Int32(arguments.count) + 2) else {
                throw LuaValueError("too many arguments")
            }
            try stack.push(.function(function))
            for argument in arguments { try stack.push(argument) }
        } catch {
            throw LuaError(kind: .host, message: "cannot call a Lua function: \(error)")
        }
        try callProtected(arguments: Int32(arguments.count), results: LUA_MULTRET, on: mainThread)
        do {
            return try (base + 1..<stack.top + 1).map { index throws(LuaValueError) in
                try stack.value(at: index)
            }
        } catch {
            throw LuaError(kind: .host, message: "cannot read a result: \(error)")
        }
    }

    /// Runs the function below `arguments` arguments on `thread`, with a traceback on error.
    func callProtected(arguments: Int32, results: Int32, on thread: OpaquePointer) throws(LuaError) {
        let status = LuaStack(thread).protectedCall(arguments: arguments, results: results)
        try LuaStatus.check(status, in: self, thread: thread, hasTraceback: true)
    }

    func functionValue(at index: Int32) throws(LuaError) -> LuaFunction {
        let stack = stack
        guard stack.type(at: index) == .function else {
            throw LuaError(kind: .host, message: "expected a function, got \(stack.typeName(at: index))")
        }
        stack.copy(index)
        return .lua(LuaReference(state: self, slot: stack.reference()))
    }

    // MARK: errors

    /// Turns the error value on top of `thread` (popped) into a `LuaError`.
    func takeError(status: Int32, thread: OpaquePointer, hasTraceback: Bool) -> LuaError {
        let (message, traceback) = describeError(on: thread, tracebackFromRegistry: hasTraceback)
        LuaStack(thread).pop()
        if let stopped = stopError(traceback: traceback) { return stopped }
        let kind: LuaError.Kind =
            switch status {
            case LUA_ERRSYNTAX: .syntax
            case LUA_ERRMEM: .host
            default: .runtime
            }
        return LuaError(kind: kind, message: message, traceback: traceback)
    }

    /// The message and traceback of the error value on top of `thread` (left in place). For a
    /// coroutine the traceback is read from its dead stack; for a protected call, from where
    /// the message handler left it.
    func describeError(on thread: OpaquePointer, tracebackFromRegistry: Bool) -> (String, String) {
        let main = LuaStack(mainThread)
        let base = main.top
        defer { main.setTop(base) }
        main.reserve(4)
        main.pushErrorDescriber()
        if tracebackFromRegistry || thread == mainThread {
            main.pushNil()
        } else {
            LuaStack(thread).pushThread()
            LuaStack(thread).move(1, to: main)
        }
        if thread == mainThread {
            main.copy(base)
        } else {
            LuaStack(thread).copy(-1)
            LuaStack(thread).move(1, to: main)
        }
        // A __tostring of the error value is script code: it runs under the script's limits,
        // and the describer cuts what it returns to a bounded length.
        guard main.describeCall() == LUA_OK else {
            return ("(error object could not be described)", "")
        }
        let message = main.string(at: -2) ?? ""
        var traceback = main.string(at: -1) ?? ""
        if tracebackFromRegistry, main.pushTraceback() { traceback = main.string(at: -1) ?? "" }
        return (message, traceback)
    }

    // MARK: host calls

    /// Records that `thread` waits for a host call; the scheduler starts its work when the
    /// coroutine has yielded.
    func suspend(_ thread: OpaquePointer, _ suspension: LuaSuspension, name: String) {
        suspended[thread] = PendingHostCall(name: name, suspension: suspension)
        lastSuspended = thread
    }

    /// Called by the C continuation in the resumed coroutine.
    func resumeSuspended(_ thread: OpaquePointer) -> Int32 {
        let stack = LuaStack(thread)
        guard let pending = suspended.removeValue(forKey: thread), let payload = pending.payload else {
            stack.reserve(1)
            stack.push("a host call was abandoned before it finished")
            return Int32(REFONTE_RETURN_ERROR_WHERE)
        }
        let function = LuaSwiftFunction(pending.name) { call in try pending.suspension.resume(call, payload) }
        return function.invoke(thread)
    }
}

/// A host call a coroutine waits on.
final class PendingHostCall {
    let name: String
    let suspension: LuaSuspension
    var payload: (any Sendable)?

    init(name: String, suspension: LuaSuspension) {
        self.name = name
        self.suspension = suspension
    }
}

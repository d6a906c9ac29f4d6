/// What a script may use. Hitting a limit stops the whole run; `pcall` cannot catch it.
public struct LuaLimits: Sendable, Equatable {
    /// The script's own running time; time spent waiting on host work does not count.
    public var timeout: Duration?
    /// The most memory the script may hold, in bytes: what Lua allocates, plus what the host
    /// holds for the script while it works on the script's data (`LuaStack.charge`).
    public var maxMemory: Int?
    /// How many VM instructions run between two checks of the limits.
    public var checkInterval: Int32
    /// The hard deadline for Lua code the instruction hook cannot stop; nil: none.
    public var hardStop: LuaHardStop?
    /// Whether another thread may stop the running code (`LuaState.interrupter`, Ctrl-C in the
    /// REPL). The instruction hook then runs even with no limit, to notice the request.
    public var interruptible: Bool

    public init(
        timeout: Duration? = nil,
        maxMemory: Int? = nil,
        checkInterval: Int32 = 1000,
        hardStop: LuaHardStop? = nil,
        interruptible: Bool = false
    ) {
        self.timeout = timeout
        self.maxMemory = maxMemory
        self.checkInterval = checkInterval
        self.hardStop = hardStop
        self.interruptible = interruptible
    }

    var isLimited: Bool { timeout != nil || maxMemory != nil }
    /// The instruction hook is installed for a limit or for interrupts.
    var needsHook: Bool { isLimited || interruptible }
}

/// Ends the process when Lua code that cannot be interrupted outruns a limit.
///
/// The instruction hook stops Lua code, but some code runs with no hook: finalizers (`__gc`),
/// a message handler called for an error the hook raised, and C functions such as the pattern
/// matcher. A watchdog thread watches the script's clock; once the script has run `grace`
/// past `LuaLimits.timeout`, or `cleanUp` past the moment the memory limit was hit (describing
/// the error and closing the state run then), it writes `messagePrefix` and which limit to
/// standard error and ends the process with `exitCode`.
/// Only a program that owns its process sets this (`refonte run`); a library user gets the
/// hook alone.
public struct LuaHardStop: Sendable, Equatable {
    public var grace: Duration
    public var cleanUp: Duration
    public var exitCode: Int32
    public var messagePrefix: String

    public init(
        grace: Duration = .milliseconds(500),
        cleanUp: Duration = .seconds(2),
        exitCode: Int32,
        messagePrefix: String
    ) {
        self.grace = grace
        self.cleanUp = cleanUp
        self.exitCode = exitCode
        self.messagePrefix = messagePrefix
    }

    /// What the watchdog writes when `limit` was exceeded.
    func message(for limit: LuaLimit) -> String {
        messagePrefix + limit.description
            + "; Lua code that cannot be interrupted (a finalizer, an error handler or a C function"
            + " such as string.find) ran on past it, so the process was ended\n"
    }
}

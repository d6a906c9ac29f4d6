/// What a script may use. Hitting a limit stops the whole run; `pcall` cannot catch it.
public struct LuaLimits: Sendable, Equatable {
    /// The script's own running time; time spent waiting on host work does not count.
    public var timeout: Duration?
    /// The most memory Lua may hold, in bytes.
    public var maxMemory: Int?
    /// How many VM instructions run between two checks of the limits.
    public var checkInterval: Int32

    public init(timeout: Duration? = nil, maxMemory: Int? = nil, checkInterval: Int32 = 1000) {
        self.timeout = timeout
        self.maxMemory = maxMemory
        self.checkInterval = checkInterval
    }

    var isLimited: Bool { timeout != nil || maxMemory != nil }
}

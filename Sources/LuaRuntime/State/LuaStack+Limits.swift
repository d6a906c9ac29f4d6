import CLua

#if canImport(Glibc)
import Glibc
#endif

/// Limits for the host's own work on a script's data (decoding JSON, reading a CSV, building a
/// log line).
///
/// Lua's allocator holds Lua's allocations to the memory cap, but while a Swift function runs
/// no allocation may fail (the failure would longjmp over the Swift frame), and buffers Swift
/// builds are not Lua's at all. So a Swift function that pushes much into Lua, or builds a
/// buffer from the script's data, asks here as it goes. When the answer is no, the limit has
/// been hit: the function stops (throwing `LuaLimitReached`, say), and the trampoline raises
/// the limit, which the script cannot catch, instead of whatever the function returned.
extension LuaStack {
    /// False when the memory cap cannot hold `bytes` more (even after a full collection) or
    /// the script's time is up.
    public func withinLimits(reserving bytes: Int = 0) -> Bool {
        refonte_within_limits(thread, bytes < 0 ? 0 : bytes) != 0
    }

    /// Counts `bytes` the host holds for the script toward the memory cap, until
    /// `releaseCharge`; false, counting nothing, when they do not fit.
    public func charge(_ bytes: Int) -> Bool {
        refonte_charge(thread, bytes < 0 ? 0 : bytes) != 0
    }

    public func releaseCharge(_ bytes: Int) {
        refonte_uncharge(thread, bytes < 0 ? 0 : bytes)
    }

    /// Pushes `file` as a Lua file handle, as `io.open` returns; Lua closes it when the handle
    /// is closed or collected.
    public func push(file: UnsafeMutablePointer<FILE>) {
        refonte_push_file(thread, file)
    }
}

/// Host work stopped because a limit was hit; the script sees the limit, not this error.
public struct LuaLimitReached: Error, CustomStringConvertible, Sendable {
    public init() {}
    public var description: String { "a limit of the script was reached" }
}

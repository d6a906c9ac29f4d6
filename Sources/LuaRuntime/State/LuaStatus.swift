import CLua

/// The one place a Lua status code is turned into success or a `LuaError`.
enum LuaStatus {
    /// Checks `status`; on failure the error value is on top of `thread` and is popped.
    static func check(
        _ status: Int32,
        in state: LuaState,
        thread: OpaquePointer,
        hasTraceback: Bool = false
    ) throws(LuaError) {
        switch status {
        case LUA_OK, LUA_YIELD: return
        default: break
        }
        throw state.takeError(status: status, thread: thread, hasTraceback: hasTraceback)
    }
}

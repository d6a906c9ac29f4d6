import LuaRuntime

/// How a failed statement is shown: Lua's message, then its traceback without the REPL's own
/// frames (the session's glue and the C calls that lead into a statement).
enum StatementError {
    static func text(_ error: LuaError) -> String {
        let frames = error.traceback.split(separator: "\n", omittingEmptySubsequences: false).filter { line in
            !line.contains("refonte repl:") && !line.contains("[C]: in ?") && !line.contains("(...tail calls...)")
        }
        // "stack traceback:" alone says nothing.
        guard frames.count > 1 else { return error.message }
        return error.message + "\n" + frames.joined(separator: "\n")
    }
}

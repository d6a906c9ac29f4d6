import LuaRuntime

/// How a failed statement is shown: Lua's message, then its traceback without the REPL's own
/// frames (the session's glue and the C calls that lead into a statement).
enum StatementError {
    static func text(_ error: LuaError) -> String {
        let lines = error.traceback.split(separator: "\n", omittingEmptySubsequences: false)
        var frames: [String] = []
        for (offset, line) in lines.enumerated() {
            if line.contains("refonte repl:") || line.contains("[C]: in ?")
                || line.contains("(...tail calls...)")
            {
                continue
            }
            // The statement itself, called by the session's `eval`: lua.c calls it the main chunk.
            let calledByREPL = lines.dropFirst(offset + 1).first?.contains("refonte repl:") ?? false
            if calledByREPL, line.hasSuffix(" in local 'statement'") {
                frames.append(line.dropLast("local 'statement'".count) + "main chunk")
            } else {
                frames.append(String(line))
            }
        }
        // "stack traceback:" alone says nothing.
        guard frames.count > 1 else { return error.message }
        return error.message + "\n" + frames.joined(separator: "\n")
    }
}

import Quantities

/// An error that came out of Lua: a script error, a syntax error, or a limit that was hit.
public struct LuaError: Error, CustomStringConvertible, Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        /// A runtime error raised by the script (or by a bound Swift function).
        case runtime
        /// The chunk does not compile.
        case syntax
        /// A limit of `LuaLimits` was hit; the script cannot catch it.
        case limit(LuaLimit)
        /// `LuaInterrupter.interrupt()` stopped the code (Ctrl-C); the script cannot catch it.
        case interrupted
        /// Lua could not allocate memory while no cap was set, or a host invariant broke.
        case host
        /// The script called `os.exit(code)`: not an error, but the run ends with this code.
        case exit(Int32)
    }

    public var kind: Kind
    /// The error value as text (`tostring` of it, or "(error object is a table value)").
    public var message: String
    /// Lua's "stack traceback:" lines (file:line), empty when there is none.
    public var traceback: String

    public init(kind: Kind, message: String, traceback: String = "") {
        self.kind = kind
        self.message = message
        self.traceback = traceback
    }

    public var description: String {
        traceback.isEmpty ? message : message + "\n" + traceback
    }
}

/// Which limit stopped a script.
public enum LuaLimit: Sendable, Equatable, CustomStringConvertible {
    case memory(bytes: Int)
    case time(Duration)

    public var description: String {
        switch self {
        case .memory(let bytes): "memory limit of \(ByteCountText.format(bytes)) exceeded (--max-memory)"
        case .time(let budget): "time limit of \(DurationText.format(budget)) exceeded (--timeout)"
        }
    }
}

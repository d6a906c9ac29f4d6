import LuaRuntime

/// Everything one `refonte run` needs to know.
public struct ScriptRun: Sendable {
    public enum Source: Sendable, Equatable {
        case file(String)
        /// Code given on the command line (`-e CODE`).
        case code(String)
        /// The script read from standard input (`-`).
        case standardInput
    }

    public var source: Source
    /// The script's arguments: `arg[1...]` and the main chunk's `...`.
    public var arguments: [String]
    /// The command line before the script, for `arg[-1]`, `arg[-2]`, … as lua.c sets them.
    public var commandLine: [String]
    public var limits: LuaLimits
    public var permissions: ScriptPermissions
    public var extensions: [any ScriptExtension]
    /// Told the script's source once it has been read (the run's plan and audit records
    /// carry its hash).
    public var onLoad: (@Sendable (_ name: String, _ source: [UInt8]) -> Void)?

    public init(
        source: Source,
        arguments: [String] = [],
        commandLine: [String] = [],
        limits: LuaLimits = LuaLimits(),
        permissions: ScriptPermissions = ScriptPermissions(),
        extensions: [any ScriptExtension] = [],
        onLoad: (@Sendable (_ name: String, _ source: [UInt8]) -> Void)? = nil
    ) {
        self.source = source
        self.arguments = arguments
        self.commandLine = commandLine
        self.limits = limits
        self.permissions = permissions
        self.extensions = extensions
        self.onLoad = onLoad
    }

    /// `arg[0]`: the script path, "-" for standard input, "-e" for code from the command line.
    var scriptName: String {
        switch source {
        case .file(let path): path
        case .code: "-e"
        case .standardInput: "-"
        }
    }

    var chunkName: String {
        switch source {
        case .file(let path): "@" + path
        case .code: "=(command line)"
        case .standardInput: "=stdin"
        }
    }
}

/// Why a run did not finish.
public enum ScriptFailure: Error, CustomStringConvertible, Sendable {
    /// The script raised an error (or does not compile); message and traceback inside.
    case script(LuaError)
    /// A limit stopped the script.
    case limit(LuaError)
    /// The script could not be read, or the host could not set up.
    case setup(String)
    /// The script ended itself with `os.exit(code)` (not a failure when the code is 0): it
    /// unwound, and its `<close>` variables were closed.
    case exit(Int32)

    public var description: String {
        switch self {
        case .script(let error), .limit(let error): error.description
        case .setup(let message): message
        case .exit(let code): "the script exited with code \(code) (os.exit)"
        }
    }

    var isExit: Bool { if case .exit = self { true } else { false } }
}

extension ScriptRun {
    /// `arg`, set as lua.c sets it; Lua's own stubs describe it.
    static let argGlobal = ScriptGlobal("arg", stub: "")
}

import Logging
import LuaRuntime

/// Something the runner installs into a script's state before the script runs (issue 4's
/// `refonte` table, `log`, and so on). It runs after the sandbox, on the host's thread.
public protocol ScriptExtension: Sendable {
    func install(in context: ScriptContext) throws
}

/// What an extension gets: the state to add globals to, the run's permissions, the jail to
/// open files through (`files.open` checks as it opens), and a logger.
public struct ScriptContext {
    public let state: LuaState
    public let permissions: ScriptPermissions
    public let logger: Logger

    public var files: FileJail { FileJail(permissions: permissions) }
}

/// The safe environment every script runs in: base (text chunks only), string, table, math,
/// utf8, coroutine, os.time/clock/date, io and os.getenv behind permissions, `json`, `sleep`,
/// `spawn`, `pp`. Each run gets a fresh state, so fresh globals.
public enum ScriptEnvironment {
    public static func install(
        in state: LuaState,
        permissions: ScriptPermissions,
        packagePath: String,
        extensions: [any ScriptExtension] = [],
        logger: Logger = Logger(label: "refonte.script")
    ) throws {
        try installSandbox(in: state, permissions: permissions)
        let stack = state.stack
        stack.pushGlobals()
        stack.rawGet(-1, field: "package")
        stack.push(packagePath)
        stack.rawSet(-2, field: "path")
        stack.pop(2)
        try JSONLibrary.install(in: state)
        try state.setGlobal("sleep", .function(.swift(sleepFunction)))
        try state.setGlobal("pp", .function(.swift(PrettyPrintFunction.make())))
        let context = ScriptContext(state: state, permissions: permissions, logger: logger)
        for item in extensions { try item.install(in: context) }
    }

    private static func installSandbox(in state: LuaState, permissions: ScriptPermissions) throws {
        let mayReadEnvironment = LuaSwiftFunction("may_read_env") { call in
            let operation = try call.string(1, "operation")
            guard call.stack.withBytes(at: 2, { $0.count <= 4096 }) == true else {
                return try call.returning(
                    .string("\(operation): argument #1 (name) is not an environment variable name")
                )
            }
            let name = try call.string(2, "name")
            guard let message = permissions.denialToReadEnvironment(name, operation: operation) else {
                return .none
            }
            return try call.returning(.string(message))
        }
        let exitCodeRefusal = LuaSwiftFunction("exit_code_refusal") { call in
            guard let refusal = ExitCodes.refusal(forScript: try call.integer(1, "code")) else {
                return .none
            }
            return try call.returning(.string(refusal))
        }
        let prelude = try state.load(.sandbox)
        try state.call(
            prelude,
            [
                .function(.swift(OpenFileFunction.make(FileJail(permissions: permissions)))),
                .function(.swift(mayReadEnvironment)),
                .function(.swift(exitCodeRefusal)),
            ]
        )
    }

    /// `sleep(ms)`: suspends the calling coroutine; other tasks run meanwhile.
    static var sleepFunction: LuaSwiftFunction {
        LuaSwiftFunction("sleep") { call in
            let ms = try call.number(1, "ms")
            guard ms >= 0, ms.isFinite else {
                throw LuaArgumentError(
                    position: 1,
                    label: "ms",
                    expected: "0 or more milliseconds",
                    got: "\(ms)"
                )
            }
            let nanoseconds = Int64(min(ms, 1e12) * 1_000_000)
            return .suspend(
                LuaSuspension(
                    work: { try? await Task.sleep(for: .nanoseconds(nanoseconds)) },
                    resume: { _, _ in .none }
                )
            )
        }
    }
}

extension ScriptEnvironment {
    static let sleepGlobal = ScriptGlobal(
        "sleep",
        stub: """
            ---Waits without blocking other tasks.
            ---@param ms number milliseconds
            function sleep(ms) end

            """
    )

    /// Installed by the runtime's scheduler (`LuaRuntimePrelude`), described here with the rest.
    static let spawnGlobal = ScriptGlobal(
        "spawn",
        stub: """
            ---@class Task
            local Task = {}

            ---Waits for the task to finish; returns its results or raises its error.
            ---@return any ...
            function Task:wait() end

            ---Runs `fn(...)` as a task beside this one, so that their API calls overlap.
            ---@param fn function
            ---@param ... any
            ---@return Task
            function spawn(fn, ...) end

            """
    )
}

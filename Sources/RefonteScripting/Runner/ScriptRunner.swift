import Logging
import LuaRuntime

/// Runs one script in a fresh, sandboxed state with the run's limits, on a thread of its own
/// (`ScriptThread`).
public struct ScriptRunner: Sendable {
    let logger: Logger

    public init(logger: Logger) { self.logger = logger }

    public func run(_ run: ScriptRun) async throws(ScriptFailure) {
        try await ScriptThread.run { () async throws(ScriptFailure) in try await runHere(run) }
    }

    private func runHere(_ run: ScriptRun) async throws(ScriptFailure) {
        let source: [UInt8]
        var permissions = run.permissions
        var packagePath = "./?.lua;./?/init.lua"
        switch run.source {
        case .file(let path):
            source = try SourceReader.read(path: path)
            let folder = Self.folder(of: path)
            permissions.readablePaths.append(folder)
            packagePath = "\(folder)/?.lua;\(folder)/?/init.lua"
        case .code(let code):
            source = Array(code.utf8)
        case .standardInput:
            source = try SourceReader.readStandardInput()
        }
        run.onLoad?(run.scriptName, source)

        let state = try ScriptState.make(
            limits: run.limits,
            permissions: permissions,
            packagePath: packagePath,
            extensions: run.extensions,
            logger: logger
        ) { state in
            try state.setGlobal("arg", Self.argTable(run))
        }
        let chunk: LuaFunction
        do {
            chunk = try state.load(source, chunkName: run.chunkName)
        } catch {
            throw .script(error)
        }
        logger.debug(
            "running script",
            metadata: ["script": "\(run.scriptName)", "arguments": "\(run.arguments.count)"]
        )
        var failure: ScriptFailure?
        do {
            try await state.run(chunk, arguments: run.arguments.map { .string($0) }, copyingResults: false)
        } catch {
            switch error.kind {
            case .limit:
                logger.debug("limit hit", metadata: ["limit": "\(error.message)"])
                failure = .limit(error)
            case .exit(let code):
                logger.debug("script exited", metadata: ["code": "\(code)"])
                failure = .exit(code)
            default:
                failure = .script(error)
            }
        }
        // Finalizers still pending run as the state closes: script code, under the same limits.
        state.close()
        if let failure, !(failure.isExit && state.limitHit != nil) { throw failure }
        if let limit = state.limitHit {
            throw .limit(
                LuaError(
                    kind: .limit(limit),
                    message: "\(limit.description), in a finalizer (__gc) as the script ended"
                )
            )
        }
        // os.exit in a finalizer that ran as the state closed.
        if let code = state.exitRequested { throw .exit(code) }
    }

    /// `arg` as lua.c builds it: the script at 0, its arguments from 1, the command line before it below 0.
    static func argTable(_ run: ScriptRun) -> LuaValue {
        var entries: [LuaValue: LuaValue] = [0: .string(run.scriptName)]
        for (offset, argument) in run.arguments.enumerated() {
            entries[.integer(Int64(offset + 1))] = .string(argument)
        }
        for (offset, word) in run.commandLine.reversed().enumerated() {
            entries[.integer(-Int64(offset + 1))] = .string(word)
        }
        return .table(.map(entries))
    }

    static func folder(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }
}

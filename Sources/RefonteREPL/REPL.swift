import Logging
import LuaRuntime
import RefonteAPI
import RefonteScripting

#if canImport(Glibc)
import Glibc
#endif

/// `refonte repl`: reads Lua statements, runs each in one session, prints what they return.
///
/// At a terminal it edits lines with libedit (history, completion, Ctrl-C); otherwise it reads
/// statements from standard input and prints results without prompts, so a session can be
/// scripted (`refonte repl < statements.lua`).
public enum REPL {
    /// Exit statuses, as `refonte repl --help` lists them.
    public enum Status: Sendable, Equatable {
        case ok
        /// A statement raised an error (from standard input only: at a terminal the session goes on).
        case statementFailed
        /// The session could not start.
        case setupFailed
        /// A statement was stopped by a limit (from standard input only).
        case limitHit
        /// A statement called `os.exit(code)`: the session ends, with that code.
        case exited(Int32)

        /// The process's exit status.
        public var code: Int32 {
            switch self {
            case .ok: 0
            case .statementFailed: 1
            case .setupFailed: 2
            case .limitHit: 3
            case .exited(let code): code
            }
        }
    }

    /// `$XDG_STATE_HOME/refonte/repl_history`, or `~/.local/state/refonte/repl_history`.
    public static func defaultHistoryPath() -> String { HistoryFile.defaultPath() }

    /// Runs the session to its end (Ctrl-D, `.exit`, the end of standard input).
    public static func run(_ configuration: REPLConfiguration, logger: Logger) async -> Status {
        await ScriptThread.run {
            await runHere(configuration, logger: logger)
        }
    }

    private static func runHere(_ configuration: REPLConfiguration, logger: Logger) async -> Status {
        let interactive = isatty(STDIN_FILENO) == 1
        let output = REPLOutput(
            colour: TerminalFacts.colourOnStandardOutput(),
            labels: interactive,
            redact: configuration.redact
        )
        var limits = configuration.limits
        limits.interruptible = interactive
        let session: REPLSession
        do {
            let state = try ScriptState.make(
                limits: limits,
                permissions: configuration.permissions,
                packagePath: "./?.lua;./?/init.lua",
                extensions: configuration.extensions,
                logger: logger
            ) { state in
                try state.setGlobal("arg", .table(.map([0: "repl"])))
            }
            session = try REPLSession(state: state, output: output)
        } catch {
            output.notice("cannot start the REPL: \(error)")
            return .setupFailed
        }
        defer { session.state.close() }
        var loop = StatementLoop(session: session, configuration: configuration, output: output)
        if interactive {
            return await loop.runInteractive(logger: logger)
        }
        return await loop.runPiped()
    }
}

/// Gathers lines into statements, and runs statements and dot-commands.
struct StatementLoop {
    let session: REPLSession
    let configuration: REPLConfiguration
    let output: REPLOutput
    /// The worst outcome so far, for the exit status of a piped session.
    private(set) var status = REPL.Status.ok

    init(session: REPLSession, configuration: REPLConfiguration, output: REPLOutput) {
        self.session = session
        self.configuration = configuration
        self.output = output
    }

    // MARK: at a terminal

    mutating func runInteractive(logger: Logger) async -> REPL.Status {
        let editor: LineEditor
        do {
            editor = try LineEditor(name: "refonte")
        } catch {
            output.notice("cannot start the REPL: \(error)")
            return .setupFailed
        }
        let history = configuration.historyPath.map {
            HistoryFile(path: $0, isSecret: configuration.holdsSecret)
        }
        if let history { editor.loadHistory(from: history.path) }
        let completer = Completer(
            state: session.state,
            projects: ProjectNames(connection: configuration.connection)
        )
        editor.complete = { completer.complete($0) }
        do {
            try InterruptKey.install(interrupter: session.state.interrupter) {}
        } catch {
            output.notice("\(error)")
            return .setupFailed
        }
        output.line(banner())
        var pending = ""
        while true {
            editor.pending = pending
            let input = editor.read(prompt: prompt(continuing: !pending.isEmpty))
            let text: String
            switch input {
            case .end:
                output.line("")
                return .ok
            case .cancelled:
                pending = ""
                continue
            case .line(let line):
                text = line
            }
            let (entry, done) = await take(text, pending: &pending)
            if let entry, let history, history.keeps(entry) {
                editor.remember(entry)
                do {
                    try history.save(editor)
                } catch {
                    logger.warning("\(error)")
                }
            }
            if done { return exited ? status : .ok }
        }
    }

    /// `> `, or `>> ` inside a statement; `dry` in front while writes are planned, not sent.
    private func prompt(continuing: Bool) -> String {
        (configuration.connection.session.mode == .dryRun ? "dry" : "") + (continuing ? ">> " : "> ")
    }

    private func banner() -> String {
        let destination = configuration.destination
        let target =
            if let reason = destination.sandboxReason {
                "the embedded sandbox (\(reason))"
            } else {
                destination.baseURL ?? "?"
            }
        return "refonte repl: calls go to \(target). .help for help, Ctrl-D to leave."
    }

    // MARK: from standard input

    mutating func runPiped() async -> REPL.Status {
        var pending = ""
        while let line = readLine(strippingNewline: true) {
            let (_, done) = await take(line, pending: &pending)
            if done { return status }
        }
        if !pending.isEmpty, case .incomplete = session.compile(pending) {
            // The input ended inside a statement: Lua's own message says where.
            let message = Self.endOfInputMessage(session, pending)
            output.error(message)
            status = max(status, .statementFailed)
        }
        output.flush()
        return status
    }

    /// Lua's syntax error for a statement cut short by the end of the input.
    private static func endOfInputMessage(_ session: REPLSession, _ pending: String) -> String {
        if case .invalid(let message) = session.compileStatement(LuaString(pending), chunkName: "=stdin") {
            return message
        }
        return "stdin: the input ended inside a statement"
    }

    // MARK: one line

    /// Adds `line` to the statement being typed, and runs it once complete (or the line's
    /// dot-command). Returns the entry for the history once there is one, and whether the
    /// session ends.
    private mutating func take(_ line: String, pending: inout String) async -> (entry: String?, done: Bool) {
        if pending.isEmpty, let command = DotCommand(line: line) {
            let done = await perform(command)
            output.flush()
            return (line, done)
        }
        pending = pending.isEmpty ? line : pending + "\n" + line
        let statement = pending
        switch session.compile(statement) {
        case .incomplete:
            return (nil, false)
        case .invalid(let message):
            pending = ""
            output.error(message)
            status = max(status, .statementFailed)
            return (statement, false)
        case .ready(let function):
            pending = ""
            if let error = await session.run(function) { report(error) }
            output.flush()
            let blank = statement.allSatisfy { $0 == " " || $0 == "\t" || $0 == "\n" }
            return (blank ? nil : statement, exited)
        }
    }

    /// Whether a statement called `os.exit`: the session ends, as lua.c's does.
    private var exited: Bool {
        if case .exited = status { true } else { false }
    }

    private mutating func report(_ error: LuaError) {
        switch error.kind {
        case .exit(let code):
            status = .exited(code)
        case .interrupted:
            output.error("interrupted (Ctrl-C): the statement stopped; the session goes on")
        case .limit(let limit):
            output.error("statement stopped: \(limit)")
            status = max(status, .limitHit)
        default:
            output.error(StatementError.text(error))
            status = max(status, .statementFailed)
        }
    }

    // MARK: dot-commands

    /// Runs a dot-command; true when the session ends.
    private mutating func perform(_ command: DotCommand) async -> Bool {
        switch command {
        case .help(nil):
            output.line(DotCommand.helpText().dropLast().description)
        case .help(let name?):
            switch DotCommand.operationHelp(name) {
            case .success(let text): output.line(String(text.dropLast()))
            case .failure(let unknown):
                output.error(".help: \(unknown)")
                status = max(status, .statementFailed)
            }
        case .profile:
            output.line(ProfileReport.text(configuration.destination, liveBaseURL: session.liveBaseURL()))
        case .load(let path):
            await load(path)
            return exited
        case .dry(let on):
            dry(on)
        case .plan(let path):
            plan(path)
        case .exit:
            return true
        case .invalid(let message):
            output.error(message)
            status = max(status, .statementFailed)
        }
        return false
    }

    /// `.dry on|off`: the run's session plans the writes that follow, or sends them again:
    /// the interception `refonte run --dry-run` uses, switched for the rest of the session.
    private func dry(_ on: Bool?) {
        let runSession = configuration.connection.session
        guard let on else {
            output.line(
                runSession.mode == .dryRun
                    ? "dry run: writes are planned, not sent (.plan shows them; .dry off sends again)"
                    : "writes are sent (.dry on plans them instead)"
            )
            return
        }
        runSession.switchMode(to: on ? .dryRun : .live)
        RunFacts.setDryRun(on, in: session.state)
        output.notice(
            on
                ? "dry run: the writes that follow are planned, not sent; reads still go to the API (.plan shows the plan)"
                : "writes are sent again; the plan so far stays (.plan)"
        )
    }

    /// `.plan [FILE]`: the plan as `refonte run --dry-run` prints it, and saved as `--plan-out`
    /// saves it.
    private mutating func plan(_ path: String?) {
        guard let plan = configuration.connection.session.plan() else {
            output.line("no plan: nothing has been planned (.dry on plans the writes that follow)")
            return
        }
        output.line(String(plan.text.dropLast()))
        guard let path else { return }
        do {
            try configuration.savePlan(plan, path)
            let count = plan.writes.count
            output.notice(
                "the plan (\(count) write\(count == 1 ? "" : "s")) is in \(path): `refonte apply \(path)` makes them"
            )
        } catch {
            output.error(".plan: cannot write the plan to \(path): \(error)")
            status = max(status, .statementFailed)
        }
    }

    /// `.load FILE`: the file runs as a chunk of its own (its locals stay its own) in the
    /// session's environment; what it returns is printed and kept like a result.
    private mutating func load(_ path: String) async {
        let source: [UInt8]
        do {
            source = try SourceReader.read(
                path,
                through: FileJail(permissions: configuration.permissions),
                operation: ".load"
            )
        } catch {
            output.error(error.description)
            status = max(status, .statementFailed)
            return
        }
        switch session.compileStatement(LuaString(bytes: source), chunkName: "@" + path) {
        case .ready(let function):
            if let error = await session.run(function) { report(error) }
        case .invalid(let message):
            output.error(message)
            status = max(status, .statementFailed)
        case .incomplete:
            output.error(".load: \(path) ends inside a statement")
            status = max(status, .statementFailed)
        }
    }
}

extension REPL.Status: Comparable {
    public static func < (a: REPL.Status, b: REPL.Status) -> Bool {
        // A limit outranks an error, which outranks success.
        func rank(_ status: REPL.Status) -> Int {
            switch status {
            case .ok: 0
            case .statementFailed: 1
            case .limitHit: 2
            case .setupFailed: 3
            case .exited: 4
            }
        }
        return rank(a) < rank(b)
    }
}

import ArgumentParser
import Foundation
import Logging
import LuaRuntime
import Quantities
import RefonteAPI
import RefonteScripting

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

struct Run: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        // Named, not derived: deriving the name from the type costs about 5 million
        // instructions of reflection at every start (measured with callgrind).
        commandName: "run",
        abstract: "Run a Lua script that automates the API.",
        discussion: """
            Every API operation is a function below `refonte` (`refonte ops` lists them):
              refonte.teams.invite { emails = { "ana@example.com" }, role = "labeler" }
              for t in refonte.tasks.iter { status = "pending" } do print(t.task_id) end

            Calls go to the account whose key comes first from --api-key-file, \
            REFONTE_API_KEY or a profile (`refonte auth status` tells which). With no key, or \
            with --sandbox, they go to the embedded sandbox, a local emulation of the API whose \
            data is kept between runs.

            The script gets `arg` as lua.c sets it (arg[0] is the script, arg[1...] the words \
            after it, a leading -- dropped) and the same arguments as `...`; refonte's options go \
            before the script. It runs in a safe environment: \
            it may read its own folder; other files and environment variables need \
            --allow-read, --allow-write, --allow-env. No grant reaches the API key (the key \
            file in use, ~/.config/refonte/, REFONTE_API_KEY, /proc). The limits are off \
            unless given, and hold for all Lua code (docs/security.md).

            With --dry-run no write leaves the process: reads go to the API, each write is \
            answered with what it would return (unknown ids print as "(known after apply)") and \
            listed in a plan on standard error; --plan-out saves it for `refonte apply`. Every \
            write, made or planned, is recorded in the audit log (`refonte audit show`). A \
            summary of the run (calls, retries, time throttled, writes) ends on standard error, \
            or as JSON on standard output with --output json.

            Examples:
              refonte run examples/onboard_labelers.lua examples/labelers.csv
              refonte run -e 'print(#refonte.teams.list())'
              refonte run --timeout 30s --max-memory 256MB nightly.lua
              refonte run --dry-run --plan-out plan.json onboard.lua -- labelers.csv
              refonte run --rate 50/s --burst 10 --output json bulk.lua
              refonte run --progress json bulk.lua     # refonte.map's progress as JSON lines

            Exit codes:
              0  the script finished
              1  the script raised an error (message and traceback on standard error)
              2  usage error (bad flags or values)
              3  a limit was exceeded (--timeout or --max-memory)
              os.exit(code) ends the script with its own code: 0, 1 or 10 to 125 (2 to 9 are \
            refonte's). The script unwinds (its <close> variables are closed, pcall does not \
            catch it), its output is flushed and the summary written.

            \(EnvironmentHelp.text(forRun: true))
            """
    )

    @Option(
        name: [.customShort("e"), .customLong("eval")],
        parsing: .unconditional,
        help: ArgumentHelp("Run CODE instead of a script file.", valueName: "code")
    )
    var code: String?

    @OptionGroup var jail: JailFlags

    @Option(
        name: .customLong("summary-out"),
        help: ArgumentHelp(
            "When the script ends, write a JSON summary there: exit code, API calls, writes, seconds.",
            valueName: "path"
        )
    )
    var summaryOut: String?

    @OptionGroup(title: "API") var credentials: CredentialFlags

    @Flag(help: "Send API calls to the embedded sandbox even when an API key is configured.")
    var sandbox = false

    @Option(
        name: .customLong("sandbox-db"),
        help: ArgumentHelp(
            "The embedded sandbox's database (implies --sandbox; default $XDG_DATA_HOME/refonte/sandbox.sqlite), to keep separate worlds; `refonte sandbox reset --db` starts one over.",
            valueName: "path"
        )
    )
    var sandboxDatabase: String?

    @OptionGroup(title: "Writes") var writes: WriteFlags

    @OptionGroup(title: "Pacing") var pacing: PacingFlags

    @OptionGroup var output: SummaryOutputFlag

    @OptionGroup(title: "Progress") var progress: ProgressFlags

    /// The script and its arguments, as lua.c takes them: every word after the script is the
    /// script's, options included; a `--` right after the script is dropped.
    @Argument(
        parsing: .captureForPassthrough,
        help: ArgumentHelp(
            "The Lua script to run (or - to read it from standard input), then its arguments; with -e, the arguments after --.",
            valueName: "script [args...]"
        )
    )
    var words: [String] = []

    /// The script file (or -), nil with -e.
    var script: String? {
        guard code == nil else { return nil }
        return words.first == "--" ? words.dropFirst().first : words.first
    }

    /// The script's arguments: `arg[1...]` and `...`.
    var arguments: [String] {
        var rest = words[...]
        if code == nil {
            if rest.first == "--" { rest = rest.dropFirst() }
            rest = rest.dropFirst()
        }
        if rest.first == "--" { rest = rest.dropFirst() }
        return Array(rest)
    }

    func validate() throws {
        // The script's words are captured whole, so the parser leaves --help to us.
        if let first = words.first, first == "--help" || first == "-h" {
            throw CleanExit.helpRequest(Run.self)
        }
        if let first = words.first, first.hasPrefix("-"), first != "-", first != "--" {
            throw ValidationError(CommandLineAdvice.unknownOption(first, of: Run.self, path: "run"))
        }
        switch (script, code) {
        case (nil, nil):
            throw ValidationError(
                "missing SCRIPT: give a script file, - to read the script from standard input, or -e CODE"
            )
        case (nil, .some):
            if let first = words.first, first != "--" {
                throw ValidationError(
                    "give either SCRIPT (\(first)) or -e CODE, not both (arguments for -e CODE go after --)"
                )
            }
        default: break
        }
    }

    mutating func run() async throws {
        let started = ContinuousClock.now
        let logger = Logger(label: "refonte.run")
        let setup = try ScriptSetup.make(
            credentials: credentials,
            sandbox: sandbox,
            sandboxDatabase: sandboxDatabase,
            writes: writes,
            pacing: pacing,
            logger: logger
        )
        let connection = setup.connection
        let rateLimit = setup.resolved.rateLimit
        let session = connection.connection.session
        let source: ScriptRun.Source =
            if let code { .code(code) } else if script == "-" { .standardInput } else { .file(script ?? "") }
        let scriptArguments = arguments
        let display = ProgressDisplay.make(progress.progress)
        let configuration = ScriptRun(
            source: source,
            arguments: arguments,
            commandLine: Self.commandLine(before: script),
            limits: jail.limits,
            permissions: jail.permissions(protectedPaths: setup.protectedPaths),
            extensions: [
                APIExtension(
                    connection: connection.connection,
                    facts: connection.facts,
                    progress: display ?? SilentProgress()
                ),
                LogExtension(logger: Logger(label: "script")),
                CSVExtension(),
            ],
            onLoad: { name, source in
                session.setScript(ScriptIdentity(path: name, source: source, arguments: scriptArguments))
            }
        )
        let runner = ScriptRunner(logger: logger)
        let summaryOut = summaryOut
        func summarize(_ exitCode: Int32) {
            guard let summaryOut else { return }
            let elapsed = ContinuousClock.now - started
            RunSummaryFile.write(
                to: summaryOut,
                exitCode: exitCode,
                counts: connection.connection.callCounts,
                seconds: Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            )
        }
        let report = RunReport(
            session: session,
            started: started,
            rateLimit: rateLimit,
            planOut: writes.planOut,
            format: output.format
        )
        do {
            try await runner.run(configuration)
            display?.close()
            await connection.connection.close()
            flushStandardOutput()
            try report.finish(status: .ok)
            summarize(0)
        } catch let error as ScriptFailure {
            display?.close()
            await connection.connection.close()
            flushStandardOutput()
            let code: Int32
            switch error {
            case .exit(ExitCodes.success):
                try report.finish(status: .ok)
                summarize(ExitCodes.success)
                return
            case .exit(let chosen):
                code = chosen
            case .script(let failure):
                Self.report(failure.description)
                code = 1
            case .limit(let failure):
                Self.report(
                    "script stopped: \(failure.message)"
                        + (failure.traceback.isEmpty ? "" : "\n" + failure.traceback)
                )
                code = 3
            case .setup(let message):
                Self.report(message)
                code = 1
            }
            // A failed dry run still shows (and saves) what it had planned so far.
            try? report.finish(status: code == ExitCodes.limit ? .stopped : .failed)
            summarize(code)
            throw ExitCode(code)
        }
    }

    static func report(_ message: String) {
        var standardError = StandardError()
        print("refonte: \(message)", to: &standardError)
    }

    /// The command line words before the script (for arg[-1], arg[-2], …).
    static func commandLine(before script: String?) -> [String] {
        let words = CommandLine.arguments
        let end = words.firstIndex(of: "--") ?? words.count
        guard let script, let position = words[..<end].lastIndex(of: script) else {
            return Array(words[..<end])
        }
        return Array(words[..<position])
    }
}

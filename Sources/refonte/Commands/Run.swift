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

            The script gets `arg` as lua.c sets it (arg[0] is the script, arg[1...] the \
            arguments after --) and the same arguments as `...`. It runs in a safe environment: \
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
              refonte run examples/onboard_labelers.lua -- examples/labelers.csv
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

            Environment:
              REFONTE_PROFILE, REFONTE_API_KEY   where calls go (see above)
              REFONTE_DRY_RUN                    1 is the same as --dry-run
              XDG_STATE_HOME                     the audit log's folder (default ~/.local/state)
              REFONTE_LOG_LEVEL                  trace, debug, info (default), warning, error
              REFONTE_CA_FILE                    also trust this CA (PEM); `ca_file` in a profile
              SSL_CERT_FILE                      the CA bundle that stands for the system's store
              HTTPS_PROXY, HTTP_PROXY, ALL_PROXY a proxy for https:// / http:// / any URL
                                                 (http://[user:password@]host:port, socks5://)
              NO_PROXY                           hosts reached directly (example.com,10.0.0.0/8)
            """
    )

    @Option(
        name: [.customShort("e"), .customLong("eval")],
        parsing: .unconditional,
        help: ArgumentHelp("Run CODE instead of a script file.", valueName: "code")
    )
    var code: String?

    @Option(
        help: ArgumentHelp(
            "Stop the script after it has run this long (waiting on the host does not count): \(DurationText.forms).",
            valueName: "duration"
        ),
        transform: { text in
            guard let duration = DurationText.parse(text) else {
                throw ValidationError(
                    "--timeout: '\(text)' is not a duration; use \(DurationText.forms)"
                )
            }
            return duration
        }
    )
    var timeout: Duration?

    @Option(
        name: .customLong("max-memory"),
        help: ArgumentHelp(
            "Stop the script when Lua holds more memory than this: \(ByteCountText.forms).",
            valueName: "size"
        ),
        transform: { text in
            guard let bytes = ByteCountText.parse(text) else {
                throw ValidationError("--max-memory: '\(text)' is not a size; use \(ByteCountText.forms)")
            }
            return bytes
        }
    )
    var maxMemory: Int?

    @Option(
        name: .customLong("allow-read"),
        help: ArgumentHelp(
            "Let the script read PATH (a file, or a folder and all in it). Repeatable.",
            valueName: "path"
        )
    )
    var allowRead: [String] = []

    @Option(
        name: .customLong("allow-write"),
        help: ArgumentHelp("Let the script write (and read) PATH. Repeatable.", valueName: "path")
    )
    var allowWrite: [String] = []

    @Option(
        name: .customLong("allow-env"),
        help: ArgumentHelp(
            "Let the script read the environment variable NAME with os.getenv. Repeatable.",
            valueName: "name"
        )
    )
    var allowEnv: [String] = []

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

    @OptionGroup(title: "Writes") var writes: WriteFlags

    @OptionGroup(title: "Pacing") var pacing: PacingFlags

    @OptionGroup var output: SummaryOutputFlag

    @OptionGroup(title: "Progress") var progress: ProgressFlags

    @Argument(
        help: ArgumentHelp("The Lua script to run, or - to read it from standard input.", valueName: "script")
    )
    var script: String?

    @Argument(
        parsing: .postTerminator,
        help: ArgumentHelp("Arguments for the script, after --.", valueName: "args")
    )
    var arguments: [String] = []

    func validate() throws {
        switch (script, code) {
        case (nil, nil):
            throw ValidationError(
                "missing SCRIPT: give a script file, - to read the script from standard input, or -e CODE"
            )
        case (.some(let script), .some):
            throw ValidationError("give either SCRIPT (\(script)) or -e CODE, not both")
        default: break
        }
        for name in allowEnv where name.isEmpty || name.contains("=") {
            throw ValidationError("--allow-env: '\(name)' is not an environment variable name")
        }
        for name in allowEnv where ScriptPermissions.secretEnvironmentNames.contains(name) {
            throw ValidationError("--allow-env: \(name) holds the API key; no script may read it")
        }
    }

    mutating func run() async throws {
        let started = ContinuousClock.now
        let logger = Logger(label: "refonte.run")
        let connection: ScriptConnection
        let protectedPaths: [String]
        let rateLimit: RateLimit?
        let dryRun: Bool
        do {
            dryRun = try writes.isDryRun(environment: ProcessInfo.processInfo.environment)
            if writes.planOut != nil, !dryRun {
                throw ValidationError("--plan-out needs --dry-run: only a dry run makes a plan")
            }
            var resolved = try CredentialResolver.resolve(credentials.options, logger: logger)
            protectedPaths = ProtectedPaths.forRun(resolved)
            resolved.rateLimit = try pacing.limit(over: resolved.rateLimit)
            rateLimit = resolved.rateLimit
            let audit = AuditLog(path: writes.audit.resolvedPath)
            let key = resolved.apiKey
            connection = try ScriptConnection.make(
                credentials: resolved,
                forceSandbox: sandbox,
                explicitBaseURL: credentials.baseURL != nil,
                dryRun: dryRun,
                session: { target in
                    RunSession(
                        mode: dryRun ? .dryRun : .live,
                        context: RunContext(profile: resolved.profile, target: target),
                        audit: audit,
                        redacting: key,
                        logger: logger
                    )
                },
                logger: logger
            )
        } catch let error as ValidationError {
            Self.report(error.message)
            throw ExitCode(2)
        } catch let error as CredentialsError {
            Self.report(error.description)
            throw ExitCode(error.kind == .usage ? 2 : 1)
        } catch {
            Self.report("\(error)")
            throw ExitCode(2)
        }
        let session = connection.connection.session
        let source: ScriptRun.Source =
            if let code { .code(code) } else if script == "-" { .standardInput } else { .file(script ?? "") }
        let scriptArguments = arguments
        let display = ProgressDisplay.make(progress.progress)
        let configuration = ScriptRun(
            source: source,
            arguments: arguments,
            commandLine: Self.commandLine(before: script),
            limits: LuaLimits(
                timeout: timeout,
                maxMemory: maxMemory,
                hardStop: LuaHardStop(exitCode: 3, messagePrefix: "refonte: script stopped: ")
            ),
            permissions: ScriptPermissions(
                readablePaths: allowRead,
                writablePaths: allowWrite,
                environmentNames: Set(allowEnv),
                protectedPaths: protectedPaths
            ),
            extensions: [
                APIExtension(
                    connection: connection.connection,
                    facts: connection.facts,
                    progress: display ?? SilentProgress()
                ),
                LogExtension(logger: Logger(label: "script")),
                CSVExtension(),
            ],
            benchmarkHooks: getenv("REFONTE_BENCH_HOOKS").map { String(cString: $0) == "1" } ?? false,
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
            try? report.finish(status: code == 3 ? .stopped : .failed)
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

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

    /// What the options ask for.
    var request: RunRequest {
        RunRequest(
            code: code,
            words: words,
            jail: jail.settings,
            summaryOut: summaryOut,
            credentials: credentials.options,
            sandbox: sandbox,
            sandboxDatabase: sandboxDatabase,
            writes: writes.settings,
            pacing: pacing.settings,
            output: output.format,
            progress: progress.progress
        )
    }

    func validate() throws {
        // The script's words are captured whole, so the parser leaves --help to us.
        if let first = words.first, first == "--help" || first == "-h" {
            throw CleanExit.helpRequest(Run.self)
        }
        if let first = words.first, first.hasPrefix("-"), first != "-", first != "--" {
            throw ValidationError(CommandLineAdvice.unknownOption(first, of: Run.self, path: "run"))
        }
        if let problem = request.scriptProblem { throw ValidationError(problem) }
    }

    func run() async throws { try await request.run() }

    static func report(_ message: String) {
        var standardError = StandardError()
        print("refonte: \(message)", to: &standardError)
    }
}

import ArgumentParser
import LuaRuntime
import Quantities
import RefonteScripting

/// The limits and grants of Lua code, shared by `refonte run` and `refonte repl` (where the
/// time limit applies to each statement).
struct JailFlags: ParsableArguments {
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

    var settings: JailSettings {
        JailSettings(
            timeout: timeout,
            maxMemory: maxMemory,
            allowRead: allowRead,
            allowWrite: allowWrite,
            allowEnv: allowEnv
        )
    }

    func validate() throws { try settings.validate() }
}

/// What the jail flags settled, whichever parser read them (`RunCommandLine` or ArgumentParser).
struct JailSettings: Equatable {
    var timeout: Duration?
    var maxMemory: Int?
    var allowRead: [String] = []
    var allowWrite: [String] = []
    var allowEnv: [String] = []

    func validate() throws {
        for name in allowEnv where name.isEmpty || name.contains("=") {
            throw ValidationError("--allow-env: '\(name)' is not an environment variable name")
        }
        for name in allowEnv where ScriptPermissions.secretEnvironmentNames.contains(name) {
            throw ValidationError("--allow-env: \(name) holds the API key; no script may read it")
        }
    }

    /// The limits, with the watchdog that ends the process when uninterruptible Lua code
    /// outruns them (exit 3).
    var limits: LuaLimits {
        LuaLimits(
            timeout: timeout,
            maxMemory: maxMemory,
            hardStop: LuaHardStop(exitCode: 3, messagePrefix: "refonte: script stopped: ")
        )
    }

    /// The grants; `protectedPaths` are out of reach whatever is granted.
    func permissions(protectedPaths: [String]) -> ScriptPermissions {
        ScriptPermissions(
            readablePaths: allowRead,
            writablePaths: allowWrite,
            environmentNames: Set(allowEnv),
            protectedPaths: protectedPaths
        )
    }
}

import LuaRuntime
import RefonteAPI
import RefonteScripting

/// Everything a REPL session needs from the command line: the same jail, limits, extensions
/// and connection as `refonte run`, and where calls go, for `.profile`.
public struct REPLConfiguration: Sendable {
    public var limits: LuaLimits
    public var permissions: ScriptPermissions
    public var extensions: [any ScriptExtension]
    /// The session's connection, also used to list project names for completion.
    public var connection: APIConnection
    public var destination: Destination
    /// Replaces the API key (should it ever be typed) in everything the REPL prints.
    public var redact: @Sendable (String) -> String
    /// True for text that holds the API key: never recorded in the history.
    public var holdsSecret: @Sendable (String) -> Bool
    /// The history file; nil for none.
    public var historyPath: String?
    /// Writes a plan where `.plan FILE` says, as `--plan-out` writes it.
    public var savePlan: @Sendable (Plan, String) throws -> Void

    /// Where calls go, as `.profile` and the banner tell it. Never holds the key itself.
    public struct Destination: Sendable {
        public var profile: String?
        /// The configured base URL and where it came from; nil for the embedded sandbox.
        public var baseURL: String?
        /// Why the embedded sandbox is used (`no API key is configured`, `--sandbox`).
        public var sandboxReason: String?
        /// The masked key and its source (`test_ab**** (test mode) from REFONTE_API_KEY`).
        public var key: String

        public init(profile: String?, baseURL: String?, sandboxReason: String?, key: String) {
            self.profile = profile
            self.baseURL = baseURL
            self.sandboxReason = sandboxReason
            self.key = key
        }
    }

    public init(
        limits: LuaLimits,
        permissions: ScriptPermissions,
        extensions: [any ScriptExtension],
        connection: APIConnection,
        destination: Destination,
        redact: @escaping @Sendable (String) -> String,
        holdsSecret: @escaping @Sendable (String) -> Bool,
        historyPath: String?,
        savePlan: @escaping @Sendable (Plan, String) throws -> Void
    ) {
        self.limits = limits
        self.permissions = permissions
        self.extensions = extensions
        self.connection = connection
        self.destination = destination
        self.redact = redact
        self.holdsSecret = holdsSecret
        self.historyPath = historyPath
        self.savePlan = savePlan
    }
}

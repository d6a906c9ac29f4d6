import Foundation

/// Who is making a run's calls, and where to: what plans and audit records say about a run.
/// It never holds the API key.
public struct RunContext: Sendable, Hashable {
    /// `run_` and 16 hex digits, fresh for every run (and every apply).
    public var runID: String
    public var script: ScriptIdentity?
    /// The profile whose settings are in effect, if any.
    public var profile: String?
    public var target: RunTarget
    /// Set while a plan is applied.
    public var planID: String?

    public init(
        runID: String = RunContext.newRunID(),
        script: ScriptIdentity? = nil,
        profile: String? = nil,
        target: RunTarget,
        planID: String? = nil
    ) {
        self.runID = runID
        self.script = script
        self.profile = profile
        self.target = target
        self.planID = planID
    }

    public static func newRunID() -> String { "run_" + randomHex(16) }

    static func randomHex(_ digits: Int) -> String {
        var text = ""
        while text.count < digits { text += String(UInt64.random(in: .min ... .max), radix: 16) }
        return String(text.prefix(digits))
    }
}

/// The script of a run: how it was named, a hash of its source, its arguments.
public struct ScriptIdentity: Sendable, Hashable {
    /// The path as given, `-` for standard input, `-e` for code on the command line.
    public var path: String
    /// SHA-256 of the source as run.
    public var sha256: String
    public var arguments: [String]

    public init(path: String, sha256: String, arguments: [String]) {
        self.path = path
        self.sha256 = sha256
        self.arguments = arguments
    }

    public init(path: String, source: [UInt8], arguments: [String]) {
        self.init(path: path, sha256: SHA256Digest.hex(source), arguments: arguments)
    }
}

/// Where calls go: an account's base URL, or the embedded sandbox kept in a database file (its
/// URL has a new port every run, so plans name it by its database).
public enum RunTarget: Sendable, Hashable, CustomStringConvertible {
    case account(baseURL: String)
    case embeddedSandbox(database: String)

    public var description: String {
        switch self {
        case .account(let baseURL): baseURL
        case .embeddedSandbox(let database): "the embedded sandbox (\(database))"
        }
    }

    /// Two spellings of one URL (a trailing slash) are the same target.
    public func isSame(as other: RunTarget) -> Bool {
        switch (self, other) {
        case (.account(let a), .account(let b)): Self.trimmed(a) == Self.trimmed(b)
        case (.embeddedSandbox(let a), .embeddedSandbox(let b)):
            URL(fileURLWithPath: a).standardizedFileURL == URL(fileURLWithPath: b).standardizedFileURL
        default: false
        }
    }

    private static func trimmed(_ url: String) -> String {
        var url = url
        while url.hasSuffix("/") { url.removeLast() }
        return url
    }
}

import Foundation
import Synchronization

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
    public var arguments: [String]
    private let digest: SourceDigest

    /// SHA-256 of the source as run.
    public var sha256: String { digest.hex }

    public init(path: String, sha256: String, arguments: [String]) {
        self.path = path
        self.arguments = arguments
        self.digest = SourceDigest(hex: sha256)
    }

    /// The hash is computed when a plan or an audit record first needs it: a run that writes
    /// nothing never does, and hashing (SHA-256's first use sets up its generic types) costs a
    /// tenth of `refonte run -e ''`.
    public init(path: String, source: [UInt8], arguments: [String]) {
        self.path = path
        self.arguments = arguments
        self.digest = SourceDigest(source: source)
    }

    public static func == (a: ScriptIdentity, b: ScriptIdentity) -> Bool {
        a.path == b.path && a.arguments == b.arguments && a.sha256 == b.sha256
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(path)
        hasher.combine(arguments)
        hasher.combine(sha256)
    }
}

/// A source's SHA-256, computed once, on first use.
private final class SourceDigest: Sendable {
    private enum State {
        case source([UInt8])
        case hex(String)
    }
    private let state: Mutex<State>

    init(source: [UInt8]) { state = Mutex(.source(source)) }
    init(hex: String) { state = Mutex(.hex(hex)) }

    var hex: String {
        state.withLock { state in
            switch state {
            case .hex(let hex):
                return hex
            case .source(let source):
                let hex = SHA256Digest.hex(source)
                state = .hex(hex)
                return hex
            }
        }
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

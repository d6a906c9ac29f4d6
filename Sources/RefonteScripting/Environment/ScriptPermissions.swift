/// What a script may touch beyond itself: files to read or write, environment variables.
///
/// Granting a folder grants everything under it. Paths are checked by where they really lead
/// (`FileJail`), so neither a link nor `..` leads a script outside what it was given. Some
/// paths no grant reaches: the credentials in use (`protectedPaths`) and `/proc`.
public struct ScriptPermissions: Sendable, Equatable {
    public var readablePaths: [String]
    public var writablePaths: [String]
    public var environmentNames: Set<String>
    /// Files and folders a script can never read or write, whatever it is granted: the API key
    /// file in use, the config file and its folder (`refonte run` fills these in).
    public var protectedPaths: [String]

    /// Environment variables that hold a secret: no `--allow-env` lets a script read them.
    public static let secretEnvironmentNames: Set<String> = ["REFONTE_API_KEY"]
    /// Always off limits: the environment and memory of every process (this one's holds the key).
    public static let alwaysProtectedPaths = ["/proc"]

    public init(
        readablePaths: [String] = [],
        writablePaths: [String] = [],
        environmentNames: Set<String> = [],
        protectedPaths: [String] = []
    ) {
        self.readablePaths = readablePaths
        self.writablePaths = writablePaths
        self.environmentNames = environmentNames
        self.protectedPaths = protectedPaths
    }

    var allProtectedPaths: [String] { protectedPaths + Self.alwaysProtectedPaths }

    /// Nil when `operation` may read `path` as it resolves now; otherwise the message of the
    /// error to raise. To read the file, use `FileJail.open`, which checks as it opens.
    public func denialToRead(_ path: String, operation: String) -> String? {
        FileJail(permissions: self).denial(path, access: .read, operation: operation)
    }

    public func denialToWrite(_ path: String, operation: String) -> String? {
        FileJail(permissions: self).denial(path, access: .write, operation: operation)
    }

    public func denialToReadEnvironment(_ name: String, operation: String) -> String? {
        if Self.secretEnvironmentNames.contains(name) {
            return "\(operation): \(name) holds the API key; no script may read it, whatever it is granted"
        }
        return environmentNames.contains(name)
            ? nil
            : "\(operation): reading the environment variable \(name) is not allowed; run with --allow-env \(name)"
    }
}

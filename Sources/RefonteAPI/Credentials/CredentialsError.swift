/// Why credentials could not be resolved. The message names the file (and line and key for
/// config errors) or the flag, says what was expected, and never holds a key.
public struct CredentialsError: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Kind: Sendable, Hashable {
        /// A command-line flag's value is wrong: the command line should exit with 2.
        case usage
        /// A file, the config or the environment is wrong or unsafe: exit with 1.
        case configuration
    }

    public var kind: Kind
    public var message: String

    public init(kind: Kind = .configuration, _ message: String) {
        self.kind = kind
        self.message = message
    }

    public var description: String { message }
}

extension CredentialsError {
    static func insecure(_ what: String, path: String, mode: UInt32) -> CredentialsError {
        CredentialsError(
            "refusing to read \(what) \(path): group or others can access it (mode \(octal(mode))); "
                + "fix it with: chmod 600 \(path)"
        )
    }

    static func unreadable(_ what: String, path: String, reason: String) -> CredentialsError {
        CredentialsError("cannot read \(what) \(path): \(reason)")
    }

    /// `/home/me/.config/refonte/config.toml:7: key "timeout" in [profiles.prod]: expected …`
    static func config(path: String, line: Int, _ message: String) -> CredentialsError {
        CredentialsError("\(path):\(line): \(message)")
    }

    private static func octal(_ mode: UInt32) -> String {
        let digits = String(mode & 0o777, radix: 8)
        return String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    }
}

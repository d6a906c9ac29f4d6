import Foundation

/// `config.toml`: named profiles, each a `[profiles.NAME]` table.
///
/// ```toml
/// [profiles.default]
/// api_key_file = "~/.config/refonte/test.key"
/// base_url = "https://api.refonte.com/v1"
/// rate_limit = "50/s"
/// timeout = "30s"          # or a number of seconds: timeout = 30
/// ca_file = "corp-ca.pem"  # also trust this CA (a company proxy, a test server)
/// ca_only = true           # and no other
///
/// [profiles]
/// staging = { base_url = "https://staging.example.com/v1", api_key_file = "staging.key" }
/// ```
struct ConfigFile {
    struct Profile {
        var name: String
        var line: Int
        var baseURL: URL?
        var apiKey: APIKey?
        /// As written: `~/` and relative paths are resolved by the resolver.
        var apiKeyFile: String?
        /// `.some(nil)` is `rate_limit = "off"`.
        var rateLimit: RateLimit??
        var timeout: Duration?
        /// As written, like `apiKeyFile`.
        var caFile: String?
        var caOnly: Bool?
    }

    var path: String
    var profiles: [String: Profile] = [:]

    /// True when some profile holds a key inline, which makes the file a credentials file.
    var holdsAPIKey: Bool { profiles.values.contains { $0.apiKey != nil } }

    static let keys = ["base_url", "api_key", "api_key_file", "rate_limit", "timeout", "ca_file", "ca_only"]

    static func parse(_ text: String, path: String) throws(CredentialsError) -> ConfigFile {
        let document: TOMLSubset
        do {
            document = try TOMLSubset.parse(text)
        } catch {
            throw .config(path: path, line: error.line, error.message)
        }
        if let entry = document.rootEntries.first {
            throw .config(
                path: path,
                line: entry.line,
                "key \"\(entry.key)\" is outside a table; put it under a [profiles.NAME] header"
            )
        }
        var config = ConfigFile(path: path)
        for table in document.tables {
            // `[profiles]` may hold profiles as inline tables (`staging = { ... }`), read as
            // tables of their own; a plain key there belongs to no profile.
            if table.path == ["profiles"] {
                if let entry = table.entries.first {
                    throw .config(
                        path: path,
                        line: entry.line,
                        "key \"\(entry.key)\" in [profiles] belongs to no profile; "
                            + "write [profiles.NAME] or NAME = { \(entry.key) = ... }"
                    )
                }
                continue
            }
            guard table.path.count == 2, table.path[0] == "profiles", !table.path[1].isEmpty else {
                throw .config(
                    path: path,
                    line: table.line,
                    "unknown table [\(table.path.joined(separator: "."))]; expected [profiles.NAME]"
                )
            }
            config.profiles[table.path[1]] = try profile(table, path: path)
        }
        return config
    }

    private static func profile(_ table: TOMLSubset.Table, path: String) throws(CredentialsError) -> Profile {
        let name = table.path[1]
        var profile = Profile(name: name, line: table.line)
        for entry in table.entries {
            func fail(_ reason: String) -> CredentialsError {
                .config(path: path, line: entry.line, "key \"\(entry.key)\" in [profiles.\(name)]: \(reason)")
            }
            // `ca_only` is a boolean, `timeout` text or a number of seconds, every other key text.
            let text: String
            switch (entry.key, entry.value) {
            case ("ca_only", .boolean): text = ""
            case ("ca_only", let value):
                throw fail("expected true or false, like ca_only = true, found \(value.written)")
            case (_, .string(let value)): text = value
            case ("timeout", .integer(let seconds)): text = String(seconds)
            case ("timeout", .float(let seconds)): text = String(seconds)
            case (let key, _) where keys.contains(key):
                throw fail(
                    "expected a quoted string, like \(entry.key) = \"…\", found \(entry.value.written)"
                )
            default: text = ""
            }
            switch entry.key {
            case "base_url":
                switch Settings.baseURL(text) {
                case .success(let url): profile.baseURL = url
                case .failure(let error): throw fail(error.reason)
                }
            case "api_key", "api_key_file":
                if profile.apiKey != nil || profile.apiKeyFile != nil {
                    throw fail("a profile holds api_key or api_key_file, not both")
                }
                if entry.key == "api_key_file" {
                    guard !text.isEmpty else {
                        throw fail("expected a file path, got an empty string")
                    }
                    profile.apiKeyFile = text
                } else {
                    switch Settings.apiKey(text) {
                    case .success(let key): profile.apiKey = key
                    case .failure(let error): throw fail(error.reason)
                    }
                }
            case "rate_limit":
                switch Settings.rateLimit(text) {
                case .success(let limit): profile.rateLimit = .some(limit)
                case .failure(let error): throw fail(error.reason)
                }
            case "timeout":
                switch Settings.timeout(text) {
                case .success(let timeout): profile.timeout = timeout
                case .failure(let error): throw fail(error.reason)
                }
            case "ca_file":
                guard !text.isEmpty else { throw fail("expected a file path, got an empty string") }
                profile.caFile = text
            case "ca_only":
                if case .boolean(let flag) = entry.value { profile.caOnly = flag }
            default:
                throw .config(
                    path: path,
                    line: entry.line,
                    "unknown key \"\(entry.key)\" in [profiles.\(name)]; expected one of "
                        + keys.joined(separator: ", ")
                )
            }
        }
        return profile
    }
}

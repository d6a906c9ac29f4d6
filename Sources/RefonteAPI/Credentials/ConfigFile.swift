import Foundation

/// `config.toml`: named profiles, each a `[profiles.NAME]` table of strings (and the one
/// boolean, `ca_only`).
///
/// ```toml
/// [profiles.default]
/// api_key_file = "~/.config/refonte/test.key"
/// base_url = "https://api.refonte.com/v1"
/// rate_limit = "50/s"
/// timeout = "30s"
/// ca_file = "corp-ca.pem"      # also trust this CA (a company proxy, a test server)
/// ca_only = true               # and no other
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
            if entry.boolean != nil, entry.key != "ca_only", keys.contains(entry.key) {
                throw fail("expected a quoted string, like \(entry.key) = \"…\", found \(entry.value)")
            }
            switch entry.key {
            case "base_url":
                switch Settings.baseURL(entry.value) {
                case .success(let url): profile.baseURL = url
                case .failure(let error): throw fail(error.reason)
                }
            case "api_key", "api_key_file":
                if profile.apiKey != nil || profile.apiKeyFile != nil {
                    throw fail("a profile holds api_key or api_key_file, not both")
                }
                if entry.key == "api_key_file" {
                    guard !entry.value.isEmpty else {
                        throw fail("expected a file path, got an empty string")
                    }
                    profile.apiKeyFile = entry.value
                } else {
                    switch Settings.apiKey(entry.value) {
                    case .success(let key): profile.apiKey = key
                    case .failure(let error): throw fail(error.reason)
                    }
                }
            case "rate_limit":
                switch Settings.rateLimit(entry.value) {
                case .success(let limit): profile.rateLimit = .some(limit)
                case .failure(let error): throw fail(error.reason)
                }
            case "timeout":
                switch Settings.timeout(entry.value) {
                case .success(let timeout): profile.timeout = timeout
                case .failure(let error): throw fail(error.reason)
                }
            case "ca_file":
                guard !entry.value.isEmpty else { throw fail("expected a file path, got an empty string") }
                profile.caFile = entry.value
            case "ca_only":
                guard let flag = entry.boolean else {
                    throw fail("expected true or false, like ca_only = true, found \"\(entry.value)\"")
                }
                profile.caOnly = flag
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

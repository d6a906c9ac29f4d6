import Foundation

/// A PostgreSQL server and database from a `postgres://` URL, as libpq reads one. The password
/// comes from the URL or `PGPASSWORD`, and never appears in a message.
public struct PostgresLocation: Sendable, Hashable, CustomStringConvertible {
    public enum SSLMode: String, CaseIterable, Sendable {
        /// Plain TCP.
        case disable
        /// TLS when the server offers it, without checking its certificate.
        case prefer
        /// TLS, without checking the certificate (as libpq's `require`).
        case require
        /// TLS, with the certificate and host name checked.
        case verifyFull = "verify-full"
    }

    public var host: String
    public var port: Int
    public var username: String
    public var password: String?
    public var database: String
    public var sslMode: SSLMode

    static func parse(
        _ text: String,
        source: String,
        environment: [String: String]
    ) throws(ScheduleError) -> PostgresLocation {
        let shown = redacted(text)
        let expected = "expected postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE"
        guard let components = URLComponents(string: text) else {
            throw .usage("\(source) \(shown): not a URL; \(expected)")
        }
        guard let host = components.host, !host.isEmpty else {
            throw .usage("\(source) \(shown): the host is missing; \(expected)")
        }
        if let port = components.port, !(1...65535).contains(port) {
            throw .usage("\(source) \(shown): port \(port) is out of range; expected 1 to 65535")
        }
        let path = components.path.hasPrefix("/") ? String(components.path.dropFirst()) : components.path
        guard !path.contains("/") else {
            throw .usage("\(source) \(shown): \"\(path)\" is not a database name; \(expected)")
        }
        let username =
            components.user.flatMap { $0.isEmpty ? nil : $0 } ?? environment["PGUSER"] ?? environment["USER"]
            ?? "postgres"
        var sslMode = SSLMode.prefer
        for item in components.queryItems ?? [] {
            switch item.name {
            case "sslmode":
                guard let value = item.value, let mode = SSLMode(rawValue: value) else {
                    throw .usage(
                        "\(source) \(shown): sslmode=\(item.value ?? "") is not supported; use \(SSLMode.allCases.map(\.rawValue).joined(separator: ", "))"
                    )
                }
                sslMode = mode
            default:
                throw .usage("\(source) \(shown): unknown parameter \(item.name); only sslmode is read")
            }
        }
        return PostgresLocation(
            host: host,
            port: components.port ?? 5432,
            username: username,
            password: components.password ?? environment["PGPASSWORD"],
            database: path.isEmpty ? username : path,
            sslMode: sslMode
        )
    }

    /// `postgres://user@host:5432/db`, never the password.
    public var description: String {
        let shownHost = host.contains(":") ? "[\(host)]" : host
        return "postgres://\(username)@\(shownHost):\(port)/\(database)"
            + (sslMode == .prefer ? "" : "?sslmode=\(sslMode.rawValue)")
    }

    /// The URL as given, with any password replaced by `***`.
    static func redacted(_ text: String) -> String {
        guard let scheme = text.range(of: "://"), let at = text[scheme.upperBound...].lastIndex(of: "@")
        else {
            return text
        }
        let credentials = text[scheme.upperBound..<at]
        guard let colon = credentials.firstIndex(of: ":") else { return text }
        return String(text[..<colon]) + ":***" + String(text[at...])
    }
}

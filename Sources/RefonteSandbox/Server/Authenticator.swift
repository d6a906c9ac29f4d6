import Foundation
import RefonteAPI

/// HTTP Basic with the API key as the user name and an empty password.
///
/// The key is read out of the header on every request (a few hundred nanoseconds of base64)
/// and only the key is looked up, never the raw header: the password is ignored, so caching by
/// header would let one key holder fill memory with one entry per made-up password. The store
/// caches the tenants of known keys, a set bounded by the keys that exist.
final class Authenticator: Sendable {
    struct Identity: Sendable {
        var key: String
        var tenant: Tenant
    }

    /// An `Authorization` value longer than this cannot hold a key of a sane length.
    static let maximumHeaderLength = 1024

    private let store: SandboxStore

    init(store: SandboxStore) {
        self.store = store
    }

    func identify(authorization: String?) async throws -> Identity {
        guard let authorization else {
            throw SandboxError(401, "missing API key: send HTTP Basic auth with the key as the user name")
        }
        guard let key = Self.key(fromBasic: authorization) else {
            throw SandboxError(401, "malformed Authorization header: expected Basic base64(\"<key>:\")")
        }
        guard let tenant = try await store.tenant(forKey: key) else {
            throw SandboxError(401, "unknown API key")
        }
        return Identity(key: key, tenant: tenant)
    }

    /// The user name of a Basic header when it has the shape of a key (`APIKey`'s rule: one
    /// line of printable ASCII, no spaces, no `:`), so a NUL, a newline or any other byte that
    /// SQLite or a log would treat specially never reaches a lookup.
    static func key(fromBasic header: String) -> String? {
        guard header.utf8.count <= maximumHeaderLength else { return nil }
        let parts = header.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "basic",
            let data = Data(base64Encoded: String(parts[1]).trimmingCharacters(in: .whitespaces)),
            let decoded = String(data: data, encoding: .utf8)
        else { return nil }
        let user = String(decoded.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)[0])
        guard (try? APIKey(user)) != nil else { return nil }
        return user
    }
}

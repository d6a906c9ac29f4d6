import Foundation
import RefonteAPI
import Synchronization

/// HTTP Basic with the API key as the user name and an empty password.
///
/// Only keys are remembered, never whatever header a client sends: the password is ignored, so
/// a cache of raw headers let one key holder fill memory with one entry per made-up password
/// (58 MB → 588 MB). The hot path is still one lookup: each key's own header,
/// `Basic base64("<key>:")` (exactly one per key), maps to its identity. Any other header (a
/// password, odd spacing) is decoded on every request (about 10 µs) and never stored, so the
/// cache holds at most one entry per key that exists.
final class Authenticator: Sendable {
    struct Identity: Sendable {
        var key: String
        var tenant: Tenant
    }

    /// An `Authorization` value longer than this cannot hold a key of a sane length.
    static let maximumHeaderLength = 1024
    /// A guard for a database with very many keys.
    static let capacity = 4096

    private let store: SandboxStore
    /// A key's own header → its identity.
    private let known = Mutex<[String: Identity]>([:])

    init(store: SandboxStore) {
        self.store = store
    }

    func identify(authorization: String?) async throws -> Identity {
        guard let authorization else {
            throw SandboxError(401, "missing API key: send HTTP Basic auth with the key as the user name")
        }
        if let identity = known.withLock({ $0[authorization] }) { return identity }
        guard let key = Self.key(fromBasic: authorization) else {
            throw SandboxError(401, "malformed Authorization header: expected Basic base64(\"<key>:\")")
        }
        guard let tenant = try await store.tenant(forKey: key) else {
            throw SandboxError(401, "unknown API key")
        }
        let identity = Identity(key: key, tenant: tenant)
        if authorization == Self.header(for: key) {
            known.withLock { known in
                if known.count >= Self.capacity { known.removeAll() }
                known[authorization] = identity
            }
        }
        return identity
    }

    /// Forgets remembered identities (after an account's Studio flag changes).
    func forget() {
        known.withLock { $0.removeAll() }
    }

    /// How many identities are remembered: at most one per key, whatever the requests.
    var rememberedCount: Int { known.withLock { $0.count } }

    /// The header the contract's clients send for `key`.
    static func header(for key: String) -> String {
        "Basic " + Data("\(key):".utf8).base64EncodedString()
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

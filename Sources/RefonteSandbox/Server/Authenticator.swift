import Foundation
import Synchronization

/// HTTP Basic with the API key as the user name and an empty password.
final class Authenticator: Sendable {
    struct Identity: Sendable {
        var key: String
        var tenant: Tenant
    }

    private let store: SandboxStore
    /// Authorization header → identity, so the hot path skips base64 and the database.
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
        known.withLock { known in
            if known.count > 10_000 { known.removeAll() }
            known[authorization] = identity
        }
        return identity
    }

    /// Forgets cached identities (after an account's Studio flag changes).
    func forget() {
        known.withLock { $0.removeAll() }
    }

    static func key(fromBasic header: String) -> String? {
        let parts = header.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "basic",
            let data = Data(base64Encoded: String(parts[1]).trimmingCharacters(in: .whitespaces)),
            let decoded = String(data: data, encoding: .utf8)
        else { return nil }
        let key = decoded.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)[0]
        return key.isEmpty ? nil : String(key)
    }
}

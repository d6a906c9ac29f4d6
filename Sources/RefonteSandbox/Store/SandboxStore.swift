import GRDB
import Logging
import Synchronization

/// The sandbox's state: one SQLite database in WAL mode, read by a small pool of connections
/// while one writer applies each request's change in a single transaction.
public final class SandboxStore: Sendable {
    let pool: DatabasePool
    public let path: String
    /// Bumped after every committed write of a tenant, per scope; cached responses of older
    /// generations are never served.
    private let generations = Mutex<[Int64: [UInt64]]>([:])
    /// Keys that `--api-key` adds, never written to the database.
    private let extraKeys = Mutex<[String: Tenant]>([:])
    /// Stored keys already looked up. Only keys found in the database enter, so the set is
    /// bounded by the keys that exist; the cap guards a database with very many of them.
    private let knownKeys = Mutex<[String: Tenant]>([:])
    private static let knownKeysCapacity = 4096
    let logger: Logger

    /// Opens the database at `path`, creating it (and its missing folders) private to its
    /// owner when it does not exist.
    public init(path: String, logger: Logger) throws {
        try PrivateFiles.prepareDatabase(at: path, logger: logger)
        var configuration = Configuration()
        // Writers queue inside the pool; the timeout only matters when another process (a
        // `keys create` next to a running server) holds the lock.
        configuration.busyMode = .timeout(10)
        configuration.maximumReaderCount = 4
        configuration.prepareDatabase { db in
            // WAL with synchronous=NORMAL loses nothing when the process is killed: a commit is
            // in the WAL file before it is acknowledged; only a power cut can undo the last ones.
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
            try db.execute(sql: "PRAGMA foreign_keys = ON")
        }
        self.pool = try DatabasePool(path: path, configuration: configuration)
        self.path = path
        self.logger = logger
        try Schema.migrator.migrate(pool)
    }

    // MARK: - Transactions

    /// A number that grows whenever data of `scope` changes for the tenant.
    func generation(of tenant: Int64, reading scope: DataScope = .all) -> UInt64 {
        generations.withLock { generations in
            guard let counts = generations[tenant] else { return 0 }
            return scope.indices.reduce(0) { $0 &+ counts[$1] }
        }
    }

    func read<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        try await pool.read(body)
    }

    /// Applies a tenant's change in one transaction; a thrown error rolls it back. `touching`
    /// names the data that may change, whose cached reads are then dropped.
    func write<T: Sendable>(
        tenant: Int64,
        touching scope: DataScope = .all,
        _ body: @escaping @Sendable (Database) throws -> T
    ) async throws -> T {
        defer {
            generations.withLock { generations in
                var counts = generations[tenant] ?? Array(repeating: 0, count: DataScope.count)
                for index in scope.indices { counts[index] &+= 1 }
                generations[tenant] = counts
            }
        }
        return try await pool.write(body)
    }

    // MARK: - Keys and tenants

    /// The tenant that a key opens, or nil for an unknown key.
    public func tenant(forKey key: String) async throws -> Tenant? {
        if let tenant = extraKeys.withLock({ $0[key] }) ?? knownKeys.withLock({ $0[key] }) {
            return tenant
        }
        let found = try await pool.read { db in
            try Row.fetchOne(
                db,
                sql: """
                    SELECT t.id, t.account, t.mode, t.studio FROM api_key k JOIN tenant t ON t.id = k.tenant_id
                    WHERE k.key = ?
                    """,
                arguments: [key]
            ).map(Self.tenant(from:))
        }
        if let found {
            knownKeys.withLock { known in
                if known.count >= Self.knownKeysCapacity { known.removeAll() }
                known[key] = found
            }
        }
        return found
    }

    /// How many stored keys are remembered (at most one entry per key, whatever the requests).
    var rememberedKeyCount: Int { knownKeys.withLock { $0.count } }

    /// Makes `key` valid for this process only, opening the default account in the key's mode.
    public func addExtraKey(_ key: String) throws(SandboxError) {
        guard let mode = Tenant.Mode(key: key) else {
            throw SandboxError(400, "API key must start with live_ or test_")
        }
        do {
            let tenant = try pool.write { db in try Self.ensureTenant(db, account: defaultAccount, mode: mode)
            }
            extraKeys.withLock { $0[key] = tenant }
        } catch {
            throw SandboxError(500, "could not open the default account: \(error)")
        }
    }

    /// Creates and stores a new key for an account (made when missing); the caller shows it once.
    public func createKey(account: String = defaultAccount, mode: Tenant.Mode) throws -> String {
        let key = RandomID.apiKey(mode: mode)
        try pool.write { db in
            let tenant = try Self.ensureTenant(db, account: account, mode: mode)
            try db.execute(
                sql: "INSERT INTO api_key (key, tenant_id, created_at) VALUES (?, ?, ?)",
                arguments: [key, tenant.id, Timestamp.now().milliseconds]
            )
        }
        return key
    }

    /// Some stored key of the default account in `mode`, made when there is none.
    public func anyKey(mode: Tenant.Mode) throws -> String {
        let existing = try pool.read { db in
            try String.fetchOne(
                db,
                sql: """
                    SELECT k.key FROM api_key k JOIN tenant t ON t.id = k.tenant_id
                    WHERE t.account = ? AND t.mode = ? ORDER BY k.created_at LIMIT 1
                    """,
                arguments: [defaultAccount, mode.rawValue]
            )
        }
        return try existing ?? createKey(mode: mode)
    }

    /// Turns Studio features on or off for an account (both modes).
    public func setStudio(_ studio: Bool, account: String = defaultAccount) async throws {
        try await pool.write { db in
            for mode in Tenant.Mode.allCases {
                _ = try Self.ensureTenant(db, account: account, mode: mode)
            }
            try db.execute(
                sql: "UPDATE tenant SET studio = ? WHERE account = ?",
                arguments: [studio, account]
            )
        }
        extraKeys.withLock { Self.refresh(&$0, account: account, studio: studio) }
        knownKeys.withLock { Self.refresh(&$0, account: account, studio: studio) }
    }

    private static func refresh(_ keys: inout [String: Tenant], account: String, studio: Bool) {
        for (key, tenant) in keys where tenant.account == account {
            keys[key]?.studio = studio
        }
    }

    static func ensureTenant(_ db: Database, account: String, mode: Tenant.Mode) throws -> Tenant {
        try db.execute(
            sql: "INSERT OR IGNORE INTO tenant (account, mode) VALUES (?, ?)",
            arguments: [account, mode.rawValue]
        )
        let row = try Row.fetchOne(
            db,
            sql: "SELECT id, account, mode, studio FROM tenant WHERE account = ? AND mode = ?",
            arguments: [account, mode.rawValue]
        )!
        return tenant(from: row)
    }

    private static func tenant(from row: Row) -> Tenant {
        Tenant(
            id: row[0],
            account: row[1],
            mode: Tenant.Mode(rawValue: row[2]) ?? .test,
            studio: row[3]
        )
    }
}

extension SandboxStore {
    /// Whether any key is stored at all.
    public func hasKeys() throws -> Bool {
        try pool.read { db in try Int64.fetchOne(db, sql: "SELECT COUNT(*) FROM api_key") ?? 0 } > 0
    }
}

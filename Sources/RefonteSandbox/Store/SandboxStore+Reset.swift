import Foundation
import GRDB
import Logging

extension SandboxStore {
    /// Why a reset was refused.
    public struct ResetError: Error, CustomStringConvertible {
        public var description: String
    }

    /// Starts the database at `path` over: its file (with the WAL's `-wal` and `-shm`) is
    /// removed and made again, with `seed`, or with an empty default account that no later
    /// `--seed demo` fills. A file that is not a sandbox database is
    /// never removed, so a wrong `--db` cannot destroy something else. Keys stored in the
    /// database go with it.
    public static func reset(
        path: String,
        seed: SandboxConfiguration.Seed?,
        logger: Logger
    ) throws -> SandboxStore {
        if FileManager.default.fileExists(atPath: path) {
            guard isSandboxDatabase(path) else {
                throw ResetError(
                    description:
                        "\(path) is not a sandbox database (no refonte tables in it); not removing it"
                )
            }
            for file in [path, path + "-wal", path + "-shm"]
            where FileManager.default.fileExists(atPath: file) {
                do {
                    try FileManager.default.removeItem(atPath: file)
                } catch {
                    throw ResetError(description: "cannot remove \(file): \(error.localizedDescription)")
                }
            }
        }
        let store = try SandboxStore(path: path, logger: logger)
        switch seed {
        case .demo:
            try DemoSeed.apply(to: store)
        case nil:
            // Marked as seeded, so that a sandbox started with `--seed demo` (the embedded one
            // always is) leaves the empty account empty. Studio stays on, as in the demo.
            try store.pool.write { db in
                for mode in Tenant.Mode.allCases {
                    let tenant = try SandboxStore.ensureTenant(db, account: defaultAccount, mode: mode)
                    try db.run("UPDATE tenant SET seeded = 1, studio = 1 WHERE id = ?", [tenant.id])
                }
            }
        }
        return store
    }

    /// True when `path` opens as SQLite and holds the sandbox's `tenant` table.
    static func isSandboxDatabase(_ path: String) -> Bool {
        var configuration = Configuration()
        configuration.readonly = true
        guard let queue = try? DatabaseQueue(path: path, configuration: configuration) else { return false }
        return (try? queue.read { try $0.tableExists("tenant") && $0.tableExists("task") }) ?? false
    }
}

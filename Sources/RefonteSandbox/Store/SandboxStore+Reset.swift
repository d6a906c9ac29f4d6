import Foundation
import GRDB
import Logging

extension SandboxStore {
    /// Why a reset was refused.
    public struct ResetError: Error, CustomStringConvertible {
        public var description: String
    }

    /// Starts the database at `path` over: its file (with the WAL's `-wal` and `-shm`) is
    /// removed and made again, empty or with `seed`. A file that is not a sandbox database is
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
        if seed == .demo { try DemoSeed.apply(to: store) }
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

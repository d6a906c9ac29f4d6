import Foundation
import GRDB
import Logging

/// The schedule store in one SQLite file (WAL), for schedulers on one machine. Several processes
/// may share the file: every operation that writes runs in an immediate transaction, which holds
/// the database until it commits.
public final class SQLiteScheduleStore: SQLStore {
    let pool: DatabasePool
    public let path: String
    public let storeID: String
    let logger: Logger

    public var location: String { "SQLite at \(path)" }

    /// Opens the file, creating it (mode 600, in a folder made 700) when missing.
    public init(path: String, logger: Logger) throws(ScheduleError) {
        self.path = path
        self.logger = logger
        do {
            try PrivateFile.createIfMissing(path)
            var configuration = Configuration()
            configuration.busyMode = .timeout(10)
            configuration.prepareDatabase { db in
                try db.execute(sql: "PRAGMA foreign_keys = ON")
                try db.execute(sql: "PRAGMA synchronous = NORMAL")
            }
            pool = try DatabasePool(path: path, configuration: configuration)
            var migrator = DatabaseMigrator()
            migrator.registerMigration("v1") { db in
                for statement in StoreSQL.schema(.sqlite) { try db.execute(sql: statement) }
            }
            try migrator.migrate(pool)
            storeID = try pool.write { db in
                try db.execute(
                    sql: StoreSQL.insertMeta,
                    arguments: ["store_id", UUID().uuidString.lowercased()]
                )
                return try String.fetchOne(db, sql: StoreSQL.selectMeta, arguments: ["store_id"]) ?? "store"
            }
        } catch let error as ScheduleError {
            throw error
        } catch {
            throw .store("cannot open the schedule store \(path): \(error)")
        }
    }

    func perform<Result: Sendable>(_ operation: StoreOperation<Result>) async throws -> Result {
        let body: @Sendable (Database) throws -> Result = { db in
            let read = try operation.reads.map { try Self.rows(db, $0) }
            let decision = try operation.decide(read)
            let written = try decision.writes.map { try Self.rows(db, $0) }
            return try decision.result(written)
        }
        do {
            if operation.readOnly { return try await pool.read(body) }
            return try await pool.writeWithoutTransaction { db in
                var result: Result?
                try db.inTransaction(.immediate) {
                    result = try body(db)
                    return .commit
                }
                guard let result else { throw ScheduleError.store("a transaction gave no result") }
                return result
            }
        } catch let error as ScheduleError {
            throw error
        } catch {
            throw ScheduleError.store("the schedule store \(path) failed: \(error)")
        }
    }

    private static func rows(_ db: Database, _ statement: Statement) throws -> [any StoreRow] {
        let arguments = StatementArguments(
            statement.values.map { value -> DatabaseValue in
                switch value {
                case .integer(let number): number?.databaseValue ?? .null
                case .text(let text): text?.databaseValue ?? .null
                }
            }
        )
        guard statement.sql.hasPrefix("SELECT") || statement.sql.contains("RETURNING") else {
            try db.execute(sql: statement.sql, arguments: arguments)
            return []
        }
        return try Row.fetchAll(db, sql: statement.sql, arguments: arguments).map(SQLiteRow.init)
    }

    public func close() async {
        try? pool.close()
    }
}

/// A GRDB row read by column name.
struct SQLiteRow: StoreRow {
    let row: Row

    func integer(_ column: String) throws -> Int64? { row[column] }
    func text(_ column: String) throws -> String? { row[column] }
}

import GRDB

// Plain SQL reads for tests and diagnostics, without a GRDB import on the caller's side.
extension SandboxStore {
    func integer(_ sql: String, _ arguments: [String] = []) throws -> Int64 {
        try pool.read { db in try Int64.fetchOne(db, sql: sql, arguments: StatementArguments(arguments)) ?? 0
        }
    }

    func strings(_ sql: String, _ arguments: [String] = []) throws -> [String] {
        try pool.read { db in try String.fetchAll(db, sql: sql, arguments: StatementArguments(arguments)) }
    }

    func execute(_ sql: String, _ arguments: [String] = []) throws {
        try pool.write { db in try db.execute(sql: sql, arguments: StatementArguments(arguments)) }
    }
}

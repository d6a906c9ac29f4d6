/// One SQL statement with its values. `lock` asks PostgreSQL to hold the rows it reads until the
/// transaction ends; SQLite's immediate transactions hold the whole database anyway.
struct Statement: Sendable {
    enum Lock: Sendable {
        /// Wait for another transaction holding the rows.
        case forUpdate
        /// Leave out rows another transaction holds.
        case forUpdateSkipLocked
    }

    var sql: String
    var values: [SQLValue]
    var lock: Lock?

    init(_ sql: String, _ values: [SQLValue] = [], lock: Lock? = nil) {
        self.sql = sql
        self.values = values
        self.lock = lock
    }
}

/// One transaction as data: what to read, the writes that follow from it, and the result. The
/// logic is written once (`SQLStore`'s operations); each store only runs it, GRDB synchronously
/// and PostgreSQL asynchronously.
struct StoreOperation<Result: Sendable>: Sendable {
    /// What the reads lead to: statements to run next, and the result from the rows they return.
    struct Decision {
        var writes: [Statement]
        var result: (_ written: [[any StoreRow]]) throws -> Result
    }

    var reads: [Statement]
    var decide: @Sendable (_ read: [[any StoreRow]]) throws -> Decision
    /// Nothing is written: SQLite may run it beside a write.
    var readOnly: Bool

    /// Reads, then a result from what was read.
    static func read(
        _ statements: Statement...,
        result: @escaping @Sendable ([[any StoreRow]]) throws -> Result
    ) -> StoreOperation {
        StoreOperation(
            reads: statements,
            decide: { read in
                let value = try result(read)
                return Decision(writes: []) { _ in value }
            },
            readOnly: true
        )
    }

    /// Writes, then a result from the rows they returned.
    static func write(
        _ statements: [Statement],
        result: @escaping @Sendable ([[any StoreRow]]) throws -> Result
    ) -> StoreOperation {
        StoreOperation(
            reads: [],
            decide: { _ in Decision(writes: statements, result: result) },
            readOnly: false
        )
    }

    /// Reads, then decides the writes and how to make the result.
    static func decide(
        reading statements: [Statement],
        _ decide: @escaping @Sendable ([[any StoreRow]]) throws -> Decision
    ) -> StoreOperation {
        StoreOperation(reads: statements, decide: decide, readOnly: false)
    }
}

extension StoreOperation where Result == Void {
    static func write(_ statements: [Statement]) -> StoreOperation {
        write(statements) { _ in }
    }
}

import Foundation
import Logging
import NIOSSL
import PostgresNIO
import Quantities

/// The schedule store in PostgreSQL, shared by schedulers on several hosts. Decisions that
/// instances could race on lock the schedule's row (`FOR UPDATE SKIP LOCKED` for a tick, so a
/// second instance moves on instead of waiting), and each fire's run is unique.
public final class PostgresScheduleStore: SQLStore {
    let client: PostgresClient
    let clientTask: Task<Void, Never>
    let server: PostgresLocation
    public let storeID: String
    let logger: Logger
    /// A store operation that takes longer fails instead of hanging the scheduler (a pool that
    /// cannot reach the server waits for it).
    static let deadline = Duration.seconds(30)

    public var location: String { "PostgreSQL at \(server)" }

    private init(
        client: PostgresClient,
        task: Task<Void, Never>,
        server: PostgresLocation,
        storeID: String,
        logger: Logger
    ) {
        self.client = client
        self.clientTask = task
        self.server = server
        self.storeID = storeID
        self.logger = logger
    }

    /// Connects once to check the server and create the tables (under an advisory lock, so
    /// instances starting together do not race), then opens a connection pool.
    static func open(
        _ server: PostgresLocation,
        logger: Logger
    ) async throws(ScheduleError) -> PostgresScheduleStore {
        let storeID: String
        do {
            storeID = try await withDeadline("connecting to \(server)") {
                let connection = try await PostgresConnection.connect(
                    configuration: try connectionConfiguration(server),
                    id: 1,
                    logger: logger
                )
                do {
                    let id = try await connection.withTransaction(logger: logger) { connection in
                        _ = try await rows(
                            connection,
                            Statement("SELECT pg_advisory_xact_lock(7262011)"),
                            logger
                        )
                        for statement in StoreSQL.schema(.postgres) {
                            _ = try await rows(connection, Statement(statement), logger)
                        }
                        let id = UUID().uuidString.lowercased()
                        _ = try await rows(
                            connection,
                            Statement(StoreSQL.insertMeta, [.text("store_id"), .text(id)]),
                            logger
                        )
                        let stored = try await rows(
                            connection,
                            Statement(StoreSQL.selectMeta, [.text("store_id")]),
                            logger
                        )
                        return try stored.first?.requiredText("value") ?? "store"
                    }
                    try await connection.close()
                    return id
                } catch {
                    try? await connection.close()
                    throw error
                }
            }
        } catch {
            throw .store("cannot open the schedule store at \(server): \(describe(error))")
        }
        var configuration = PostgresClient.Configuration(
            host: server.host,
            port: server.port,
            username: server.username,
            password: server.password,
            database: server.database,
            tls: clientTLS(server.sslMode)
        )
        configuration.options.maximumConnections = 4
        let client = PostgresClient(configuration: configuration, backgroundLogger: logger)
        let task = Task { await client.run() }
        return PostgresScheduleStore(
            client: client,
            task: task,
            server: server,
            storeID: storeID,
            logger: logger
        )
    }

    static func connectionConfiguration(_ server: PostgresLocation) throws -> PostgresConnection.Configuration
    {
        let tls: PostgresConnection.Configuration.TLS
        switch server.sslMode {
        case .disable: tls = .disable
        case .prefer: tls = .prefer(try NIOSSLContext(configuration: tlsConfiguration(verify: false)))
        case .require: tls = .require(try NIOSSLContext(configuration: tlsConfiguration(verify: false)))
        case .verifyFull: tls = .require(try NIOSSLContext(configuration: tlsConfiguration(verify: true)))
        }
        return PostgresConnection.Configuration(
            host: server.host,
            port: server.port,
            username: server.username,
            password: server.password,
            database: server.database,
            tls: tls
        )
    }

    static func clientTLS(_ mode: PostgresLocation.SSLMode) -> PostgresClient.Configuration.TLS {
        switch mode {
        case .disable: .disable
        case .prefer: .prefer(tlsConfiguration(verify: false))
        case .require: .require(tlsConfiguration(verify: false))
        case .verifyFull: .require(tlsConfiguration(verify: true))
        }
    }

    static func tlsConfiguration(verify: Bool) -> TLSConfiguration {
        var configuration = TLSConfiguration.makeClientConfiguration()
        if !verify { configuration.certificateVerification = .none }
        return configuration
    }

    // MARK: - Transactions

    func perform<Result: Sendable>(_ operation: StoreOperation<Result>) async throws -> Result {
        let client = client
        let logger = logger
        do {
            return try await Self.withDeadline("the schedule store at \(server)") {
                try await client.withTransaction(logger: logger) { connection in
                    var read: [[any StoreRow]] = []
                    for statement in operation.reads {
                        read.append(try await Self.rows(connection, statement, logger))
                    }
                    let decision = try operation.decide(read)
                    var written: [[any StoreRow]] = []
                    for statement in decision.writes {
                        written.append(try await Self.rows(connection, statement, logger))
                    }
                    return try decision.result(written)
                }
            }
        } catch let error as ScheduleError {
            throw error
        } catch {
            throw ScheduleError.store("the schedule store at \(server) failed: \(Self.describe(error))")
        }
    }

    private static func rows(
        _ connection: PostgresConnection,
        _ statement: Statement,
        _ logger: Logger
    ) async throws -> [any StoreRow] {
        var bindings = PostgresBindings(capacity: statement.values.count)
        for value in statement.values {
            switch value {
            case .integer(let number): bindings.append(number)
            case .text(let text): bindings.append(text)
            }
        }
        var sql = StoreSQL.numbered(statement.sql)
        switch statement.lock {
        case .forUpdate: sql += " FOR UPDATE"
        case .forUpdateSkipLocked: sql += " FOR UPDATE SKIP LOCKED"
        case nil: break
        }
        let sequence = try await connection.query(
            PostgresQuery(unsafeSQL: sql, binds: bindings),
            logger: logger
        )
        return try await sequence.collect().map { PostgresStoreRow(row: $0.makeRandomAccess()) }
    }

    /// Runs `body`, failing with a clear error if it has not finished within `deadline`.
    static func withDeadline<T: Sendable>(
        _ what: String,
        _ body: @escaping @Sendable () async throws -> T
    ) async throws -> T {
        try await withThrowingTaskGroup(of: T.self) { group in
            group.addTask { try await body() }
            group.addTask {
                try await Task.sleep(for: deadline)
                throw ScheduleError.store("\(what) did not answer within \(DurationText.format(deadline))")
            }
            defer { group.cancelAll() }
            guard let first = try await group.next() else {
                throw ScheduleError.store("\(what) gave no answer")
            }
            return first
        }
    }

    /// A PostgreSQL error in words: the server's message, or what went wrong on the way.
    static func describe(_ error: any Error) -> String {
        if let error = error as? ScheduleError { return error.message }
        guard let error = error as? PSQLError else { return "\(error)" }
        if let message = error.serverInfo?[.message] {
            let state = error.serverInfo?[.sqlState].map { " (SQLSTATE \($0))" } ?? ""
            return message + state
        }
        if let underlying = error.underlying { return "\(underlying)" }
        return "\(error.code)"
    }

    public func close() async {
        clientTask.cancel()
        await clientTask.value
    }
}

/// A PostgreSQL row read by column name.
struct PostgresStoreRow: StoreRow {
    let row: PostgresRandomAccessRow

    func integer(_ column: String) throws -> Int64? { try row[column].decode(Int64?.self) }
    func text(_ column: String) throws -> String? { try row[column].decode(String?.self) }
}

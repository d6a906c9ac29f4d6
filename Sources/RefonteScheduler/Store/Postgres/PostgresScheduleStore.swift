import Foundation
import Logging
import NIOSSL
import PostgresNIO

/// The schedule store in PostgreSQL, shared by schedulers on several hosts. Decisions that
/// instances could race on lock the schedule's row (`FOR UPDATE SKIP LOCKED` for a tick, so a
/// second instance moves on instead of waiting), and each fire's run is unique.
public final class PostgresScheduleStore: ScheduleStore {
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
                        _ = try await rows(connection, "SELECT pg_advisory_xact_lock(7262011)", [], logger)
                        for statement in StoreSQL.schema(.postgres) {
                            _ = try await rows(connection, statement, [], logger)
                        }
                        _ = try await rows(
                            connection,
                            StoreSQL.insertMeta,
                            [.text("store_id"), .text(UUID().uuidString.lowercased())],
                            logger
                        )
                        return try await rows(connection, StoreSQL.selectMeta, [.text("store_id")], logger)
                            .first?
                            .requiredText("value") ?? "store"
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

    // MARK: - Plumbing

    private func transaction<T: Sendable>(
        _ body: @escaping @Sendable (PostgresConnection) async throws -> T
    ) async throws -> T {
        let client = client
        let logger = logger
        do {
            return try await Self.withDeadline("the schedule store at \(server)") {
                try await client.withTransaction(logger: logger) { connection in try await body(connection) }
            }
        } catch let error as ScheduleError {
            throw error
        } catch {
            throw ScheduleError.store("the schedule store at \(server) failed: \(Self.describe(error))")
        }
    }

    private func rows(
        _ connection: PostgresConnection,
        _ sql: String,
        _ values: [SQLValue] = []
    ) async throws
        -> [PostgresStoreRow]
    {
        try await Self.rows(connection, sql, values, logger)
    }

    private static func rows(
        _ connection: PostgresConnection,
        _ sql: String,
        _ values: [SQLValue],
        _ logger: Logger
    ) async throws -> [PostgresStoreRow] {
        var bindings = PostgresBindings(capacity: values.count)
        for value in values {
            switch value {
            case .integer(let number): bindings.append(number)
            case .text(let text): bindings.append(text)
            }
        }
        let sequence = try await connection.query(
            PostgresQuery(unsafeSQL: StoreSQL.numbered(sql), binds: bindings),
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

    // MARK: - Schedules

    public func add(_ schedule: Schedule) async throws {
        let inserted = try await transaction { connection in
            try await !self.rows(
                connection,
                StoreSQL.insertSchedule,
                StoreCoding.scheduleValues(schedule, cursor: schedule.createdAt)
            )
            .isEmpty
        }
        if !inserted {
            throw ScheduleError.usage(
                "a schedule named \(schedule.name) exists already; remove it first or pick another name"
            )
        }
    }

    public func schedule(named name: String) async throws -> Schedule? {
        try await transaction { connection in
            try await self.rows(connection, StoreSQL.selectSchedule, [.text(name)]).first.map {
                try StoreCoding.schedule($0).0
            }
        }
    }

    public func schedules() async throws -> [(schedule: Schedule, cursor: Date)] {
        let list = try await transaction { connection in
            try await self.rows(connection, StoreSQL.selectSchedules).map { row in
                let (schedule, cursor) = try StoreCoding.schedule(row)
                return ScheduleAndCursor(schedule: schedule, cursor: cursor)
            }
        }
        return list.map { ($0.schedule, $0.cursor) }
    }

    public func setPaused(_ name: String, _ paused: Bool, now: Date) async throws -> Bool {
        try await transaction { connection in
            let rows =
                paused
                ? try await self.rows(
                    connection,
                    StoreSQL.setPausedKeepingCursor,
                    [.integer(1), .text(name)]
                )
                : try await self.rows(
                    connection,
                    StoreSQL.setPaused,
                    [.integer(0), .integer(now.milliseconds), .text(name)]
                )
            return !rows.isEmpty
        }
    }

    public func remove(_ name: String) async throws -> Bool {
        try await transaction { connection in
            try await !self.rows(connection, StoreSQL.deleteSchedule, [.text(name)]).isEmpty
        }
    }

    // MARK: - Runs

    public func enqueueManualRun(_ name: String, now: Date) async throws -> Int64? {
        try await transaction { connection in
            try await self.rows(
                connection,
                StoreSQL.insertManualRun,
                [.integer(now.milliseconds), .text(name)]
            ).first?
            .requiredInteger("id")
        }
    }

    public func runs(of name: String, limit: Int) async throws -> [RunRecord] {
        try await transaction { connection in
            try await self.rows(connection, StoreSQL.selectRuns, [.text(name), .integer(Int64(limit))]).map(
                StoreCoding.run
            )
        }
    }

    public func run(id: Int64) async throws -> RunRecord? {
        try await transaction { connection in
            try await self.rows(connection, StoreSQL.selectRun, [.integer(id)]).first.map(StoreCoding.run)
        }
    }

    // MARK: - Instances

    public func register(_ instance: InstanceRecord) async throws {
        try await transaction { connection in
            _ = try await self.rows(
                connection,
                StoreSQL.registerInstance,
                [
                    .text(instance.id), .text(instance.host), .integer(Int64(instance.pid)),
                    .integer(instance.processStart), .integer(Date().milliseconds),
                    .integer(instance.leaseUntil.milliseconds),
                ]
            )
        }
    }

    public func renew(_ instanceID: String, until: Date) async throws -> LeaseState {
        try await transaction { connection in
            let registered = try await !self.rows(
                connection,
                StoreSQL.renewInstance,
                [.integer(until.milliseconds), .text(instanceID)]
            ).isEmpty
            var running: Set<Int64> = []
            var cancels: [Int64: String] = [:]
            for row in try await self.rows(connection, StoreSQL.heldRunning, [.text(instanceID)]) {
                let id = try row.requiredInteger("id")
                running.insert(id)
                if let reason = try row.text("cancel_reason") { cancels[id] = reason }
            }
            return LeaseState(registered: registered, running: running, cancelRequests: cancels)
        }
    }

    public func deregister(_ instanceID: String) async throws {
        try await transaction { connection in
            _ = try await self.rows(connection, StoreSQL.releaseQueued, [.text(instanceID)])
            _ = try await self.rows(connection, StoreSQL.deleteInstance, [.text(instanceID)])
        }
    }

    public func recover(
        now: Date,
        excluding instanceID: String,
        isDead: @Sendable (InstanceRecord) -> Bool
    ) async throws -> [RunRecord] {
        // Judged outside the transaction: `isDead` looks at processes, which need not wait on locks.
        let others = try await transaction { connection in
            try await self.rows(connection, StoreSQL.otherInstances, [.text(instanceID)]).map(
                StoreCoding.instance
            )
        }
        let dead = StorePlans.dead(others, now: now, isDead: isDead).map {
            DeadInstance(instance: $0.0, reason: $0.reason)
        }
        return try await transaction { connection in
            var interrupted: [RunRecord] = []
            for entry in dead {
                // Another instance recovering the same one at once skips it.
                let locked = try await self.rows(
                    connection,
                    "SELECT id FROM refonte_scheduler_instance WHERE id = ? FOR UPDATE SKIP LOCKED",
                    [.text(entry.instance.id)]
                )
                guard !locked.isEmpty else { continue }
                interrupted += try await self.rows(
                    connection,
                    StoreSQL.interruptHeld,
                    [.text(entry.reason), .integer(now.milliseconds), .text(entry.instance.id)]
                ).map(StoreCoding.run)
                _ = try await self.rows(connection, StoreSQL.releaseQueued, [.text(entry.instance.id)])
                _ = try await self.rows(connection, StoreSQL.deleteInstance, [.text(entry.instance.id)])
            }
            interrupted += try await self.rows(
                connection,
                StoreSQL.interruptOrphans,
                [.text(StorePlans.orphanReason), .integer(now.milliseconds)]
            ).map(StoreCoding.run)
            return interrupted
        }
    }

    // MARK: - The scheduler's work

    public func tick(
        _ name: String,
        now: Date,
        instance: String,
        keepRuns: Int
    ) async throws -> TickPlanner.Plan? {
        try await transaction { connection -> TickPlanner.Plan? in
            guard
                let row = try await self.rows(
                    connection,
                    StoreSQL.selectSchedule + " FOR UPDATE SKIP LOCKED",
                    [.text(name)]
                )
                .first
            else { return nil }
            let (schedule, cursor) = try StoreCoding.schedule(row)
            let active = try await self.rows(connection, StoreSQL.selectActiveRuns, [.text(name)]).map {
                try StoreCoding.activeRun($0).0
            }
            let plan = TickPlanner.plan(
                .init(schedule: schedule, cursor: cursor, now: now, active: active, keepRuns: keepRuns)
            )
            for statement in StorePlans.tick(plan, schedule: name, instance: instance, now: now) {
                _ = try await self.rows(connection, statement.sql, statement.values)
            }
            return plan
        }
    }

    public func claimStartable(instance: InstanceRecord, now: Date) async throws -> [ClaimedRun] {
        let names = try await transaction { connection in
            try await self.rows(connection, StoreSQL.schedulesWithClaimableRuns, [.text(instance.id)]).map {
                try $0.requiredText("schedule")
            }
        }
        var claimed: [ClaimedRun] = []
        for name in names {
            claimed += try await transaction { connection in
                // Waits for another instance deciding on this schedule: both must see each
                // other's starts, or two runs could start under `forbid`.
                guard
                    let row = try await self.rows(
                        connection,
                        StoreSQL.selectSchedule + " FOR UPDATE",
                        [.text(name)]
                    ).first
                else { return [] }
                let (schedule, _) = try StoreCoding.schedule(row)
                let active = try await self.rows(connection, StoreSQL.selectActiveRuns, [.text(name)]).map(
                    StoreCoding.activeRun
                )
                var started: [ClaimedRun] = []
                for id in StorePlans.startable(
                    active: active,
                    overlap: schedule.overlap,
                    instance: instance.id
                ) {
                    let values = StorePlans.startValues(id, instance: instance, now: now)
                    if let row = try await self.rows(connection, StoreSQL.startRun, values).first {
                        started.append(try StoreCoding.claimed(row))
                    }
                }
                return started
            }
        }
        return claimed
    }

    public func markStarted(
        _ runID: Int64,
        instance: String,
        pid: Int32,
        processStart: Int64?,
        outputDirectory: String
    ) async throws {
        try await transaction { connection in
            _ = try await self.rows(
                connection,
                StoreSQL.markStarted,
                [
                    .integer(Int64(pid)), .integer(processStart), .text(outputDirectory), .integer(runID),
                    .text(instance),
                ]
            )
        }
    }

    public func finish(_ runID: Int64, instance: String, outcome: RunOutcome, now: Date) async throws -> Bool
    {
        try await transaction { connection in
            try await !self.rows(
                connection,
                StoreSQL.finishRun,
                StoreCoding.outcomeValues(outcome, now: now, runID: runID, instance: instance)
            ).isEmpty
        }
    }

    public func prune(_ name: String, keep: Int) async throws -> [RunRecord] {
        try await transaction { connection in
            let finished = try await self.rows(connection, StoreSQL.finishedRunsNewestFirst, [.text(name)])
                .map(StoreCoding.run)
            let dropped = StorePlans.beyondRetention(finished, keep: keep)
            for run in dropped { _ = try await self.rows(connection, StoreSQL.deleteRun, [.integer(run.id)]) }
            return dropped
        }
    }

    public func runIDs(of name: String) async throws -> Set<Int64> {
        try await transaction { connection in
            Set(
                try await self.rows(connection, StoreSQL.selectRunIDs, [.text(name)]).map {
                    try $0.requiredInteger("id")
                }
            )
        }
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

private struct DeadInstance: Sendable {
    var instance: InstanceRecord
    var reason: String
}

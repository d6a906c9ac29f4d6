import Foundation
import GRDB
import Logging

/// The schedule store in one SQLite file (WAL), for a scheduler on one machine. Several
/// processes may share the file: every decision runs in an immediate transaction.
public final class SQLiteScheduleStore: ScheduleStore {
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

    // MARK: - Plumbing

    /// One immediate transaction; a thrown error rolls it back.
    private func transaction<T: Sendable>(
        _ body: @escaping @Sendable (Database) throws -> T
    ) async throws -> T {
        do {
            return try await pool.writeWithoutTransaction { db in
                var result: T?
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

    private func read<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        do {
            return try await pool.read(body)
        } catch let error as ScheduleError {
            throw error
        } catch {
            throw ScheduleError.store("the schedule store \(path) failed: \(error)")
        }
    }

    private static func rows(_ db: Database, _ sql: String, _ values: [SQLValue] = []) throws -> [SQLiteRow] {
        try Row.fetchAll(db, sql: sql, arguments: arguments(values)).map(SQLiteRow.init)
    }

    private static func execute(_ db: Database, _ sql: String, _ values: [SQLValue]) throws {
        try db.execute(sql: sql, arguments: arguments(values))
    }

    private static func arguments(_ values: [SQLValue]) -> StatementArguments {
        StatementArguments(
            values.map { value -> DatabaseValue in
                switch value {
                case .integer(let number): number?.databaseValue ?? .null
                case .text(let text): text?.databaseValue ?? .null
                }
            }
        )
    }

    // MARK: - Schedules

    public func add(_ schedule: Schedule) async throws {
        let inserted = try await transaction { db in
            try !Self.rows(
                db,
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
        try await read { db in
            try Self.rows(db, StoreSQL.selectSchedule, [.text(name)]).first.map {
                try StoreCoding.schedule($0).0
            }
        }
    }

    public func schedules() async throws -> [(schedule: Schedule, cursor: Date)] {
        let list = try await read { db in
            try Self.rows(db, StoreSQL.selectSchedules).map { row in
                let (schedule, cursor) = try StoreCoding.schedule(row)
                return ScheduleAndCursor(schedule: schedule, cursor: cursor)
            }
        }
        return list.map { ($0.schedule, $0.cursor) }
    }

    public func setPaused(_ name: String, _ paused: Bool, now: Date) async throws -> Bool {
        try await transaction { db in
            let rows =
                paused
                ? try Self.rows(db, StoreSQL.setPausedKeepingCursor, [.integer(1), .text(name)])
                : try Self.rows(
                    db,
                    StoreSQL.setPaused,
                    [.integer(0), .integer(now.milliseconds), .text(name)]
                )
            return !rows.isEmpty
        }
    }

    public func remove(_ name: String) async throws -> Bool {
        try await transaction { db in try !Self.rows(db, StoreSQL.deleteSchedule, [.text(name)]).isEmpty }
    }

    // MARK: - Runs

    public func enqueueManualRun(_ name: String, now: Date) async throws -> Int64? {
        try await transaction { db in
            try Self.rows(db, StoreSQL.insertManualRun, [.integer(now.milliseconds), .text(name)]).first?
                .requiredInteger("id")
        }
    }

    public func runs(of name: String, limit: Int) async throws -> [RunRecord] {
        try await read { db in
            try Self.rows(db, StoreSQL.selectRuns, [.text(name), .integer(Int64(limit))]).map(StoreCoding.run)
        }
    }

    public func run(id: Int64) async throws -> RunRecord? {
        try await read { db in
            try Self.rows(db, StoreSQL.selectRun, [.integer(id)]).first.map(StoreCoding.run)
        }
    }

    // MARK: - Instances

    public func register(_ instance: InstanceRecord) async throws {
        try await transaction { db in
            try Self.execute(
                db,
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
        try await transaction { db in
            let registered = try !Self.rows(
                db,
                StoreSQL.renewInstance,
                [.integer(until.milliseconds), .text(instanceID)]
            )
            .isEmpty
            var running: Set<Int64> = []
            var cancels: [Int64: String] = [:]
            for row in try Self.rows(db, StoreSQL.heldRunning, [.text(instanceID)]) {
                let id = try row.requiredInteger("id")
                running.insert(id)
                if let reason = try row.text("cancel_reason") { cancels[id] = reason }
            }
            return LeaseState(registered: registered, running: running, cancelRequests: cancels)
        }
    }

    public func deregister(_ instanceID: String) async throws {
        try await transaction { db in
            try Self.execute(db, StoreSQL.releaseQueued, [.text(instanceID)])
            try Self.execute(db, StoreSQL.deleteInstance, [.text(instanceID)])
        }
    }

    public func recover(
        now: Date,
        excluding instanceID: String,
        isDead: @Sendable (InstanceRecord) -> Bool
    ) async throws -> [RunRecord] {
        let others = try await read { db in
            try Self.rows(db, StoreSQL.otherInstances, [.text(instanceID)]).map(StoreCoding.instance)
        }
        let dead = StorePlans.dead(others, now: now, isDead: isDead)
        return try await transaction { db in
            var interrupted: [RunRecord] = []
            for (instance, reason) in dead {
                interrupted += try Self.rows(
                    db,
                    StoreSQL.interruptHeld,
                    [.text(reason), .integer(now.milliseconds), .text(instance.id)]
                ).map(StoreCoding.run)
                try Self.execute(db, StoreSQL.releaseQueued, [.text(instance.id)])
                try Self.execute(db, StoreSQL.deleteInstance, [.text(instance.id)])
            }
            interrupted += try Self.rows(
                db,
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
        try await transaction { db -> TickPlanner.Plan? in
            guard let row = try Self.rows(db, StoreSQL.selectSchedule, [.text(name)]).first else {
                return nil
            }
            let (schedule, cursor) = try StoreCoding.schedule(row)
            let active = try Self.rows(db, StoreSQL.selectActiveRuns, [.text(name)]).map {
                try StoreCoding.activeRun($0).0
            }
            let plan = TickPlanner.plan(
                .init(schedule: schedule, cursor: cursor, now: now, active: active, keepRuns: keepRuns)
            )
            for statement in StorePlans.tick(plan, schedule: name, instance: instance, now: now) {
                try Self.execute(db, statement.sql, statement.values)
            }
            return plan
        }
    }

    public func claimStartable(instance: InstanceRecord, now: Date) async throws -> [ClaimedRun] {
        let names = try await read { db in
            try Self.rows(db, StoreSQL.schedulesWithClaimableRuns, [.text(instance.id)]).map {
                try $0.requiredText("schedule")
            }
        }
        var claimed: [ClaimedRun] = []
        for name in names {
            claimed += try await transaction { db in
                guard let row = try Self.rows(db, StoreSQL.selectSchedule, [.text(name)]).first else {
                    return []
                }
                let (schedule, _) = try StoreCoding.schedule(row)
                let active = try Self.rows(db, StoreSQL.selectActiveRuns, [.text(name)]).map(
                    StoreCoding.activeRun
                )
                var started: [ClaimedRun] = []
                for id in StorePlans.startable(
                    active: active,
                    overlap: schedule.overlap,
                    instance: instance.id
                ) {
                    let values = StorePlans.startValues(id, instance: instance, now: now)
                    if let row = try Self.rows(db, StoreSQL.startRun, values).first {
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
        try await transaction { db in
            try Self.execute(
                db,
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
        try await transaction { db in
            try !Self.rows(
                db,
                StoreSQL.finishRun,
                StoreCoding.outcomeValues(outcome, now: now, runID: runID, instance: instance)
            )
            .isEmpty
        }
    }

    public func prune(_ name: String, keep: Int) async throws -> [RunRecord] {
        try await transaction { db in
            let finished = try Self.rows(db, StoreSQL.finishedRunsNewestFirst, [.text(name)]).map(
                StoreCoding.run
            )
            let dropped = StorePlans.beyondRetention(finished, keep: keep)
            for run in dropped { try Self.execute(db, StoreSQL.deleteRun, [.integer(run.id)]) }
            return dropped
        }
    }

    public func runIDs(of name: String) async throws -> Set<Int64> {
        try await read { db in
            Set(try Self.rows(db, StoreSQL.selectRunIDs, [.text(name)]).map { try $0.requiredInteger("id") })
        }
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

/// A schedule with its cursor, as one Sendable value to carry out of a read.
struct ScheduleAndCursor: Sendable {
    var schedule: Schedule
    var cursor: Date
}

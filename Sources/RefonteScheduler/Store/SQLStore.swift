import Foundation

/// A `ScheduleStore` made of transactions. Both stores run `StoreOperation`s; every operation of
/// the protocol is written here, once, from the shared statements (`StoreSQL`), decisions
/// (`TickPlanner`, `StorePlans`) and decoding (`StoreCoding`).
protocol SQLStore: ScheduleStore {
    /// Runs the operation in one transaction; a thrown error rolls it back.
    func perform<Result: Sendable>(_ operation: StoreOperation<Result>) async throws -> Result
}

extension SQLStore {
    // MARK: - Schedules

    public func add(_ schedule: Schedule) async throws {
        let values = StoreCoding.scheduleValues(schedule, cursor: schedule.createdAt)
        let inserted = try await perform(
            .write([Statement(StoreSQL.insertSchedule, values)]) { !$0[0].isEmpty }
        )
        guard inserted else {
            throw ScheduleError.usage(
                "a schedule named \(schedule.name) exists already; remove it first or pick another name"
            )
        }
    }

    public func schedule(named name: String) async throws -> Schedule? {
        try await perform(
            .read(Statement(StoreSQL.selectSchedule, [.text(name)])) { read in
                try read[0].first.map { try StoreCoding.schedule($0).0 }
            }
        )
    }

    public func schedules() async throws -> [(schedule: Schedule, cursor: Date)] {
        let list = try await perform(
            .read(Statement(StoreSQL.selectSchedules)) { read in
                try read[0].map { row in
                    let (schedule, cursor) = try StoreCoding.schedule(row)
                    return ScheduleAndCursor(schedule: schedule, cursor: cursor)
                }
            }
        )
        return list.map { ($0.schedule, $0.cursor) }
    }

    public func setPaused(_ name: String, _ paused: Bool, now: Date) async throws -> Bool {
        let statement =
            paused
            ? Statement(StoreSQL.setPausedKeepingCursor, [.integer(1), .text(name)])
            : Statement(StoreSQL.setPaused, [.integer(0), .integer(now.milliseconds), .text(name)])
        return try await perform(.write([statement]) { !$0[0].isEmpty })
    }

    public func remove(_ name: String) async throws -> Bool {
        try await perform(.write([Statement(StoreSQL.deleteSchedule, [.text(name)])]) { !$0[0].isEmpty })
    }

    // MARK: - Runs

    public func enqueueManualRun(_ name: String, now: Date) async throws -> Int64? {
        try await perform(
            .write([Statement(StoreSQL.insertManualRun, [.integer(now.milliseconds), .text(name)])]) {
                written in
                try written[0].first?.requiredInteger("id")
            }
        )
    }

    public func runs(of name: String, limit: Int) async throws -> [RunRecord] {
        try await perform(
            .read(Statement(StoreSQL.selectRuns, [.text(name), .integer(Int64(limit))])) { read in
                try read[0].map { try StoreCoding.run($0) }
            }
        )
    }

    public func run(id: Int64) async throws -> RunRecord? {
        try await perform(
            .read(Statement(StoreSQL.selectRun, [.integer(id)])) { read in
                try read[0].first.map { try StoreCoding.run($0) }
            }
        )
    }

    public func runIDs(of name: String) async throws -> Set<Int64> {
        try await perform(
            .read(Statement(StoreSQL.selectRunIDs, [.text(name)])) { read in
                Set(try read[0].map { try $0.requiredInteger("id") })
            }
        )
    }

    // MARK: - Instances

    public func register(_ instance: InstanceRecord) async throws {
        let values: [SQLValue] = [
            .text(instance.id), .text(instance.host), .integer(Int64(instance.pid)),
            .integer(instance.processStart),
            .integer(Date().milliseconds), .integer(instance.leaseUntil.milliseconds),
        ]
        try await perform(.write([Statement(StoreSQL.registerInstance, values)]))
    }

    public func renew(_ instanceID: String, until: Date) async throws -> LeaseState {
        let statements = [
            Statement(StoreSQL.renewInstance, [.integer(until.milliseconds), .text(instanceID)]),
            Statement(StoreSQL.heldRunning, [.text(instanceID)]),
        ]
        return try await perform(
            .write(statements) { written in
                var running: Set<Int64> = []
                var cancels: [Int64: String] = [:]
                for row in written[1] {
                    let id = try row.requiredInteger("id")
                    running.insert(id)
                    if let reason = try row.text("cancel_reason") { cancels[id] = reason }
                }
                return LeaseState(registered: !written[0].isEmpty, running: running, cancelRequests: cancels)
            }
        )
    }

    public func deregister(_ instanceID: String) async throws {
        try await perform(
            .write([
                Statement(StoreSQL.releaseQueued, [.text(instanceID)]),
                Statement(StoreSQL.deleteInstance, [.text(instanceID)]),
            ])
        )
    }

    public func recover(
        now: Date,
        excluding instanceID: String,
        isDead: @escaping @Sendable (InstanceRecord) -> Bool
    ) async throws -> [RunRecord] {
        // The other instances' rows stay locked while this decides: one renewing its lease meanwhile
        // is skipped, not declared dead on a lease it has just extended.
        let others = Statement(StoreSQL.otherInstances, [.text(instanceID)], lock: .forUpdateSkipLocked)
        return try await perform(
            .decide(reading: [others]) { read in
                let instances = try read[0].map { try StoreCoding.instance($0) }
                var writes: [Statement] = []
                var interrupting: [Int] = []
                for (instance, reason) in StorePlans.dead(instances, now: now, isDead: isDead) {
                    interrupting.append(writes.count)
                    writes.append(
                        Statement(
                            StoreSQL.interruptHeld,
                            [.text(reason), .integer(now.milliseconds), .text(instance.id)]
                        )
                    )
                    writes.append(Statement(StoreSQL.releaseQueued, [.text(instance.id)]))
                    writes.append(Statement(StoreSQL.deleteInstance, [.text(instance.id)]))
                }
                interrupting.append(writes.count)
                writes.append(
                    Statement(
                        StoreSQL.interruptOrphans,
                        [.text(StorePlans.orphanReason), .integer(now.milliseconds)]
                    )
                )
                return .init(writes: writes) { written in
                    try interrupting.flatMap { index in try written[index].map { try StoreCoding.run($0) } }
                }
            }
        )
    }

    // MARK: - The scheduler's work

    public func tick(
        _ name: String,
        now: Date,
        instance: String,
        keepRuns: Int
    ) async throws -> TickPlanner.Plan? {
        let reads = [
            // Another instance deciding for this schedule holds its row: move on.
            Statement(StoreSQL.selectSchedule, [.text(name)], lock: .forUpdateSkipLocked),
            Statement(StoreSQL.selectActiveRuns, [.text(name)]),
        ]
        return try await perform(
            .decide(reading: reads) { read in
                guard let row = read[0].first else { return .init(writes: []) { _ in nil } }
                let (schedule, cursor) = try StoreCoding.schedule(row)
                let active = try read[1].map { try StoreCoding.activeRun($0).0 }
                let plan = TickPlanner.plan(
                    .init(schedule: schedule, cursor: cursor, now: now, active: active, keepRuns: keepRuns)
                )
                return .init(writes: StorePlans.tick(plan, schedule: name, instance: instance, now: now)) {
                    _ in plan
                }
            }
        )
    }

    public func claimStartable(instance: InstanceRecord, now: Date) async throws -> [ClaimedRun] {
        let names = try await perform(
            .read(Statement(StoreSQL.schedulesWithClaimableRuns, [.text(instance.id)])) { read in
                try read[0].map { try $0.requiredText("schedule") }
            }
        )
        var claimed: [ClaimedRun] = []
        for name in names {
            let reads = [
                // Waits for another instance deciding on this schedule: each must see the other's
                // starts, or two runs could start under `forbid`.
                Statement(StoreSQL.selectSchedule, [.text(name)], lock: .forUpdate),
                Statement(StoreSQL.selectActiveRuns, [.text(name)]),
            ]
            claimed += try await perform(
                .decide(reading: reads) { read in
                    guard let row = read[0].first else { return .init(writes: []) { _ in [] } }
                    let (schedule, _) = try StoreCoding.schedule(row)
                    let active = try read[1].map { try StoreCoding.activeRun($0) }
                    let starts = StorePlans.startable(
                        active: active,
                        overlap: schedule.overlap,
                        instance: instance.id
                    )
                    .map {
                        Statement(StoreSQL.startRun, StorePlans.startValues($0, instance: instance, now: now))
                    }
                    return .init(writes: starts) { written in
                        try written.compactMap { try $0.first.map { try StoreCoding.claimed($0) } }
                    }
                }
            )
        }
        return claimed
    }

    public func markStarted(
        _ runID: Int64,
        instance: String,
        pid: Int32,
        processStart: Int64?,
        outputDirectory: String,
        at: Date
    ) async throws {
        let values: [SQLValue] = [
            .integer(Int64(pid)), .integer(processStart), .text(outputDirectory), .integer(at.milliseconds),
            .integer(runID), .text(instance),
        ]
        try await perform(.write([Statement(StoreSQL.markStarted, values)]))
    }

    public func finish(_ runID: Int64, instance: String, outcome: RunOutcome, now: Date) async throws -> Bool
    {
        let values = StoreCoding.outcomeValues(outcome, now: now, runID: runID, instance: instance)
        return try await perform(.write([Statement(StoreSQL.finishRun, values)]) { !$0[0].isEmpty })
    }

    public func prune(_ name: String, keep: Int) async throws -> [RunRecord] {
        try await perform(
            .decide(reading: [Statement(StoreSQL.finishedRunsNewestFirst, [.text(name)])]) { read in
                let finished = try read[0].map { try StoreCoding.run($0) }
                let dropped = StorePlans.beyondRetention(finished, keep: keep)
                let deletes = dropped.map { Statement(StoreSQL.deleteRun, [.integer($0.id)]) }
                return .init(writes: deletes) { _ in dropped }
            }
        )
    }
}

/// A schedule with its cursor, as one Sendable value to carry out of a read.
struct ScheduleAndCursor: Sendable {
    var schedule: Schedule
    var cursor: Date
}

import Foundation

/// The writes that carry out a decision, the same statements for both stores.
enum StorePlans {
    /// Records a `TickPlanner.Plan` for schedule `name`.
    static func tick(
        _ plan: TickPlanner.Plan,
        schedule name: String,
        instance: String,
        now: Date
    ) -> [Statement] {
        var statements: [Statement] = []
        for run in plan.newRuns {
            statements.append(
                Statement(
                    StoreSQL.insertFire,
                    StoreCoding.fireValues(run, schedule: name, instance: instance, now: now)
                )
            )
        }
        for (id, reason) in plan.cancel {
            statements.append(Statement(StoreSQL.requestCancel, [.text(reason), .integer(id)]))
        }
        for (id, reason) in plan.skipQueued {
            statements.append(
                Statement(StoreSQL.skipQueued, [.text(reason), .integer(now.milliseconds), .integer(id)])
            )
        }
        statements.append(Statement(StoreSQL.setCursor, [.integer(plan.cursor.milliseconds), .text(name)]))
        return statements
    }

    /// Which of a schedule's queued runs `instance` may start now, from its active runs.
    static func startable(
        active: [(ActiveRun, holder: String?)],
        overlap: OverlapPolicy,
        instance: String
    ) -> [Int64] {
        let queued = active.filter { $0.0.status == .queued && ($0.holder == nil || $0.holder == instance) }
            .map(\.0)
        let running = active.filter { $0.0.status == .running }.map(\.0)
        return StartRule.startable(queued: queued, running: running, overlap: overlap)
    }

    static func startValues(_ id: Int64, instance: InstanceRecord, now: Date) -> [SQLValue] {
        [.text(instance.id), .text(instance.host), .integer(now.milliseconds), .integer(id)]
    }

    /// The finished runs of a schedule beyond the newest `keep`.
    static func beyondRetention(_ finishedNewestFirst: [RunRecord], keep: Int) -> [RunRecord] {
        Array(finishedNewestFirst.dropFirst(max(0, keep)))
    }

    /// The instances to treat as dead: lease run out, or `isDead` says so.
    static func dead(
        _ instances: [InstanceRecord],
        now: Date,
        isDead: (InstanceRecord) -> Bool
    ) -> [(InstanceRecord, reason: String)] {
        instances.compactMap { instance in
            if isDead(instance) {
                return (instance, StoreCoding.deadHolderReason(instance, now: now, processGone: true))
            }
            if instance.leaseUntil < now {
                return (instance, StoreCoding.deadHolderReason(instance, now: now, processGone: false))
            }
            return nil
        }
    }

    static let orphanReason = "its scheduler is no longer registered (it was declared dead)"
}

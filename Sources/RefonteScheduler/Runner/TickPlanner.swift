import Foundation
import Quantities

/// A queued or running run of a schedule, as the planner sees it.
public struct ActiveRun: Sendable, Hashable {
    public var id: Int64
    public var trigger: RunTrigger
    public var nominalTime: Date
    public var status: RunStatus

    public init(id: Int64, trigger: RunTrigger, nominalTime: Date, status: RunStatus) {
        self.id = id
        self.trigger = trigger
        self.nominalTime = nominalTime
        self.status = status
    }
}

/// What one scheduler decides for one schedule at one moment: which fires since the schedule's
/// cursor run, which are skipped or missed, which running runs are cut short. A pure function
/// of its input, so every store applies the same decisions inside its own transaction.
public enum TickPlanner {
    /// A fire up to this late still runs as an on-time fire; later, it was missed and the
    /// catch-up policy decides.
    public static let onTimeWindow: Duration = .seconds(60)
    /// Fires older than this (or than the catch-up window, when longer) are not examined.
    static let minimumLookback: Duration = .seconds(24 * 3600)

    public struct Input: Sendable {
        public var schedule: Schedule
        /// Fires at or before the cursor were dealt with already.
        public var cursor: Date
        public var now: Date
        public var active: [ActiveRun]
        /// At most this many missed fires are recorded (the newest); retention would drop the rest.
        public var keepRuns: Int

        public init(schedule: Schedule, cursor: Date, now: Date, active: [ActiveRun], keepRuns: Int) {
            self.schedule = schedule
            self.cursor = cursor
            self.now = now
            self.active = active
            self.keepRuns = keepRuns
        }
    }

    public struct NewRun: Sendable, Hashable {
        public var nominalTime: Date
        public var trigger: RunTrigger
        /// `queued`, `skipped` or `missed`.
        public var status: RunStatus
        public var reason: String?
    }

    public struct Plan: Sendable {
        public var newRuns: [NewRun] = []
        /// Running runs to cut short (overlap `replace`).
        public var cancel: [(id: Int64, reason: String)] = []
        /// Queued runs that will not start after all (overlap `replace`).
        public var skipQueued: [(id: Int64, reason: String)] = []
        public var cursor: Date
        /// Missed fires not recorded: older than the lookback, or beyond `keepRuns`.
        public var unrecordedMissed = false
    }

    public static func plan(_ input: Input) -> Plan {
        let schedule = input.schedule
        let now = input.now
        var plan = Plan(cursor: max(now, input.cursor))
        guard !schedule.paused, now > input.cursor else { return plan }
        let window = schedule.catchUpWindow
        let lookback = max(window, minimumLookback)
        let earliest = now.addingTimeInterval(-lookback.seconds)
        let start = max(input.cursor, earliest)
        plan.unrecordedMissed = input.cursor < earliest
        let fires = schedule.cron.fires(after: start, through: now)
        func age(_ fire: FireTime) -> Double { now.timeIntervalSince(fire.instant) }
        let late = fires.filter { age($0) >= onTimeWindow.seconds }
        let onTime = fires.filter { age($0) < onTimeWindow.seconds }
        let inWindow = late.filter { age($0) <= window.seconds }

        var catchUp: [FireTime] = []
        switch schedule.catchUp {
        case .none: break
        case .once: if onTime.isEmpty, let last = inWindow.last { catchUp = [last] }
        case .all: catchUp = inWindow
        }
        let zone = schedule.timeZone
        var missed: [NewRun] = []
        for fire in late where !catchUp.contains(fire) {
            let reason: String
            if age(fire) > window.seconds, schedule.catchUp != .none {
                reason =
                    "no scheduler was running; older than the catch-up window of \(DurationText.format(window))"
            } else {
                switch schedule.catchUp {
                case .none: reason = "no scheduler was running (catch-up none)"
                case .once:
                    reason =
                        onTime.isEmpty
                        ? "no scheduler was running (catch-up once runs only the latest missed fire)"
                        : "no scheduler was running (catch-up once: a fire is due now anyway)"
                case .all: reason = "no scheduler was running"
                }
            }
            missed.append(
                NewRun(nominalTime: fire.instant, trigger: .schedule, status: .missed, reason: reason)
            )
        }
        if missed.count > input.keepRuns {
            missed.removeFirst(missed.count - input.keepRuns)
            plan.unrecordedMissed = true
        }
        plan.newRuns += missed

        var active = input.active
        for fire in catchUp {
            plan.newRuns.append(
                NewRun(nominalTime: fire.instant, trigger: .catchUp, status: .queued, reason: nil)
            )
            active.append(ActiveRun(id: 0, trigger: .catchUp, nominalTime: fire.instant, status: .queued))
        }
        for fire in onTime {
            let when = TimeText.format(fire.instant, in: zone)
            switch schedule.overlap {
            case .allow:
                break
            case .forbid:
                if let blocking = active.first {
                    let which = blocking.id > 0 ? "run #\(blocking.id)" : "a catch-up run"
                    let reason =
                        "\(which) (\(TimeText.format(blocking.nominalTime, in: zone))) was still \(blocking.status.rawValue) (overlap forbid)"
                    plan.newRuns.append(
                        NewRun(
                            nominalTime: fire.instant,
                            trigger: .schedule,
                            status: .skipped,
                            reason: reason
                        )
                    )
                    continue
                }
            case .replace:
                let reason = "replaced by the fire at \(when) (overlap replace)"
                for run in active where run.status == .running && run.id > 0 {
                    plan.cancel.append((run.id, reason))
                }
                for run in active where run.status == .queued {
                    if run.id > 0 {
                        plan.skipQueued.append((run.id, reason))
                    } else if let index = plan.newRuns.lastIndex(where: {
                        $0.nominalTime == run.nominalTime && $0.status == .queued
                    }) {
                        plan.newRuns[index].status = .skipped
                        plan.newRuns[index].reason = reason
                    }
                }
                active.removeAll { $0.status == .queued }
            }
            plan.newRuns.append(
                NewRun(nominalTime: fire.instant, trigger: .schedule, status: .queued, reason: nil)
            )
            active.append(ActiveRun(id: 0, trigger: .schedule, nominalTime: fire.instant, status: .queued))
        }
        return plan
    }
}

/// Which queued runs of one schedule may start now.
public enum StartRule {
    /// `queued` oldest first. With overlap `allow`, everything starts at once except catch-up
    /// runs, which go one at a time; otherwise one run at a time, oldest first.
    public static func startable(queued: [ActiveRun], running: [ActiveRun], overlap: OverlapPolicy) -> [Int64]
    {
        switch overlap {
        case .allow:
            var catchingUp = running.contains { $0.trigger == .catchUp }
            var chosen: [Int64] = []
            for run in queued {
                if run.trigger == .catchUp {
                    if catchingUp { continue }
                    catchingUp = true
                }
                chosen.append(run.id)
            }
            return chosen
        case .forbid, .replace:
            guard running.isEmpty, let first = queued.first else { return [] }
            return [first.id]
        }
    }
}

extension Duration {
    var seconds: Double {
        let (whole, fraction) = components
        return Double(whole) + Double(fraction) / 1e18
    }
}

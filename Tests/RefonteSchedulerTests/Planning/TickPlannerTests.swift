import Foundation
import RefonteScheduler
import Testing

/// The decisions every store applies, on their own: which fires run, which are missed or
/// skipped, which runs are cut short, and which queued runs may start.
@Suite("Tick planner")
struct TickPlannerTests {
    static func schedule(
        _ cron: String = "0 * * * *",
        overlap: OverlapPolicy = .forbid,
        catchUp: CatchUpPolicy = .none,
        window: Duration = .seconds(6 * 3600)
    ) throws -> Schedule {
        Schedule(
            name: "s",
            expression: try CronExpression(cron),
            timeZone: .gmt,
            invocation: .script("/s.lua", workingDirectory: "/"),
            overlap: overlap,
            catchUp: catchUp,
            catchUpWindow: window,
            createdAt: utc("2030-01-07T00:00:00Z")
        )
    }

    static func plan(
        _ schedule: Schedule,
        cursor: String,
        now: String,
        active: [ActiveRun] = [],
        keepRuns: Int = 100
    ) -> TickPlanner.Plan {
        TickPlanner.plan(
            .init(schedule: schedule, cursor: utc(cursor), now: utc(now), active: active, keepRuns: keepRuns)
        )
    }

    static func summary(_ plan: TickPlanner.Plan) -> [String] {
        plan.newRuns.map { "\(TimeText.iso($0.nominalTime)) \($0.trigger.rawValue) \($0.status.rawValue)" }
    }

    @Test func aFireUpToAMinuteLateRunsAsUsual() throws {
        let plan = Self.plan(try Self.schedule(), cursor: "2030-01-07T09:30:00Z", now: "2030-01-07T10:00:59Z")
        #expect(Self.summary(plan) == ["2030-01-07T10:00:00Z schedule queued"])
        #expect(plan.cursor == utc("2030-01-07T10:00:59Z"))
        let late = Self.plan(try Self.schedule(), cursor: "2030-01-07T09:30:00Z", now: "2030-01-07T10:01:00Z")
        #expect(Self.summary(late) == ["2030-01-07T10:00:00Z schedule missed"])
    }

    @Test func catchUpOnceDefersToAFireDueNow() throws {
        let plan = Self.plan(
            try Self.schedule(catchUp: .once),
            cursor: "2030-01-07T09:30:00Z",
            now: "2030-01-07T12:00:10Z"
        )
        #expect(
            Self.summary(plan) == [
                "2030-01-07T10:00:00Z schedule missed", "2030-01-07T11:00:00Z schedule missed",
                "2030-01-07T12:00:00Z schedule queued",
            ]
        )
    }

    @Test func missedFiresBeyondKeepRunsAreNotRecorded() throws {
        let plan = Self.plan(
            try Self.schedule("* * * * *"),
            cursor: "2030-01-07T09:00:00Z",
            now: "2030-01-07T10:00:30Z",
            keepRuns: 3
        )
        #expect(plan.newRuns.filter { $0.status == .missed }.count == 3)
        #expect(plan.newRuns.last?.status == .queued)
        #expect(plan.unrecordedMissed)
    }

    @Test func forbidSkipsBehindAnyActiveRun() throws {
        let running = ActiveRun(
            id: 7,
            trigger: .manual,
            nominalTime: utc("2030-01-07T09:59:00Z"),
            status: .running
        )
        let plan = Self.plan(
            try Self.schedule(),
            cursor: "2030-01-07T09:30:00Z",
            now: "2030-01-07T10:00:00Z",
            active: [running]
        )
        #expect(Self.summary(plan) == ["2030-01-07T10:00:00Z schedule skipped"])
        #expect(plan.newRuns[0].reason?.contains("run #7") == true)
    }

    @Test func replaceCutsRunningRunsAndDropsQueuedOnes() throws {
        let running = ActiveRun(
            id: 7,
            trigger: .schedule,
            nominalTime: utc("2030-01-07T09:00:00Z"),
            status: .running
        )
        let queued = ActiveRun(
            id: 8,
            trigger: .manual,
            nominalTime: utc("2030-01-07T09:50:00Z"),
            status: .queued
        )
        let plan = Self.plan(
            try Self.schedule(overlap: .replace, catchUp: .all),
            cursor: "2030-01-07T08:30:00Z",
            now: "2030-01-07T10:00:00Z",
            active: [running, queued]
        )
        #expect(plan.cancel.map(\.id) == [7])
        #expect(plan.skipQueued.map(\.id) == [8])
        // The catch-up run of 09:00 is dropped too: the newest fire wins.
        #expect(
            Self.summary(plan) == [
                "2030-01-07T09:00:00Z catch-up skipped", "2030-01-07T10:00:00Z schedule queued",
            ]
        )
    }

    @Test func pausedOrUnmovedDecidesNothing() throws {
        var paused = try Self.schedule()
        paused.paused = true
        #expect(
            Self.plan(paused, cursor: "2030-01-07T09:30:00Z", now: "2030-01-07T10:00:00Z").newRuns.isEmpty
        )
        let backwards = Self.plan(
            try Self.schedule(),
            cursor: "2030-01-07T11:00:00Z",
            now: "2030-01-07T10:00:00Z"
        )
        #expect(backwards.newRuns.isEmpty && backwards.cursor == utc("2030-01-07T11:00:00Z"))
    }

    @Test func startRule() {
        func run(_ id: Int64, _ trigger: RunTrigger, _ status: RunStatus) -> ActiveRun {
            ActiveRun(
                id: id,
                trigger: trigger,
                nominalTime: Date(timeIntervalSince1970: Double(id)),
                status: status
            )
        }
        let queued = [run(1, .catchUp, .queued), run(2, .catchUp, .queued), run(3, .schedule, .queued)]
        #expect(StartRule.startable(queued: queued, running: [], overlap: .allow) == [1, 3])
        #expect(
            StartRule.startable(queued: queued, running: [run(9, .catchUp, .running)], overlap: .allow) == [3]
        )
        #expect(StartRule.startable(queued: queued, running: [], overlap: .forbid) == [1])
        #expect(
            StartRule.startable(queued: queued, running: [run(9, .manual, .running)], overlap: .replace)
                .isEmpty
        )
    }
}

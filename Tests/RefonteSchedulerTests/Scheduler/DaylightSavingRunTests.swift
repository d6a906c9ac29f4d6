import Foundation
import RefonteScheduler
import Testing

/// The scheduler itself, driven by the injected clock through Europe/Paris's changes: what runs
/// is what `CronSchedule` says, at the instants cron users expect.
@Suite("Daylight saving, as the scheduler runs it")
struct DaylightSavingRunTests {
    static func ranAt(
        _ steps: [String],
        start: String,
        schedules: [(String, String)]
    ) async throws -> [String: [String]] {
        let fixture = try SchedulerFixture(start: utc(start))
        let script = try fixture.script("ok.lua", "print('ok')")
        for (name, cron) in schedules {
            try await fixture.store.add(
                try fixture.schedule(name, cron: cron, script: script, zone: "Europe/Paris")
            )
        }
        let scheduler = fixture.start(try fixture.configuration())
        for step in steps {
            fixture.clock.advance(to: utc(step))
            // Each step is a fire of the last schedule; once its run has ended, the scheduler
            // has dealt with every schedule at this step (it ticks them all before starting runs).
            let (pacer, _) = schedules[schedules.count - 1]
            try await fixture.waitForRuns(of: pacer, "\(pacer) at \(step)") { runs in
                runs.contains { $0.nominalTime == utc(step) && !$0.status.isActive }
            }
            for (name, _) in schedules {
                try await fixture.waitForRuns(of: name, "\(name) to finish at \(step)") { runs in
                    !runs.contains { $0.status.isActive }
                }
            }
        }
        try await scheduler.stop()
        var result: [String: [String]] = [:]
        for (name, _) in schedules {
            let runs = try await fixture.store.runs(of: name, limit: 100).reversed()
            #expect(runs.allSatisfy { $0.status == .succeeded }, "\(Array(runs))")
            result[name] = runs.map { TimeText.iso($0.nominalTime) }
        }
        return result
    }

    @Test func springForward() async throws {
        let ran = try await Self.ranAt(
            [
                "2025-03-29T23:30:00Z", "2025-03-30T00:00:00Z", "2025-03-30T00:30:00Z",
                "2025-03-30T01:00:00Z", "2025-03-30T01:30:00Z", "2025-03-30T02:00:00Z",
            ],
            start: "2025-03-29T23:10:00Z",
            schedules: [("fixed", "30 2 * * *"), ("every30", "*/30 * * * *")]
        )
        // 02:30 does not exist: the fixed schedule runs once at 03:00 CEST (01:00 UTC).
        #expect(ran["fixed"] == ["2025-03-30T01:00:00Z"])
        // 01:00, 01:30 CET, then 03:00 CEST onward: nothing for the skipped 02:00 and 02:30.
        #expect(
            ran["every30"] == [
                "2025-03-29T23:30:00Z", "2025-03-30T00:00:00Z", "2025-03-30T00:30:00Z",
                "2025-03-30T01:00:00Z", "2025-03-30T01:30:00Z", "2025-03-30T02:00:00Z",
            ]
        )
    }

    @Test func fallBack() async throws {
        let ran = try await Self.ranAt(
            [
                "2025-10-26T00:00:00Z", "2025-10-26T00:30:00Z", "2025-10-26T01:00:00Z",
                "2025-10-26T01:30:00Z", "2025-10-26T02:00:00Z",
            ],
            start: "2025-10-25T23:40:00Z",
            schedules: [("fixed", "30 2 * * *"), ("every30", "*/30 * * * *")]
        )
        // 02:30 happens twice: the fixed schedule runs at the first (CEST) only.
        #expect(ran["fixed"] == ["2025-10-26T00:30:00Z"])
        // Elapsed time: 02:00 and 02:30 CEST, then 02:00 and 02:30 CET, then 03:00 CET.
        #expect(
            ran["every30"] == [
                "2025-10-26T00:00:00Z", "2025-10-26T00:30:00Z", "2025-10-26T01:00:00Z",
                "2025-10-26T01:30:00Z", "2025-10-26T02:00:00Z",
            ]
        )
    }
}

import Foundation
import RefonteScheduler
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// A slow run and the next fire: `forbid` skips the fire and records the skip, `replace` cuts
/// the slow run short.
@Suite("Overlap")
struct OverlapTests {
    /// Runs until its marker file is removed.
    static let slowScript = """
        local marker = arg[1]
        while true do
          local file = io.open(marker)
          if not file then break end
          file:close()
          sleep(50)
        end
        print("done")
        """

    static func slowSchedule(
        _ fixture: SchedulerFixture,
        overlap: OverlapPolicy
    ) throws -> (Schedule, marker: String) {
        let marker = fixture.folder + "/marker"
        try "".write(toFile: marker, atomically: true, encoding: .utf8)
        let script = try fixture.script("slow.lua", slowScript)
        let schedule = try fixture.schedule(
            "slow",
            cron: "* * * * *",
            script: script,
            arguments: [marker],
            options: .init(allowRead: [marker]),
            overlap: overlap
        )
        return (schedule, marker)
    }

    @Test func forbidSkipsTheNextFireAndRecordsTheSkip() async throws {
        let fixture = try SchedulerFixture(start: utc("2030-01-07T09:59:30Z"))
        let (schedule, marker) = try Self.slowSchedule(fixture, overlap: .forbid)
        try await fixture.store.add(schedule)
        let scheduler = fixture.start(try fixture.configuration())

        fixture.clock.advance(to: utc("2030-01-07T10:00:00Z"))
        let first = try await fixture.waitForRuns(of: "slow", "the first run to start") { runs in
            runs.contains { $0.status == .running && $0.pid != nil }
        }.first { $0.status == .running }
        let slow = try #require(first)

        fixture.clock.advance(to: utc("2030-01-07T10:01:00Z"))
        let skipped = try await fixture.waitForRuns(of: "slow", "the skip") { runs in
            runs.contains { $0.status == .skipped }
        }.first { $0.status == .skipped }
        #expect(skipped?.nominalTime == utc("2030-01-07T10:01:00Z"))
        #expect(skipped?.reason?.contains("run #\(slow.id)") == true, "\(String(describing: skipped))")
        #expect(skipped?.reason?.contains("overlap forbid") == true)
        #expect(skipped?.startedAt == nil && skipped?.pid == nil, "a skipped fire starts nothing")

        try FileManager.default.removeItem(atPath: marker)
        try await fixture.waitForRuns(of: "slow", "the slow run to succeed") { runs in
            runs.contains { $0.id == slow.id && $0.status == .succeeded }
        }
        fixture.clock.advance(to: utc("2030-01-07T10:02:00Z"))
        try await fixture.waitForRuns(of: "slow", "the next fire to run") { runs in
            runs.contains { $0.nominalTime == utc("2030-01-07T10:02:00Z") && $0.status == .succeeded }
        }
        try await scheduler.stop()
    }

    @Test func replaceCutsTheSlowRunShort() async throws {
        let fixture = try SchedulerFixture(start: utc("2030-01-07T09:59:30Z"))
        let (schedule, marker) = try Self.slowSchedule(fixture, overlap: .replace)
        try await fixture.store.add(schedule)
        let scheduler = fixture.start(try fixture.configuration())

        fixture.clock.advance(to: utc("2030-01-07T10:00:00Z"))
        let started = try await fixture.waitForRuns(of: "slow", "the first run to start") { runs in
            runs.contains { $0.status == .running && $0.pid != nil }
        }
        let slow = try #require(started.first)
        let pid = try #require(slow.pid)

        fixture.clock.advance(to: utc("2030-01-07T10:01:00Z"))
        let runs = try await fixture.waitForRuns(of: "slow", "the slow run to be replaced") { runs in
            runs.contains { $0.id == slow.id && $0.status == .interrupted }
                && runs.contains { $0.nominalTime == utc("2030-01-07T10:01:00Z") && $0.status == .running }
        }
        let cut = try #require(runs.first { $0.id == slow.id })
        #expect(cut.reason?.contains("replaced by the fire at 2030-01-07 10:01") == true, "\(cut)")
        #expect(cut.exitCode == nil, "it was stopped, it did not finish")
        #expect(kill(pid, 0) != 0, "the replaced run's process is gone")
        let stdout = try String(
            contentsOfFile: try #require(cut.outputDirectory) + "/stdout",
            encoding: .utf8
        )
        #expect(!stdout.contains("done"), "the slow run never reached its end")

        try FileManager.default.removeItem(atPath: marker)
        try await fixture.waitForRuns(of: "slow", "the replacing run to succeed") { runs in
            runs.contains { $0.nominalTime == utc("2030-01-07T10:01:00Z") && $0.status == .succeeded }
        }
        try await scheduler.stop()
    }
}

import Foundation
import RefonteScheduler
import TestHelpers
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Schedulers sharing one real PostgreSQL: every fire runs exactly once, and an instance killed
/// mid-run has its lease taken over.
@Suite(
    "Several schedulers on PostgreSQL",
    .enabled(if: PostgresTestServer.url != nil, PostgresTestServer.skipped)
)
struct SeveralInstancesTests {
    @Test func twoInstancesShareSixtyFiresAndEachRunsOnce() async throws {
        let database = try await PostgresTestServer.database()
        do {
            try await sixtyFires(database)
            await database.drop()
        } catch {
            await database.drop()
            throw error
        }
    }

    private func sixtyFires(_ database: TestDatabase) async throws {
        let first = try await database.open()
        let second = try await database.open()
        let start = utc("2030-01-07T09:59:30Z")
        let fixture = try SchedulerFixture(start: start, store: first)
        let log = fixture.folder + "/fires"
        try "".write(toFile: log, atomically: true, encoding: .utf8)
        let script = try fixture.script(
            "note.lua",
            """
            local file = assert(io.open(arg[1], "a"))
            file:write(os.getenv("REFONTE_FIRE_TIME"), "\\n")
            file:close()
            """
        )
        try await first.add(
            try fixture.schedule(
                "minutely",
                cron: "* * * * *",
                script: script,
                arguments: [log],
                options: .init(allowWrite: [log], allowEnv: ["REFONTE_FIRE_TIME"])
            )
        )
        let a = fixture.start(try fixture.configuration(), store: first)
        let b = fixture.start(try fixture.configuration(), store: second)
        var expected: [Date] = []
        for minute in 0..<60 {
            let fire = start.addingTimeInterval(30 + Double(minute) * 60)
            expected.append(fire)
            fixture.clock.advance(to: fire)
            try await fixture.waitForRuns(of: "minutely", "the fire of \(TimeText.iso(fire))") { runs in
                runs.contains { $0.nominalTime == fire && $0.status == .succeeded }
            }
        }
        try await a.stop()
        try await b.stop()

        let runs = try await first.runs(of: "minutely", limit: 1000)
        #expect(runs.count == 60, "one run per fire: \(runs.count)")
        #expect(Set(runs.map(\.nominalTime)) == Set(expected))
        #expect(runs.allSatisfy { $0.status == .succeeded && $0.trigger == .schedule })
        let written = try String(contentsOfFile: log, encoding: .utf8).split(separator: "\n").map(String.init)
        #expect(written.count == 60, "each fire ran exactly once: \(written.count) runs")
        #expect(Set(written) == Set(expected.map { TimeText.iso($0) }))
        let holders = Dictionary(grouping: runs, by: { $0.holder ?? "-" }).mapValues(\.count)
        #expect(holders.count <= 2 && holders.values.reduce(0, +) == 60, "\(holders)")
        await first.close()
        await second.close()
    }

    @Test func anInstanceKilledMidRunHasItsLeaseTakenOver() async throws {
        let database = try await PostgresTestServer.database()
        do {
            try await takeOver(database)
            await database.drop()
        } catch {
            await database.drop()
            throw error
        }
    }

    private func takeOver(_ database: TestDatabase) async throws {
        let cli = try CLI()
        defer { cli.remove() }
        let marker = try cli.write("marker", "")
        let script = try cli.write("slow.lua", OverlapTests.slowScript)
        let added = try await cli.run([
            "schedule", "add", "slow", "--store", database.url, "--cron", "0 0 1 1 *", "--script", script,
            "--allow-read", marker, "--", marker,
        ])
        #expect(added.status == 0, "\(added.standardError)")
        let doomed = try await cli.start(
            ["scheduler", "--store", database.url, "--poll", "1s", "--lease", "4s"],
            standardError: FileHandle.nullDevice
        )
        #expect(try await cli.run(["schedule", "run-now", "slow", "--store", database.url]).status == 0)
        let store = try await database.open()
        let victim = try await SignalTests.waitForRun(store, "slow", "the run to start") {
            $0.status == .running && $0.pid != nil
        }
        #expect(victim.holder?.contains("/\(doomed.processIdentifier)/") == true, "\(victim)")
        kill(doomed.processIdentifier, SIGKILL)
        try await cli.waitForExit(doomed)

        // A scheduler on "another host": it knows nothing of the dead one's processes and goes
        // by the lease alone.
        let fixture = try SchedulerFixture(start: Date(), store: store)
        let survivor = fixture.start(try fixture.configuration(poll: .seconds(5), host: "survivor.test"))
        try await Task.sleep(for: .milliseconds(1500))
        let meanwhile = try #require(try await store.run(id: victim.id))
        #expect(meanwhile.status == .running, "the lease has not run out yet: \(meanwhile)")

        try FileManager.default.removeItem(atPath: marker)
        let next = try #require(try await store.enqueueManualRun("slow", now: fixture.clock.now()))
        fixture.clock.advance(by: .seconds(10))
        let interrupted = try await SignalTests.waitForRun(store, "slow", "the lease to be taken over") {
            $0.id == victim.id && $0.status == .interrupted
        }
        #expect(interrupted.reason?.contains("stopped renewing its lease") == true, "\(interrupted)")
        let after = try await SignalTests.waitForRun(store, "slow", "the next run to succeed") {
            $0.id == next && $0.status == .succeeded
        }
        #expect(after.holder?.hasPrefix("survivor.test/") == true, "\(after)")
        try await survivor.stop()
        await store.close()
    }
}

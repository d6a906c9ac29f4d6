import Foundation
import RefonteSandbox
import RefonteScheduler
import Testing

/// A schedule firing every minute on a simulated clock, each run a real `refonte run` calling a
/// real sandbox over HTTP, and the history read back.
@Suite("Scheduler end to end")
struct EndToEndTests {
    /// scripts/test fails if this key ever shows up in any output.
    static let key = "test_leakcanary_scheduler"

    @Test func everyMinuteAgainstTheSandboxWithHistoryAndRetention() async throws {
        let sandbox = try await EmbeddedSandbox.start(
            configuration: SandboxConfiguration(database: .temporary, seed: .demo, extraAPIKeys: [Self.key]),
            logger: quietLogger
        )
        do {
            try await run(against: sandbox)
            await sandbox.stop()
        } catch {
            await sandbox.stop()
            throw error
        }
    }

    private func run(against sandbox: EmbeddedSandbox) async throws {
        let fixture = try SchedulerFixture(start: utc("2030-01-07T09:59:30Z"))
        let script = try fixture.script(
            "invite.lua",
            """
            local run = os.getenv("REFONTE_RUN_ID")
            local before = refonte.teams.list{}
            refonte.teams.invite{ emails = { "scheduled-" .. run .. "@example.com" }, role = "labeler" }
            print(("run %s fired at %s and saw %d teammates"):format(run, os.getenv("REFONTE_FIRE_TIME"), #before))
            """
        )
        try await fixture.store.add(
            try fixture.schedule(
                "invite",
                cron: "* * * * *",
                script: script,
                options: .init(allowEnv: ["REFONTE_RUN_ID", "REFONTE_FIRE_TIME"])
            )
        )
        let scheduler = fixture.start(
            try fixture.configuration(
                keepRuns: 2,
                environment: ["REFONTE_BASE_URL": sandbox.baseURL, "REFONTE_API_KEY": Self.key]
            )
        )
        var outputs: [String] = []
        for minute in 0..<3 {
            let fire = utc("2030-01-07T10:0\(minute):00Z")
            fixture.clock.advance(to: fire)
            let runs = try await fixture.waitForRuns(of: "invite", "the run of 10:0\(minute)") { runs in
                runs.contains { $0.nominalTime == fire && !$0.status.isActive }
            }
            let run = try #require(runs.first { $0.nominalTime == fire })
            #expect(run.status == .succeeded, "\(run)")
            #expect(run.trigger == .schedule && run.exitCode == 0)
            #expect(run.calls == 2 && run.writes == 1, "one read and one write: \(run)")
            let folder = try #require(run.outputDirectory)
            outputs.append(try String(contentsOfFile: folder + "/stdout", encoding: .utf8))
            #expect(
                outputs.last?.contains("run \(run.id) fired at \(TimeText.iso(fire))") == true,
                "\(outputs)"
            )
        }
        try await scheduler.stop()

        // Each run saw the teammate the run before it invited: real state, in order.
        let seen = outputs.compactMap { line in
            line.split(separator: " ").firstIndex(of: "saw").map {
                Int(line.split(separator: " ")[$0 + 1]) ?? -1
            }
        }
        #expect(seen.count == 3 && seen[1] == seen[0] + 1 && seen[2] == seen[1] + 1, "\(outputs)")

        // --keep-runs 2: the oldest run and its output are gone.
        let history = try await fixture.store.runs(of: "invite", limit: 10)
        #expect(history.map(\.nominalTime) == [utc("2030-01-07T10:02:00Z"), utc("2030-01-07T10:01:00Z")])
        let kept = Set(history.map(\.id))
        let folders = try FileManager.default.contentsOfDirectory(
            atPath: fixture.folder + "/runs/\(fixture.store.storeID)/invite"
        )
        #expect(Set(folders.compactMap(Int64.init)) == kept)
        #expect(!outputs.joined().contains("leakcanary"))
    }
}

import Foundation
import RefonteScheduler
import Testing

/// Hourly schedules, a scheduler that stops at 10:05 and another that starts three hours later:
/// each catch-up policy does what it says with the fires of 11:00, 12:00 and 13:00.
@Suite("Catch-up")
struct CatchUpTests {
    @Test func afterThreeHoursDownEachPolicyDoesWhatItSays() async throws {
        let fixture = try SchedulerFixture(start: utc("2030-01-07T09:30:00Z"))
        let log = fixture.folder + "/log"
        try "".write(toFile: log, atomically: true, encoding: .utf8)
        // Notes its start and end, so the log shows whether runs overlapped.
        let script = try fixture.script(
            "note.lua",
            """
            local name, log = os.getenv("REFONTE_SCHEDULE"), arg[1]
            local function note(what)
              local file = assert(io.open(log, "a"))
              file:write(name, " ", what, " ", os.getenv("REFONTE_FIRE_TIME"), "\\n")
              file:close()
            end
            note("start")
            sleep(150)
            note("end")
            """
        )
        let options = RunInvocation.Options(
            allowWrite: [log],
            allowEnv: ["REFONTE_SCHEDULE", "REFONTE_FIRE_TIME"]
        )
        let policies: [(String, CatchUpPolicy, Duration)] = [
            ("none", .none, .seconds(6 * 3600)),
            ("once", .once, .seconds(6 * 3600)),
            ("all", .all, .seconds(6 * 3600)),
            ("all-90m", .all, .seconds(90 * 60)),
        ]
        for (name, policy, window) in policies {
            try await fixture.store.add(
                try fixture.schedule(
                    name,
                    cron: "0 * * * *",
                    script: script,
                    arguments: [log],
                    options: options,
                    catchUp: policy,
                    window: window
                )
            )
        }

        let before = fixture.start(try fixture.configuration())
        fixture.clock.advance(to: utc("2030-01-07T10:00:00Z"))
        for (name, _, _) in policies {
            try await fixture.waitForRuns(of: name, "the 10:00 run of \(name)") { runs in
                runs.count == 1 && runs[0].status == .succeeded
            }
        }
        fixture.clock.advance(to: utc("2030-01-07T10:05:00Z"))
        try await before.stop()

        // Three hours with no scheduler.
        fixture.clock.advance(to: utc("2030-01-07T13:05:00Z"))
        let after = fixture.start(try fixture.configuration())

        func settled(_ name: String, count: Int) async throws -> [String: RunRecord] {
            let runs = try await fixture.waitForRuns(of: name, "\(name) to settle") { runs in
                runs.count == count && !runs.contains { $0.status.isActive }
            }
            return Dictionary(uniqueKeysWithValues: runs.map { (TimeText.iso($0.nominalTime), $0) })
        }
        let (eleven, noon, one) = ("2030-01-07T11:00:00Z", "2030-01-07T12:00:00Z", "2030-01-07T13:00:00Z")

        let none = try await settled("none", count: 4)
        for fire in [eleven, noon, one] {
            #expect(
                none[fire]?.status == .missed && none[fire]?.reason?.contains("catch-up none") == true,
                "\(none)"
            )
        }

        let once = try await settled("once", count: 4)
        #expect(once[eleven]?.status == .missed && once[noon]?.status == .missed, "\(once)")
        #expect(once[one]?.status == .succeeded && once[one]?.trigger == .catchUp, "\(once)")

        let all = try await settled("all", count: 4)
        for fire in [eleven, noon, one] {
            #expect(all[fire]?.status == .succeeded && all[fire]?.trigger == .catchUp, "\(all)")
        }

        let windowed = try await settled("all-90m", count: 4)
        #expect(windowed[eleven]?.status == .missed, "\(windowed)")
        #expect(windowed[eleven]?.reason?.contains("older than the catch-up window of 1h30m") == true)
        #expect(windowed[noon]?.status == .succeeded && windowed[one]?.status == .succeeded, "\(windowed)")
        try await after.stop()

        // Catch-up runs of a schedule go one after another, oldest first.
        let lines = try String(contentsOfFile: log, encoding: .utf8).split(separator: "\n")
        let allLines = lines.filter { $0.hasPrefix("all ") }.map(String.init)
        #expect(
            allLines == [
                "all start 2030-01-07T10:00:00Z", "all end 2030-01-07T10:00:00Z",
                "all start \(eleven)", "all end \(eleven)",
                "all start \(noon)", "all end \(noon)",
                "all start \(one)", "all end \(one)",
            ],
            "\(lines)"
        )
        #expect(lines.filter { $0.hasPrefix("none ") }.count == 2, "none ran only at 10:00")
    }
}

import Foundation
import RefonteAPI
import TestHelpers
import Testing

/// The schedule commands as a user runs them, one after another on one store.
@Suite("Schedule commands")
struct ScheduleCommandTests {
    static func json(_ text: String) throws -> JSONValue { try JSONValue.parse(text) }

    @Test func addShowPauseResumeRunNowHistoryRemove() async throws {
        let cli = try CLI()
        defer { cli.remove() }
        _ = try cli.write("report.lua", "print('report for ' .. arg[1])")
        let added = try await cli.run([
            "schedule", "add", "report", "--cron", "0 8 * * mon", "--timezone", "Europe/Paris", "--script",
            "report.lua",
            "--timeout", "10m", "--catch-up", "once", "--catch-up-window", "2h", "--", "weekly",
        ])
        #expect(added.status == 0, "\(added.standardError)")
        #expect(added.standardOutput.contains("added schedule report"))

        let shown = try Self.json(
            try await cli.run(["schedule", "show", "report", "--output", "json"]).standardOutput
        )
        guard case .object(let schedule) = shown else { Issue.record("not an object: \(shown)"); return }
        #expect(schedule["timezone"] == .string("Europe/Paris"))
        #expect(
            schedule["catch_up"] == .string("once") && schedule["catch_up_window_seconds"] == .integer(7200)
        )
        #expect(
            schedule["arguments"]
                == .array(
                    ["--timeout", "10m", .string(cli.folder + "/report.lua"), "--", "weekly"].map { $0 }
                )
        )
        guard case .array(let fires) = schedule["next_fires"] else { Issue.record("no fires"); return }
        #expect(fires.count == 5)

        let text = try await cli.run(["schedule", "show", "report"]).standardOutput
        #expect(text.contains("next fires (Europe/Paris, then UTC):") && text.contains("08:00"))

        #expect(try await cli.run(["schedule", "pause", "report"]).standardOutput == "paused report\n")
        let listed = try await cli.run(["schedule", "list"]).standardOutput
        #expect(listed.contains("report") && listed.contains("paused"))
        #expect(
            try await cli.run(["schedule", "resume", "report"]).standardOutput.hasPrefix(
                "resumed report (next fire "
            )
        )

        #expect(
            try await cli.run(["schedule", "run-now", "report"]).standardOutput.hasPrefix(
                "queued run #1 of report"
            )
        )
        let history = try Self.json(
            try await cli.run(["schedule", "history", "report", "--output", "json"]).standardOutput
        )
        guard case .array(let runs) = history, case .object(let run) = runs.first else {
            Issue.record("no runs: \(history)")
            return
        }
        #expect(run["status"] == .string("queued") && run["trigger"] == .string("manual"))

        let crontab = try await cli.run(["schedule", "export", "--format", "crontab"]).standardOutput
        #expect(crontab.contains("CRON_TZ=Europe/Paris\n0 8 * * mon cd "))
        #expect(crontab.contains("flock -n /tmp/refonte-report.lock"))
        let units = cli.folder + "/units"
        let exported = try await cli.run([
            "schedule", "export", "--format", "systemd", "--directory", units, "report",
        ])
        #expect(exported.status == 0, "\(exported.standardError)")
        let timer = try String(contentsOfFile: units + "/refonte-report.timer", encoding: .utf8)
        #expect(
            timer.contains("OnCalendar=Mon *-*-* 08:00:00 Europe/Paris") && timer.contains("Persistent=true")
        )
        let service = try String(contentsOfFile: units + "/refonte-report.service", encoding: .utf8)
        #expect(service.contains(" run --timeout 10m \(cli.folder)/report.lua -- weekly"))

        #expect(
            try await cli.run(["schedule", "remove", "report"]).standardOutput
                == "removed report and its history\n"
        )
        #expect(try await cli.run(["schedule", "list"]).standardOutput.hasPrefix("no schedules in"))
    }

    @Test func nextPrintsTheSchedulersFireTimes() async throws {
        let cli = try CLI()
        defer { cli.remove() }
        let result = try await cli.run([
            "schedule", "next", "30 2 * * *", "--timezone", "Europe/Paris", "--after", "2025-03-29T12:00:00Z",
            "--count", "2", "--output", "json",
        ])
        #expect(result.status == 0, "\(result.standardError)")
        let fires = try Self.json(result.standardOutput)
        guard case .array(let list) = fires, case .object(let first) = list.first else {
            Issue.record("\(fires)")
            return
        }
        #expect(first["utc"] == .string("2025-03-30T01:00:00Z"))
        #expect(first["local"] == .string("2025-03-30T03:00:00+02:00"))
        #expect(first["daylight_saving"] == .string("moved-out-of-gap"))
        let text = try await cli.run([
            "schedule", "next", "30 2 * * *", "--timezone", "Europe/Paris", "--after", "2025-10-25T12:00",
            "--count", "1",
        ])
        #expect(
            text.standardOutput.contains("2025-10-26T00:30:00Z   ! daylight saving: 02:30 happens twice"),
            "\(text.standardOutput)"
        )
    }
}

import Foundation
import RefonteScheduler
import Testing

@Suite("Export, store locations, times")
struct ExportAndParsingTests {
    @Test(arguments: [
        ("*/15 9-17 * * mon-fri", ["Mon,Tue,Wed,Thu,Fri *-*-* 09,10,11,12,13,14,15,16,17:00,15,30,45:00"]),
        ("0 0 13 * fri", ["Fri *-*-* 00:00:00", "*-*-13 00:00:00"]),
        ("30 2 1 jan,jul *", ["*-01,07-01 02:30:00"]),
        ("@hourly", ["*-*-* *:00:00"]),
        ("0 12 */2 * mon", ["Mon *-*-01,03,05,07,09,11,13,15,17,19,21,23,25,27,29,31 12:00:00"]),
    ])
    func systemdCalendars(_ cron: String, _ expected: [String]) throws {
        #expect(try CronExpression(cron).systemdCalendars() == expected)
    }

    @Test func exportsQuoteWhatTheyMust() throws {
        let schedule = Schedule(
            name: "odd",
            expression: try CronExpression("0 8 * * *"),
            timeZone: try TimeZoneName.zone("Europe/Paris"),
            invocation: .script(
                "/srv/my scripts/run.lua",
                arguments: ["50%", "it's"],
                workingDirectory: "/srv"
            ),
            overlap: .allow,
            createdAt: Date()
        )
        let crontab = ScheduleExport.crontab([schedule], executable: "/usr/bin/refonte")
        #expect(
            crontab.contains(
                "0 8 * * * cd /srv && /usr/bin/refonte run '/srv/my scripts/run.lua' -- 50\\% 'it'\\''s'"
            )
        )
        #expect(!crontab.contains("&& flock"), "allow needs no lock")
        let service = try #require(ScheduleExport.systemd([schedule], executable: "/usr/bin/refonte").first)
        #expect(service.name == "refonte-odd.service")
        #expect(
            service.contents.contains(
                #"ExecStart=/usr/bin/refonte run "/srv/my scripts/run.lua" -- 50%% "it's""#
            )
        )
    }

    @Test func storeLocations() throws {
        guard
            case .sqlite(let path) = try StoreLocation.parse(
                "runs.sqlite",
                environment: [:],
                currentDirectory: "/srv"
            )
        else { Issue.record("not SQLite"); return }
        #expect(path == "/srv/runs.sqlite")
        guard
            case .sqlite(let defaultPath) = try StoreLocation.parse(
                nil,
                environment: ["XDG_DATA_HOME": "/data"]
            )
        else {
            Issue.record("not SQLite")
            return
        }
        #expect(defaultPath == "/data/refonte/scheduler.sqlite")
        guard
            case .postgres(let server) = try StoreLocation.parse(
                nil,
                environment: [
                    "REFONTE_SCHEDULER_STORE": "postgresql://ops:s3cret@db.internal/sched?sslmode=verify-full"
                ]
            )
        else { Issue.record("not PostgreSQL"); return }
        #expect(server.host == "db.internal" && server.port == 5432 && server.database == "sched")
        #expect(server.username == "ops" && server.password == "s3cret" && server.sslMode == .verifyFull)
        #expect(server.description == "postgres://ops@db.internal:5432/sched?sslmode=verify-full")
        guard
            case .postgres(let fromEnvironment) = try StoreLocation.parse(
                "postgres://db/x",
                environment: ["PGPASSWORD": "pw", "USER": "me"]
            )
        else { Issue.record("not PostgreSQL"); return }
        #expect(fromEnvironment.password == "pw" && fromEnvironment.username == "me")
    }

    @Test func instants() throws {
        let paris = try TimeZoneName.zone("Europe/Paris")
        #expect(try InstantText.parse("2025-03-30T03:00:00+02:00", in: .gmt) == utc("2025-03-30T01:00:00Z"))
        #expect(try InstantText.parse("2025-03-30T03:00", in: paris) == utc("2025-03-30T01:00:00Z"))
        #expect(
            try InstantText.parse("2025-10-26 02:30", in: paris) == utc("2025-10-26T00:30:00Z"),
            "the first of two"
        )
        #expect(try InstantText.parse("2025-01-01", in: paris) == utc("2024-12-31T23:00:00Z"))
        #expect(TimeText.iso(utc("2025-03-30T01:00:00Z"), in: paris) == "2025-03-30T03:00:00+02:00")
        #expect(
            TimeText.iso(utc("2025-03-30T01:00:00Z"), in: try TimeZoneName.zone("America/Santiago"))
                == "2025-03-29T22:00:00-03:00"
        )
    }
}

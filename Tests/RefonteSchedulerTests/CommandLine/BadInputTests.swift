import Foundation
import TestHelpers
import Testing

/// Bad input everywhere gets a clear error naming the flag or field and what it takes, exit 2,
/// and writes nothing.
@Suite("Schedule commands: bad input")
struct BadInputTests {
    @Test(arguments: [
        (
            ["--cron", "0 25 * * *"],
            ["--cron: hour: 25 is out of range; hour takes 0-23", "  0 25 * * *", "    ^^"]
        ),
        (["--cron", "@hourlyy"], ["unknown macro @hourlyy (did you mean @hourly?)"]),
        (["--cron", "* * * *"], ["expected 5 fields"]),
        (
            ["--timezone", "Europe/Pariss"],
            ["--timezone \"Europe/Pariss\" is not a time zone (did you mean Europe/Paris?)"]
        ),
        (["--overlap", "sometimes"], ["--overlap \"sometimes\": expected forbid, allow, replace"]),
        (["--catch-up", "maybe"], ["--catch-up \"maybe\": expected none, once, all"]),
        (["--catch-up-window", "6 hours"], ["--catch-up-window: '6 hours' is not a duration"]),
        (["--timeout", "soon"], ["--timeout: 'soon' is not a duration"]),
        (["--max-memory", "lots"], ["--max-memory: 'lots' is not a size"]),
        (["--allow-env", "A=B"], ["--allow-env: 'A=B' is not an environment variable name"]),
        (["--profile", ""], ["--profile: expected a profile name"]),
        (["--script", "missing.lua"], ["--script missing.lua: no such file"]),
    ])
    func addRefusesAndWritesNothing(_ change: [String], _ messages: [String]) async throws {
        let cli = try CLI()
        defer { cli.remove() }
        _ = try cli.write("job.lua", "print(1)")
        var options = ["--cron": "0 2 * * *", "--script": "job.lua"]
        var extra: [String] = []
        var index = 0
        while index + 1 < change.count {
            if options[change[index]] != nil {
                options[change[index]] = change[index + 1]
            } else {
                extra += [change[index], change[index + 1]]
            }
            index += 2
        }
        let arguments = ["schedule", "add", "nightly"] + options.flatMap { [$0.key, $0.value] } + extra
        let result = try await cli.run(arguments)
        #expect(result.status == 2, "\(change): \(result.standardError)")
        for message in messages {
            #expect(result.standardError.contains(message), "\(change): \(result.standardError)")
        }
        #expect(result.standardError.hasPrefix("refonte schedule add: "))
        #expect(result.standardOutput.isEmpty)
        #expect(!FileManager.default.fileExists(atPath: cli.storePath), "nothing is written")
    }

    @Test func aBadNameAndATakenName() async throws {
        let cli = try CLI()
        defer { cli.remove() }
        _ = try cli.write("job.lua", "print(1)")
        let bad = try await cli.run([
            "schedule", "add", "night ly", "--cron", "@daily", "--script", "job.lua",
        ])
        #expect(
            bad.status == 2 && bad.standardError.contains("schedule name \"night ly\": use letters, digits")
        )

        #expect(
            try await cli.run(["schedule", "add", "nightly", "--cron", "@daily", "--script", "job.lua"])
                .status == 0
        )
        let again = try await cli.run([
            "schedule", "add", "nightly", "--cron", "@hourly", "--script", "job.lua",
        ])
        #expect(again.status == 2 && again.standardError.contains("a schedule named nightly exists already"))
        let shown = try await cli.run(["schedule", "show", "nightly", "--output", "json"])
        #expect(shown.standardOutput.contains("\"cron\":\"@daily\""), "the first schedule is unchanged")
    }

    @Test func unknownSchedules() async throws {
        let cli = try CLI()
        defer { cli.remove() }
        _ = try cli.write("job.lua", "print(1)")
        #expect(
            try await cli.run(["schedule", "add", "nightly", "--cron", "@daily", "--script", "job.lua"])
                .status == 0
        )
        for command in ["show", "pause", "resume", "remove", "run-now", "history"] {
            let result = try await cli.run(["schedule", command, "nigthly"])
            #expect(result.status == 2, "\(command): \(result.standardError)")
            #expect(
                result.standardError.contains("no schedule named nigthly (did you mean nightly?)"),
                "\(command): \(result.standardError)"
            )
        }
        let export = try await cli.run(["schedule", "export", "--format", "cron"])
        #expect(
            export.status == 2
                && export.standardError.contains("--format \"cron\": expected crontab or systemd")
        )
    }

    @Test(arguments: [
        ("mysql://db/refonte", 2, "--store mysql://…: unsupported store"),
        ("postgres://refonte:hunter2@db:99999/refonte", 2, "port 99999 is out of range"),
        (
            "postgres://db/refonte?sslmode=maybe", 2,
            "sslmode=maybe is not supported; use disable, prefer, require, verify-full"
        ),
        ("postgres://db/refonte?timeout=3", 2, "unknown parameter timeout"),
        ("postgres:///refonte", 2, "the host is missing"),
        (
            "postgres://refonte:hunter2@127.0.0.1:1/refonte?sslmode=disable", 1,
            "cannot open the schedule store at postgres://refonte@127.0.0.1:1/refonte"
        ),
    ])
    func storeURLs(_ store: String, _ status: Int32, _ message: String) async throws {
        let cli = try CLI()
        defer { cli.remove() }
        let result = try await cli.run(["schedule", "list", "--store", store])
        #expect(result.status == status, "\(result.standardError)")
        #expect(result.standardError.contains(message), "\(result.standardError)")
        #expect(!result.standardError.contains("hunter2"), "the password never shows")
    }

    @Test(arguments: [
        (["--keep-runs", "0"], "--keep-runs 0: expected 1 or more"),
        (["--grace", "later"], "--grace: 'later' is not a duration"),
        (["--poll", "0s"], "--poll: '0s' is not a duration"),
        (["--lease", "5s", "--poll", "5s"], "--lease 5s must be at least twice --poll 5s"),
        (["--store", "ftp://x"], "unsupported store"),
    ])
    func schedulerOptions(_ arguments: [String], _ message: String) async throws {
        let cli = try CLI()
        defer { cli.remove() }
        let result = try await cli.run(["scheduler"] + arguments)
        #expect(result.status == 2, "\(result.standardError)")
        #expect(result.standardError.contains(message), "\(result.standardError)")
        #expect(!FileManager.default.fileExists(atPath: cli.storePath))
    }

    @Test(arguments: [
        (["0 0 31 feb *"], "no chosen day of month exists in feb"),
        (["@daily", "--timezone", "Mars/Olympus"], "is not a time zone"),
        (["@daily", "--after", "tomorrow"], "--after \"tomorrow\": not a date and time"),
        (
            ["@daily", "--after", "2025-03-30T02:30", "--timezone", "Europe/Paris"],
            "that time does not exist in Europe/Paris"
        ),
        (["@daily", "--count", "0"], "--count 0: expected 1 to 1000"),
    ])
    func nextRefuses(_ arguments: [String], _ message: String) async throws {
        let cli = try CLI()
        defer { cli.remove() }
        let result = try await cli.run(["schedule", "next"] + arguments)
        #expect(result.status == 2, "\(result.standardError)")
        #expect(result.standardError.contains(message), "\(result.standardError)")
    }

    @Test func historyLimit() async throws {
        let cli = try CLI()
        defer { cli.remove() }
        let result = try await cli.run(["schedule", "history", "x", "--limit", "0"])
        #expect(
            result.status == 2 && result.standardError.contains("--limit 0: expected 1 or more"),
            "\(result.standardError)"
        )
    }
}

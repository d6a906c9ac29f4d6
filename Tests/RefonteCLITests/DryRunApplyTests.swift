import Foundation
import RefonteAPI
import RefonteSandbox
import TestHelpers
import Testing

/// `refonte run --dry-run`, `refonte apply` and the audit log, as a user runs them against a
/// sandbox over real HTTP.
@Suite("Dry runs, plans and apply", .serialized)
struct DryRunApplyTests {
    /// The arguments each example needs; a new example must be added here.
    static let exampleArguments: [String: [String]] = [
        "cleanup_disabled.lua": [],
        "hello.lua": ["from the dry-run test"],
        "move_to_consensus.lua": ["Street Scenes", "3"],
        "onboard_labelers.lua": ["examples/labelers.csv"],
        "quality_report.lua": [],
        "rebalance_priorities.lua": [],
    ]

    static let writesScript = "scripts/bench.d/writes.lua"

    @Test func everyExampleDryRunsWithoutSendingAWrite() async throws {
        let fixture = try await SandboxFixture.start()
        defer { fixture.removeHome() }
        let before = try await fixture.state()
        let examples = try FileManager.default.contentsOfDirectory(
            atPath: RunCLI.repositoryRoot.appendingPathComponent("examples").path
        ).filter { $0.hasSuffix(".lua") }.sorted()
        #expect(Set(examples) == Set(Self.exampleArguments.keys), "every example needs its arguments here")
        var planned = 0
        for example in examples {
            let output = try await fixture.refonte(
                ["run", "--dry-run", "examples/\(example)", "--"],
                Self.exampleArguments[example] ?? []
            )
            #expect(output.status == 0, "\(example): \(output.standardError)")
            if output.standardError.contains(" × ") { planned += 1 }
            #expect(
                output.standardError.contains("Plan plan_"),
                "\(example): a dry run always shows its plan"
            )
        }
        // onboard, cleanup, move to consensus and rebalance all plan writes.
        #expect(planned == 4)
        let counts = try await fixture.requestCounts()
        #expect(counts.writes == 0)
        #expect(counts.total > 0)
        #expect(try await fixture.state() == before)
        await fixture.stop()
    }

    @Test func aDryRunShowsPlaceholdersAndItsPlan() async throws {
        let fixture = try await SandboxFixture.start()
        defer { fixture.removeHome() }
        let script = """
            local group = refonte.studio.groups.create { project = "Street Scenes", name = "Dry", emails = {} }
            print(refonte.env.dry_run, group.name, group.numWorkers, tostring(group.id), refonte.is_unknown(group.id))
            print("id: " .. group.id, json.encode({ id = group.id }))
            print(pcall(function() return group.id.x end))
            """
        let plan = fixture.home.appendingPathComponent("plan.json").path
        let output = try await fixture.refonte(["run", "--dry-run", "--plan-out", plan, "-e", script], [])
        #expect(output.status == 0, "\(output.standardError)")
        let lines = output.standardOutput.split(separator: "\n").map(String.init)
        #expect(lines.first == "true\tDry\t0\t(known after apply)\ttrue")
        #expect(lines.dropFirst().first == "id: (known after apply)\t{\"id\":\"(known after apply)\"}")
        #expect(lines.last?.hasPrefix("false\t") == true)
        #expect(lines.last?.contains("this value has no fields") == true)
        #expect(output.standardError.contains("refonte.studio.groups.create × 1"))
        #expect(
            output.standardError.contains(
                #"1. POST /studio/projects/Street%20Scenes/groups  {"emails":[],"name":"Dry"}"#
            )
        )
        #expect(output.standardError.contains("writes     1 planned, none sent (dry run)"))
        let saved = try Plan.decode(Array(try Data(contentsOf: URL(fileURLWithPath: plan))))
        #expect(saved.writes.count == 1)
        #expect(saved.target == .account(baseURL: fixture.sandbox.baseURL))
        #expect(try await fixture.requestCounts().writes == 0)

        // A script that fails shows what it had planned, and saves no plan to apply.
        let failing = fixture.home.appendingPathComponent("failing.json").path
        let failed = try await fixture.refonte(
            ["run", "--dry-run", "--plan-out", failing, "-e", script + "\nerror('late')"],
            []
        )
        #expect(failed.status == 1)
        #expect(failed.standardError.contains("refonte.studio.groups.create × 1"))
        #expect(
            failed.standardError.contains("the script did not finish, so no plan was written to \(failing)")
        )
        #expect(!FileManager.default.fileExists(atPath: failing))

        // REFONTE_DRY_RUN=1 is the same as --dry-run.
        var environment = fixture.environment
        environment["REFONTE_DRY_RUN"] = "1"
        let fromEnvironment = try await RunCLI.run(
            ["run", "--base-url", fixture.sandbox.baseURL, "-e", script],
            environment: environment
        )
        #expect(fromEnvironment.standardOutput.hasPrefix("true\tDry"))
        #expect(try await fixture.requestCounts().writes == 0)
        await fixture.stop()
    }

    /// Plan, then apply, ends where a direct run ends.
    @Test func planThenApplyEndsWhereADirectRunEnds() async throws {
        let direct = try await SandboxFixture.start()
        defer { direct.removeHome() }
        let run = try await direct.refonte(
            ["run", "--rate", "off", Self.writesScript, "--"],
            ["24", "same"]
        )
        #expect(run.status == 0, "\(run.standardError)")

        let planned = try await SandboxFixture.start()
        defer { planned.removeHome() }
        let plan = planned.home.appendingPathComponent("plan.json").path
        let dry = try await planned.refonte(
            ["run", "--dry-run", "--plan-out", plan, "--rate", "off", Self.writesScript, "--"],
            ["24", "same"]
        )
        #expect(dry.status == 0, "\(dry.standardError)")
        #expect(dry.standardOutput == run.standardOutput)
        #expect(try await planned.requestCounts().writes == 0)
        let apply = try await planned.refonte(["apply", "--yes", "--rate", "off", plan], [])
        #expect(apply.status == 0, "\(apply.standardError)")
        #expect(apply.standardError.contains("[24/24] refonte.tasks.create"))
        #expect(apply.standardError.contains("writes     24 made"))
        #expect(try await planned.requestCounts().writes == 24)
        #expect(try await planned.state() == (try await direct.state()))
        await direct.stop()
        await planned.stop()
    }

    @Test func applyIsRefusedWhenAReadDrifted() async throws {
        let fixture = try await SandboxFixture.start()
        defer { fixture.removeHome() }
        let plan = fixture.home.appendingPathComponent("plan.json").path
        let dry = try await fixture.refonte(
            ["run", "--dry-run", "--plan-out", plan, "examples/onboard_labelers.lua", "--"],
            ["examples/labelers.csv"]
        )
        #expect(dry.status == 0, "\(dry.standardError)")
        // A teammate's role changes between plan and apply.
        guard case .array(let team) = try await fixture.get("/v1/teams"),
            let member = team.first(where: { $0.value(at: ["role"]) == "member" })?.value(at: ["email"])
        else { throw FixtureError("no member in the demo team") }
        try await fixture.post(
            "/v1/teams/set_role",
            #"{"emails":[\#(member.jsonText)],"team_role":"manager"}"#
        )
        let writesBefore = try await fixture.requestCounts().writes

        let apply = try await fixture.refonte(["apply", "--yes", plan], [])
        #expect(apply.status == 1)
        #expect(
            apply.standardError.contains("is stale: 1 of the 4 reads it was based on answer differently now")
        )
        #expect(apply.standardError.contains("refonte.teams.list GET /teams: a different answer"))
        #expect(try await fixture.requestCounts().writes == writesBefore)
        await fixture.stop()
    }

    @Test func applyRefusesPlansItCannotTrust() async throws {
        let fixture = try await SandboxFixture.start()
        defer { fixture.removeHome() }
        let plan = fixture.home.appendingPathComponent("plan.json").path
        let dry = try await fixture.refonte(
            ["run", "--dry-run", "--plan-out", plan, "-e", #"refonte.tasks.cancel{task_id = "nope"}"#],
            []
        )
        #expect(dry.status == 0, "\(dry.standardError)")
        let text = try String(contentsOfFile: plan, encoding: .utf8)

        // Without a terminal, --yes is needed.
        let piped = try await fixture.refonte(["apply", plan], [])
        #expect(piped.status == 2)
        #expect(piped.standardError.contains("standard input is not a terminal: give --yes"))

        // Another base URL.
        let elsewhere = try await RunCLI.run(
            ["apply", "--yes", "--base-url", "http://127.0.0.1:9/v1", plan],
            environment: fixture.environment
        )
        #expect(elsewhere.status == 1)
        #expect(
            elsewhere.standardError.contains(
                "was made for \(fixture.sandbox.baseURL), and this apply would go to http://127.0.0.1:9/v1"
            )
        )

        // A malformed plan and an unknown version name the field.
        let broken = fixture.home.appendingPathComponent("broken.json").path
        try text.replacingOccurrences(of: #""method": "POST""#, with: #""method": 7"#)
            .write(toFile: broken, atomically: true, encoding: .utf8)
        let malformed = try await fixture.refonte(["apply", "--yes", broken], [])
        #expect(malformed.status == 2)
        #expect(malformed.standardError.contains("field writes[0].method: expected a string, got 7"))
        try text.replacingOccurrences(of: #""version": 1"#, with: #""version": 9"#)
            .write(toFile: broken, atomically: true, encoding: .utf8)
        let future = try await fixture.refonte(["apply", "--yes", broken], [])
        #expect(future.status == 2)
        #expect(
            future.standardError.contains(
                "field version: this refonte reads plans of version 1, and this one is version 9"
            )
        )

        // Applied once (the write fails: no such task); the plan is not applied again.
        let first = try await fixture.refonte(["apply", "--yes", plan], [])
        #expect(first.status == 1)
        #expect(first.standardError.contains("stopped at write 1 of 1"))
        #expect(first.standardError.contains("made: none"))
        let again = try await fixture.refonte(["apply", "--yes", plan], [])
        #expect(again.status == 1)
        #expect(again.standardError.contains("was applied before"))
        #expect(try await fixture.requestCounts().writes == 1)
        await fixture.stop()
    }

    /// Against a sandbox that fails on purpose, every write of the script takes effect once:
    /// no task twice, no assignment or group member missing.
    @Test func writesHappenExactlyOnceDespiteFaults() async throws {
        let faulty = try await SandboxFixture.start(
            faults: Faults(error: 0.2, throttle: 0.1, reset: 0.02, lateError: 0.05)
        )
        defer { faulty.removeHome() }
        let people = 10
        let run = try await faulty.refonte(
            ["run", "--rate", "off", "--output", "json", Self.writesScript, "--"],
            ["\(4 * people)", "faults", "4"]
        )
        #expect(run.status == 0, "\(run.standardError)")
        let summary = try JSONValue.parse(String(run.standardOutput.split(separator: "\n").last ?? ""))
        guard case .integer(let retries)? = summary.value(at: ["retries"]) else {
            throw FixtureError("no summary in \(run.standardOutput)")
        }
        #expect(retries > 0)
        #expect(summary.value(at: ["writes", "made"]) == .integer(Int64(4 * people)))
        await faulty.stop()

        // A sandbox without faults on the same data tells what happened.
        let clean = try await SandboxFixture.start(database: faulty.database)
        defer { clean.removeHome() }
        let emails = (1...people).map { String(format: "faults-%04d@example.com", $0) }
        // Assignments list active teammates: the invited ones accept first.
        for email in emails { try await clean.post("/sandbox/teams/accept", #"{"email":"\#(email)"}"#) }
        guard case .array(let team) = try await clean.get("/v1/teams") else { throw FixtureError("no team") }
        for email in emails {
            #expect(team.filter { $0.value(at: ["email"]) == .string(email) }.count == 1, "\(email)")
        }
        let assignments = try await clean.get("/v1/studio/assignments")
        for email in emails {
            #expect(assignments.value(at: [email]) == ["Street Scenes"], "\(email)")
        }
        guard case .array(let groups) = try await clean.get("/v1/studio/projects/Street%20Scenes/groups"),
            let group = groups.first(where: { $0.value(at: ["name"]) == "faults group" })
        else { throw FixtureError("no group") }
        let workers = Set(
            (group.value(at: ["workers"]).map { [$0] } ?? []).flatMap { value -> [String] in
                guard case .array(let items) = value else { return [] }
                return items.compactMap {
                    if case .string(let e)? = $0.value(at: ["email"]) { e } else { nil }
                }
            }
        )
        #expect(workers == Set(emails))
        var instructions: [String] = []
        var token: String?
        repeat {
            let page = try await clean.get(
                "/v1/tasks?project=Street%20Scenes&limit=100" + (token.map { "&next_token=\($0)" } ?? "")
            )
            if case .array(let docs)? = page.value(at: ["docs"]) {
                for case .string(let text)? in docs.map({ $0.value(at: ["instruction"]) })
                where text.hasPrefix("faults task ") {
                    instructions.append(text)
                }
            }
            if case .string(let next)? = page.value(at: ["next_token"]) { token = next } else { token = nil }
        } while token != nil
        #expect(instructions.sorted() == (1...people).map { "faults task \($0)" }.sorted())

        // The audit log holds every write once, applied, and its chain verifies.
        let entries = try AuditEntry.all(in: faulty.auditLog)
        #expect(entries.count == 4 * people)
        #expect(entries.allSatisfy { $0.string("outcome") == "applied" })
        let verify = try await RunCLI.run(
            ["audit", "verify", faulty.auditLog],
            environment: faulty.environment
        )
        #expect(verify.status == 0, "\(verify.standardError)")
        await clean.stop()
    }

    @Test func auditVerifyNamesAnEditedAndADeletedLine() async throws {
        let fixture = try await SandboxFixture.start()
        defer { fixture.removeHome() }
        let run = try await fixture.refonte(
            ["run", "--rate", "off", Self.writesScript, "--"],
            ["8", "audit"]
        )
        #expect(run.status == 0, "\(run.standardError)")
        let verify = try await RunCLI.run(["audit", "verify"], environment: fixture.environment)
        #expect(verify.status == 0)
        #expect(verify.standardOutput.contains("8 records, chain intact"))
        let show = try await RunCLI.run(
            ["audit", "show", "--output", "json"],
            environment: fixture.environment
        )
        guard case .array(let records) = try JSONValue.parse(show.standardOutput) else {
            throw FixtureError("audit show --output json: \(show.standardOutput)")
        }
        #expect(records.count == 8)
        #expect(records.allSatisfy { $0.value(at: ["script", "path"]) == .string(Self.writesScript) })

        let original = try String(contentsOfFile: fixture.auditLog, encoding: .utf8)
        var lines = original.split(separator: "\n").map(String.init)
        lines[4] = lines[4].replacingOccurrences(of: #""status":200"#, with: #""status":201"#)
        try (lines.joined(separator: "\n") + "\n").write(
            toFile: fixture.auditLog,
            atomically: true,
            encoding: .utf8
        )
        let edited = try await RunCLI.run(["audit", "verify"], environment: fixture.environment)
        #expect(edited.status == 1)
        #expect(edited.standardError.contains("line 5: it was edited"))

        lines = original.split(separator: "\n").map(String.init)
        lines.remove(at: 2)
        try (lines.joined(separator: "\n") + "\n").write(
            toFile: fixture.auditLog,
            atomically: true,
            encoding: .utf8
        )
        let deleted = try await RunCLI.run(
            ["audit", "verify", fixture.auditLog],
            environment: fixture.environment
        )
        #expect(deleted.status == 1)
        #expect(deleted.standardError.contains("line 3: 1 line was deleted before it"))
        await fixture.stop()
    }

    /// Two processes writing to one audit log at once keep one intact chain (`flock`).
    @Test func twoRunsAtOnceKeepOneAuditChain() async throws {
        let fixture = try await SandboxFixture.start()
        defer { fixture.removeHome() }
        // RunCLI waits off the cooperative pool, so the two runs overlap.
        func inBackground(_ tag: String) async throws -> RunCLI.Output {
            try await fixture.refonte(["run", "--rate", "off", Self.writesScript, "--"], ["40", tag])
        }
        async let first = inBackground("first")
        async let second = inBackground("second")
        let runs = try await [first, second]
        for run in runs { #expect(run.status == 0, "\(run.standardError)") }
        let verify = try await RunCLI.run(["audit", "verify"], environment: fixture.environment)
        #expect(verify.status == 0, "\(verify.standardError)")
        #expect(verify.standardOutput.contains("80 records, chain intact"))
        let runIDs = Set(try AuditEntry.all(in: fixture.auditLog).compactMap { $0.string("run_id") })
        #expect(runIDs.count == 2)
        await fixture.stop()
    }

    /// A client set to the sandbox's own rate earns no 429, and the summary shows the time it
    /// held calls back. (How long it takes is measured in scripts/bench, not asserted here.)
    @Test func aClientAtTheServersRateEarnsNo429() async throws {
        let fixture = try await SandboxFixture.start(rateLimit: RateLimit(perSecond: 40))
        defer { fixture.removeHome() }
        let script = """
            local tasks = {}
            for w = 1, 16 do
              tasks[w] = spawn(function() for _ = 1, 5 do refonte.teams.list() end end)
            end
            for _, t in ipairs(tasks) do t:wait() end
            """
        let output = try await fixture.refonte(
            ["run", "--rate", "40/s", "--output", "json", "-e", script],
            []
        )
        #expect(output.status == 0, "\(output.standardError)")
        let summary = try JSONValue.parse(
            output.standardOutput.trimmingCharacters(in: .whitespacesAndNewlines)
        )
        #expect(summary.value(at: ["calls_total"]) == 80)
        #expect(summary.value(at: ["rate_limit"]) == "40/s (burst 40)")
        guard case .double(let throttled)? = summary.value(at: ["throttled_seconds"]) else {
            throw FixtureError("no throttled time in \(summary)")
        }
        #expect(throttled > 1)
        let counts = try await fixture.requestCounts()
        #expect(counts.total == 80)
        #expect(counts.statuses["429"] == nil)
        await fixture.stop()
    }

    @Test func theSummaryIsOneJSONObjectAfterTheScriptsOutput() async throws {
        let fixture = try await SandboxFixture.start()
        defer { fixture.removeHome() }
        let output = try await fixture.refonte(
            ["run", "--output", "json", "-e", #"print("first"); refonte.teams.list(); print("last")"#],
            []
        )
        #expect(output.status == 0, "\(output.standardError)")
        let lines = output.standardOutput.split(separator: "\n").map(String.init)
        #expect(lines.count == 3)
        #expect(lines[0] == "first" && lines[1] == "last")
        let summary = try JSONValue.parse(lines[2])
        #expect(summary.value(at: ["calls"]) == ["teams.list": 1])
        #expect(summary.value(at: ["status"]) == "ok")
        #expect(summary.value(at: ["writes"]) == ["made": 0, "failed": 0, "planned": 0])
        #expect(!output.standardError.contains("refonte: run run_"))
        await fixture.stop()
    }
}

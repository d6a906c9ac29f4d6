import Foundation
import TestHelpers
import Testing

/// `refonte repl` without a terminal: statements from standard input, results on standard
/// output, no prompts, so a session can be scripted.
@Suite struct REPLPipedTests {
    func repl(
        _ input: String,
        _ arguments: [String] = [],
        environment extra: [String: String] = [:]
    ) async throws -> RunCLI.Output {
        let home = try REPLHome()
        defer { home.remove() }
        return try await RunCLI.run(
            ["repl"] + arguments,
            input: input,
            in: home.folder,
            environment: home.environment(extra)
        )
    }

    @Test func statementsRunAndExpressionsPrint() async throws {
        let output = try await repl("1 + 1\nlocal x = 5\nx * 2\nprint('printed')\n")
        #expect(output.status == 0, "\(output.standardError)")
        #expect(output.standardOutput == "2\n10\nprinted\n")
        #expect(output.standardError.isEmpty)
    }

    @Test func aStatementOverSeveralLines() async throws {
        let output = try await repl(
            "function add(a, b)\n  return a + b\nend\nadd(2, 3)\nlocal t = {\n  1,\n  2,\n}\n#t\n"
        )
        #expect(output.status == 0, "\(output.standardError)")
        #expect(output.standardOutput == "5\n2\n")
    }

    /// `os.exit(code)` ends the session with that code, as lua.c's does; nothing after it runs.
    @Test func osExitEndsTheSessionWithItsCode() async throws {
        let output = try await repl("print('before')\nos.exit(42)\nprint('after')\n")
        #expect(output.status == 42, "\(output.standardError)")
        #expect(output.standardOutput == "before\n")
    }

    @Test func anErrorIsReportedAndTheNextStatementsRun() async throws {
        let output = try await repl("local kept = 'k'\nerror('boom')\nx = = 1\nkept\n")
        #expect(output.status == 1)
        #expect(output.standardError.contains("stdin:1: boom"))
        #expect(output.standardError.contains("stdin:1: unexpected symbol near '='"))
        #expect(output.standardOutput == "\"k\"\n")
    }

    @Test func theInputEndingInsideAStatementIsAnError() async throws {
        let output = try await repl("function f(\n")
        #expect(output.status == 1)
        #expect(output.standardError.contains("<eof>"))
    }

    @Test func aLimitStopsOneStatementAndTheSessionGoesOn() async throws {
        let output = try await repl("while true do end\n'after'\n", ["--timeout", "300ms"])
        #expect(output.status == 3)
        #expect(output.standardError.contains("statement stopped: time limit of 300ms exceeded (--timeout)"))
        #expect(output.standardOutput == "\"after\"\n")
    }

    @Test func helpForAnOperationIsWhatOpsDescribeShows() async throws {
        let output = try await repl(".help teams.invite\n")
        let describe = try await RunCLI.run(["ops", "describe", "teams.invite"])
        #expect(output.status == 0)
        #expect(output.standardOutput == describe.standardOutput)
        let unknown = try await repl(".help teams.invit\n")
        #expect(unknown.status == 1)
        #expect(
            unknown.standardError.contains(
                ".help: unknown operation 'teams.invit'; did you mean 'teams.invite'?"
            )
        )
        let list = try await repl(".help\n.nope\n")
        #expect(list.standardOutput.contains(".load FILE"))
        #expect(list.standardError.contains("unknown command .nope"))
    }

    @Test func loadGoesThroughTheJail() async throws {
        let home = try REPLHome()
        defer { home.remove() }
        let script = home.folder.appendingPathComponent("lib.lua")
        try "local hidden = 1\nshared = 'from file'\nreturn { answer = 42 }\n".write(
            to: script,
            atomically: true,
            encoding: .utf8
        )
        let refused = try await RunCLI.run(
            ["repl"],
            input: ".load lib.lua\n",
            in: home.folder,
            environment: home.environment()
        )
        #expect(refused.status == 1)
        #expect(refused.standardError.contains(".load"))
        #expect(refused.standardError.contains("--allow-read"))
        let loaded = try await RunCLI.run(
            ["repl", "--allow-read", script.path],
            input: ".load lib.lua\nshared\nhidden\n_1.answer\n",
            in: home.folder,
            environment: home.environment()
        )
        #expect(loaded.status == 0, "\(loaded.standardError)")
        #expect(loaded.standardOutput == "{ answer = 42 }\n\"from file\"\nnil\n42\n")
    }

    @Test func theSameJailAsScripts() async throws {
        let output = try await repl("os.execute('id')\nos.getenv('REFONTE_API_KEY')\n")
        #expect(output.standardError.contains("os.execute is not available in refonte scripts"))
        #expect(output.standardError.contains("REFONTE_API_KEY holds the API key"))
    }

    @Test func theKeyNeverReachesTheEchoAndProfileMasksIt() async throws {
        let key = "test_repl_leakcanary_9876543210"
        let output = try await repl(
            "'\(key)'\n.profile\n",
            environment: ["REFONTE_API_KEY": key, "REFONTE_BASE_URL": "http://127.0.0.1:9/v1"]
        )
        #expect(!output.standardOutput.contains(key))
        #expect(!output.standardError.contains(key))
        #expect(output.standardOutput.contains("\"test_re****\""))
        #expect(
            output.standardOutput.contains(
                "api key:   test_re**** (test mode), from environment variable REFONTE_API_KEY"
            )
        )
        #expect(output.standardOutput.contains("base url:  http://127.0.0.1:9/v1"))
    }

    @Test func withoutAKeyCallsGoToTheEmbeddedSandbox() async throws {
        let output = try await repl("#refonte.teams.list() > 0\nrefonte.env.sandbox\n.profile\n")
        #expect(output.status == 0, "\(output.standardError)")
        #expect(output.standardOutput.hasPrefix("true\ntrue\n"))
        #expect(output.standardOutput.contains("the embedded sandbox at http://127.0.0.1:"))
        #expect(output.standardError.contains("no API key is configured: using the embedded sandbox"))
    }

    @Test func dryOnPlansTheWritesThatFollowAndDryOffSendsThemAgain() async throws {
        let home = try REPLHome()
        defer { home.remove() }
        let input = """
            local before = #refonte.teams.list()
            .dry on
            refonte.env.dry_run
            refonte.teams.invite { emails = { "planned@example.com" }, role = "labeler" }
            local task = refonte.tasks.create { type = "categorization", project = refonte.projects.list()[1].name, instruction = "pick", callback_url = "https://example.com/cb", attachment = "https://example.com/a.png", categories = { "a", "b" } }
            task.task_id, "(known after apply)"
            #refonte.teams.list() - before
            .plan plan.json
            .dry off
            .dry
            refonte.env.dry_run
            refonte.tasks.get { task_id = task.task_id }
            refonte.teams.invite { emails = { "sent@example.com" }, role = "labeler" }
            #refonte.teams.list() - before
            .plan

            """
        let output = try await RunCLI.run(
            ["repl"],
            input: input,
            in: home.folder,
            environment: home.environment()
        )
        let lines = output.standardOutput.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(output.status == 1, "\(output.standardError)")
        // The planned invite's answer, then the placeholder apart from a string of its text.
        #expect(lines.first == "true")
        #expect(output.standardOutput.contains("(known after apply)\n\"(known after apply)\"\n0\n"))
        #expect(output.standardOutput.contains("Plan plan_"))
        #expect(output.standardOutput.contains("2 writes (dry run: nothing was sent)"))
        #expect(output.standardOutput.contains("refonte.teams.invite × 1"))
        #expect(output.standardOutput.contains("planned@example.com"))
        #expect(output.standardOutput.contains("writes are sent (.dry on plans them instead)\nfalse\n"))
        // Sent once writes are live again; the plan stays as it was.
        #expect(output.standardOutput.contains("\n1\nPlan plan_"))
        let lastPlan = output.standardOutput.components(separatedBy: "Plan plan_").last ?? ""
        #expect(lastPlan.contains("2 writes") && !lastPlan.contains("sent@example.com"))
        #expect(output.standardError.contains("dry run: the writes that follow are planned, not sent"))
        #expect(output.standardError.contains("the plan (2 writes) is in plan.json"))
        // A value planned in the dry spell never reaches the server.
        #expect(
            output.standardError.contains(
                "refonte.tasks.get failed: bad_request: not sent: an argument is (known after apply)"
            )
        )
        let plan = home.folder.appendingPathComponent("plan.json")
        let attributes = try FileManager.default.attributesOfItem(atPath: plan.path)
        #expect((attributes[.posixPermissions] as? Int) == 0o600)
        #expect(try String(contentsOf: plan, encoding: .utf8).contains("planned@example.com"))
        // The audit log has the planned and the sent write.
        let audit = try String(
            contentsOfFile: home.folder.appendingPathComponent("state/refonte/audit.jsonl").path,
            encoding: .utf8
        )
        #expect(audit.contains("\"planned\""))
        #expect(audit.contains("\"applied\""))
    }

    @Test func aSessionStartedWithDryRunSavesItsPlanWithPlanOut() async throws {
        let home = try REPLHome()
        defer { home.remove() }
        let output = try await RunCLI.run(
            ["repl", "--dry-run", "--plan-out", "session-plan.json"],
            input:
                "refonte.env.dry_run\nrefonte.teams.invite { emails = { \"later@example.com\" }, role = \"labeler\" }\n",
            in: home.folder,
            environment: home.environment()
        )
        #expect(output.status == 0, "\(output.standardError)")
        #expect(output.standardOutput.hasPrefix("true\n"))
        #expect(output.standardError.contains("the session's plan (1 write) is in session-plan.json"))
        let plan = try String(
            contentsOf: home.folder.appendingPathComponent("session-plan.json"),
            encoding: .utf8
        )
        #expect(plan.contains("later@example.com"))
        let without = try await repl("1\n", ["--plan-out", "x.json"])
        #expect(without.status == 2)
        #expect(without.standardError.contains("--plan-out needs --dry-run"))
    }

    @Test func ppIsAGlobalForScriptsToo() async throws {
        let output = try await RunCLI.run(["run", "-e", "pp({ b = 1, a = { 1, 2 }, n = json.null })"])
        #expect(output.status == 0, "\(output.standardError)")
        #expect(output.standardOutput == "{ a = { 1, 2 }, b = 1, n = json.null }\n")
        let bad = try await RunCLI.run(["run", "-e", "pp({}, { depth = 0 })"])
        #expect(bad.status == 1)
        #expect(
            bad.standardError.contains("pp: argument #2 (options.depth) must be a whole number of at least 1")
        )
    }
}

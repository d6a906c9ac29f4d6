import Foundation
import Testing

/// `refonte repl` without a terminal: statements from standard input, results on standard
/// output, no prompts, so a session can be scripted.
@Suite struct REPLPipedTests {
    func repl(
        _ input: String,
        _ arguments: [String] = [],
        environment extra: [String: String] = [:]
    ) throws -> RunCLI.Output {
        let home = try REPLHome()
        defer { home.remove() }
        return try RunCLI.run(["repl"] + arguments, input: input, in: home.folder, environment: home.environment(extra))
    }

    @Test func statementsRunAndExpressionsPrint() throws {
        let output = try repl("1 + 1\nlocal x = 5\nx * 2\nprint('printed')\n")
        #expect(output.status == 0, "\(output.standardError)")
        #expect(output.standardOutput == "2\n10\nprinted\n")
        #expect(output.standardError.isEmpty)
    }

    @Test func aStatementOverSeveralLines() throws {
        let output = try repl("function add(a, b)\n  return a + b\nend\nadd(2, 3)\nlocal t = {\n  1,\n  2,\n}\n#t\n")
        #expect(output.status == 0, "\(output.standardError)")
        #expect(output.standardOutput == "5\n2\n")
    }

    @Test func anErrorIsReportedAndTheNextStatementsRun() throws {
        let output = try repl("local kept = 'k'\nerror('boom')\nx = = 1\nkept\n")
        #expect(output.status == 1)
        #expect(output.standardError.contains("stdin:1: boom"))
        #expect(output.standardError.contains("stdin:1: unexpected symbol near '='"))
        #expect(output.standardOutput == "\"k\"\n")
    }

    @Test func theInputEndingInsideAStatementIsAnError() throws {
        let output = try repl("function f(\n")
        #expect(output.status == 1)
        #expect(output.standardError.contains("<eof>"))
    }

    @Test func aLimitStopsOneStatementAndTheSessionGoesOn() throws {
        let output = try repl("while true do end\n'after'\n", ["--timeout", "300ms"])
        #expect(output.status == 3)
        #expect(output.standardError.contains("statement stopped: time limit of 300ms exceeded (--timeout)"))
        #expect(output.standardOutput == "\"after\"\n")
    }

    @Test func helpForAnOperationIsWhatOpsDescribeShows() throws {
        let output = try repl(".help teams.invite\n")
        let describe = try RunCLI.run(["ops", "describe", "teams.invite"])
        #expect(output.status == 0)
        #expect(output.standardOutput == describe.standardOutput)
        let unknown = try repl(".help teams.invit\n")
        #expect(unknown.status == 1)
        #expect(unknown.standardError.contains(".help: unknown operation 'teams.invit'; did you mean 'teams.invite'?"))
        let list = try repl(".help\n.nope\n")
        #expect(list.standardOutput.contains(".load FILE"))
        #expect(list.standardError.contains("unknown command .nope"))
    }

    @Test func loadGoesThroughTheJail() throws {
        let home = try REPLHome()
        defer { home.remove() }
        let script = home.folder.appendingPathComponent("lib.lua")
        try "local hidden = 1\nshared = 'from file'\nreturn { answer = 42 }\n".write(
            to: script,
            atomically: true,
            encoding: .utf8
        )
        let refused = try RunCLI.run(["repl"], input: ".load lib.lua\n", in: home.folder, environment: home.environment())
        #expect(refused.status == 1)
        #expect(refused.standardError.contains(".load"))
        #expect(refused.standardError.contains("--allow-read"))
        let loaded = try RunCLI.run(
            ["repl", "--allow-read", script.path],
            input: ".load lib.lua\nshared\nhidden\n_1.answer\n",
            in: home.folder,
            environment: home.environment()
        )
        #expect(loaded.status == 0, "\(loaded.standardError)")
        #expect(loaded.standardOutput == "{ answer = 42 }\n\"from file\"\nnil\n42\n")
    }

    @Test func theSameJailAsScripts() throws {
        let output = try repl("os.execute('id')\nos.getenv('REFONTE_API_KEY')\n")
        #expect(output.standardError.contains("os.execute is not available in refonte scripts"))
        #expect(output.standardError.contains("REFONTE_API_KEY holds the API key"))
    }

    @Test func theKeyNeverReachesTheEchoAndProfileMasksIt() throws {
        let key = "test_repl_leakcanary_9876543210"
        let output = try repl(
            "'\(key)'\n.profile\n",
            environment: ["REFONTE_API_KEY": key, "REFONTE_BASE_URL": "http://127.0.0.1:9/v1"]
        )
        #expect(!output.standardOutput.contains(key))
        #expect(!output.standardError.contains(key))
        #expect(output.standardOutput.contains("\"test_re****\""))
        #expect(output.standardOutput.contains("api key:   test_re**** (test mode), from environment variable REFONTE_API_KEY"))
        #expect(output.standardOutput.contains("base url:  http://127.0.0.1:9/v1"))
    }

    @Test func withoutAKeyCallsGoToTheEmbeddedSandbox() throws {
        let output = try repl("#refonte.teams.list() > 0\nrefonte.env.sandbox\n.profile\n")
        #expect(output.status == 0, "\(output.standardError)")
        #expect(output.standardOutput.hasPrefix("true\ntrue\n"))
        #expect(output.standardOutput.contains("the embedded sandbox at http://127.0.0.1:"))
        #expect(output.standardError.contains("no API key is configured: using the embedded sandbox"))
    }

    @Test func ppIsAGlobalForScriptsToo() throws {
        let output = try RunCLI.run(["run", "-e", "pp({ b = 1, a = { 1, 2 }, n = json.null })"])
        #expect(output.status == 0, "\(output.standardError)")
        #expect(output.standardOutput == "{ a = { 1, 2 }, b = 1, n = json.null }\n")
        let bad = try RunCLI.run(["run", "-e", "pp({}, { depth = 0 })"])
        #expect(bad.status == 1)
        #expect(bad.standardError.contains("pp: argument #2 (options.depth) must be a whole number of at least 1"))
    }
}

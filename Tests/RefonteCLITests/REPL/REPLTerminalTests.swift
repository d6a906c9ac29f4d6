import Foundation
import Testing

/// `refonte repl` at a terminal, driven through a pseudo-terminal as a person would type.
@Suite(.serialized) struct REPLTerminalTests {
    func start(
        _ home: REPLHome,
        _ arguments: [String] = [],
        environment: [String: String] = [:],
        columns: UInt16 = 100
    ) async throws -> PseudoTerminal {
        let terminal = try PseudoTerminal(
            ["repl"] + arguments,
            environment: home.environment(environment),
            columns: columns
        )
        try await terminal.expect("refonte repl: calls go to")
        try await terminal.expect("> ")
        return terminal
    }

    @Test func anExpressionPrintsItsValue() async throws {
        let home = try REPLHome()
        defer { home.remove() }
        let terminal = try await start(home)
        terminal.type("1 + 2\r")
        try await terminal.expect("_1 = 3")
        terminal.type("{ b = 2, a = 'x' }\r")
        try await terminal.expect(#"_2 = { a = "x", b = 2 }"#)
        // Keys typed while a statement runs reach a terminal in its normal mode, where Ctrl-D
        // is no key; a person waits for the prompt.
        try await terminal.expect("> ")
        terminal.type(PseudoTerminal.ctrlD)
        #expect(try await terminal.waitForExit() == 0)
    }

    @Test func aFunctionDefinedOverSeveralLines() async throws {
        let home = try REPLHome()
        defer { home.remove() }
        let terminal = try await start(home)
        terminal.type("function add(a, b)\r")
        try await terminal.expect(">> ")
        terminal.type("  return a + b\r")
        try await terminal.expect(">> ")
        terminal.type("end\r")
        try await terminal.expect("> ")
        terminal.type("add(2, 5)\r")
        try await terminal.expect("_1 = 7")
    }

    @Test func tabCompletesARefontePathFromTheCatalog() async throws {
        let home = try REPLHome()
        defer { home.remove() }
        let terminal = try await start(home)
        terminal.type("refonte.stu\t")
        try await terminal.expect("refonte.studio.")
        // What Tab inserted is really in the line: it runs as `refonte.studio.batches`.
        terminal.type("batches\r")
        try await terminal.expect("set_priorities = <function>")
    }

    @Test func tabCompletesTheArgumentNamesOfAnOperation() async throws {
        let home = try REPLHome()
        defer { home.remove() }
        let terminal = try await start(home)
        terminal.type("refonte.teams.invite{\t")
        let listed = try await terminal.expect("role")
        #expect(listed.contains("emails"))
        terminal.type("em\t")
        try await terminal.expect("emails = ")
        // Ctrl-C drops the line; the prompt comes back.
        terminal.type(PseudoTerminal.ctrlC)
        try await terminal.expect("> ")
        terminal.type("'after'\r")
        try await terminal.expect(#"_1 = "after""#)
    }

    @Test func theHistoryIsRecalledAfterARestartMultiLineEntriesAsOne() async throws {
        let home = try REPLHome()
        defer { home.remove() }
        let first = try await start(home)
        first.type("function twice(x)\r")
        try await first.expect(">> ")
        first.type("return 2 * x\r")
        try await first.expect(">> ")
        first.type("end\r")
        try await first.expect("> ")
        first.type(PseudoTerminal.ctrlD)
        #expect(try await first.waitForExit() == 0)
        let attributes = try FileManager.default.attributesOfItem(atPath: home.historyPath)
        #expect((attributes[.posixPermissions] as? Int) == 0o600)

        let second = try await start(home)
        second.type(PseudoTerminal.up)
        try await second.expect("return 2 * x")
        second.type("\r")
        try await second.expect("> ")
        second.type("twice(21)\r")
        try await second.expect("_1 = 42")
    }

    @Test func ctrlCStopsASlowCallAndKeepsTheSession() async throws {
        let sandbox = try await SandboxProcess.start(faults: "latency=30000ms")
        let home = try REPLHome()
        defer { home.remove() }
        let terminal = try await start(
            home,
            ["--base-url", sandbox.baseURL],
            environment: ["REFONTE_API_KEY": SandboxProcess.apiKey]
        )
        terminal.type("local keep = 41\r")
        try await terminal.expect("> ")
        terminal.type("refonte.teams.list()\r")
        // Let the call reach the sandbox, which holds every answer for 30 s.
        try await Task.sleep(for: .seconds(1))
        let pressed = ContinuousClock.now
        terminal.type(PseudoTerminal.ctrlC)
        try await terminal.expect("interrupted")
        try await terminal.expect("> ")
        // Back well before the answer would have come.
        #expect(ContinuousClock.now - pressed < .seconds(20))
        terminal.type("keep + 1\r")
        try await terminal.expect("_1 = 42")
        try await terminal.expect("> ")
        terminal.type(PseudoTerminal.ctrlD)
        #expect(try await terminal.waitForExit() == 0)
    }

    @Test func helpShowsAnOperationFromTheCatalog() async throws {
        let home = try REPLHome()
        defer { home.remove() }
        let terminal = try await start(home)
        terminal.type(".help teams.invite\r")
        try await terminal.expect("refonte.teams.invite: Invite teammates by email.")
        try await terminal.expect("Example (runs against the demo sandbox):")
        try await terminal.expect("> ")
    }

    @Test func aFreshMachineTalksToTheEmbeddedSandbox() async throws {
        let home = try REPLHome()
        defer { home.remove() }
        // Wide enough for a teammate's every field side by side.
        let terminal = try await start(home, columns: 220)
        terminal.type("refonte.teams.list()\r")
        try await terminal.expect("using the embedded sandbox")
        // The seeded team, as columns.
        try await terminal.expect("#  email")
        try await terminal.expect("> ")
        terminal.type(".profile\r")
        try await terminal.expect("the embedded sandbox at http://127.0.0.1:")
        // Project names come from the live account (the seeded sandbox here).
        try await terminal.expect("> ")
        terminal.type(#"p = refonte.projects.get { project = "Str"# + "\t")
        try await terminal.expect(#"project = "Street Scenes""#)
        terminal.type(" }\r")
        try await terminal.expect("> ")
        terminal.type("p.name\r")
        try await terminal.expect(#"_2 = "Street Scenes""#)
        // A dry run shows in the prompt.
        terminal.type(".dry on\r")
        try await terminal.expect("dry> ")
        terminal.type(".dry off\r")
        try await terminal.expect("writes are sent again")
    }
}

import Foundation
import Testing

/// `refonte repl` at a terminal, driven through a pseudo-terminal as a person would type.
@Suite(.serialized) struct REPLTerminalTests {
    func start(
        _ home: REPLHome,
        _ arguments: [String] = [],
        environment: [String: String] = [:],
        columns: UInt16 = 100
    ) throws -> PseudoTerminal {
        let terminal = try PseudoTerminal(
            ["repl"] + arguments,
            environment: home.environment(environment),
            columns: columns
        )
        try terminal.expect("refonte repl: calls go to")
        try terminal.expect("> ")
        return terminal
    }

    @Test func anExpressionPrintsItsValue() throws {
        let home = try REPLHome()
        defer { home.remove() }
        let terminal = try start(home)
        terminal.type("1 + 2\r")
        try terminal.expect("_1 = 3")
        terminal.type("{ b = 2, a = 'x' }\r")
        try terminal.expect(#"_2 = { a = "x", b = 2 }"#)
        // Keys typed while a statement runs reach a terminal in its normal mode, where Ctrl-D
        // is no key; a person waits for the prompt.
        try terminal.expect("> ")
        terminal.type(PseudoTerminal.ctrlD)
        #expect(try terminal.waitForExit() == 0)
    }

    @Test func aFunctionDefinedOverSeveralLines() throws {
        let home = try REPLHome()
        defer { home.remove() }
        let terminal = try start(home)
        terminal.type("function add(a, b)\r")
        try terminal.expect(">> ")
        terminal.type("  return a + b\r")
        try terminal.expect(">> ")
        terminal.type("end\r")
        try terminal.expect("> ")
        terminal.type("add(2, 5)\r")
        try terminal.expect("_1 = 7")
    }

    @Test func tabCompletesARefontePathFromTheCatalog() throws {
        let home = try REPLHome()
        defer { home.remove() }
        let terminal = try start(home)
        terminal.type("refonte.stu\t")
        try terminal.expect("refonte.studio.")
        // What Tab inserted is really in the line: it runs as `refonte.studio.batches`.
        terminal.type("batches\r")
        try terminal.expect("set_priorities = <function>")
    }

    @Test func tabCompletesTheArgumentNamesOfAnOperation() throws {
        let home = try REPLHome()
        defer { home.remove() }
        let terminal = try start(home)
        terminal.type("refonte.teams.invite{\t")
        let listed = try terminal.expect("role")
        #expect(listed.contains("emails"))
        terminal.type("em\t")
        try terminal.expect("emails = ")
        // Ctrl-C drops the line; the prompt comes back.
        terminal.type(PseudoTerminal.ctrlC)
        try terminal.expect("> ")
        terminal.type("'after'\r")
        try terminal.expect(#"_1 = "after""#)
    }

    @Test func theHistoryIsRecalledAfterARestartMultiLineEntriesAsOne() throws {
        let home = try REPLHome()
        defer { home.remove() }
        let first = try start(home)
        first.type("function twice(x)\r")
        try first.expect(">> ")
        first.type("return 2 * x\r")
        try first.expect(">> ")
        first.type("end\r")
        try first.expect("> ")
        first.type(PseudoTerminal.ctrlD)
        #expect(try first.waitForExit() == 0)
        let attributes = try FileManager.default.attributesOfItem(atPath: home.historyPath)
        #expect((attributes[.posixPermissions] as? Int) == 0o600)

        let second = try start(home)
        second.type(PseudoTerminal.up)
        try second.expect("return 2 * x")
        second.type("\r")
        try second.expect("> ")
        second.type("twice(21)\r")
        try second.expect("_1 = 42")
    }

    @Test func ctrlCStopsASlowCallAndKeepsTheSession() throws {
        let sandbox = try SandboxProcess(faults: "latency=30000ms")
        let home = try REPLHome()
        defer { home.remove() }
        let terminal = try start(
            home,
            ["--base-url", sandbox.baseURL],
            environment: ["REFONTE_API_KEY": SandboxProcess.apiKey]
        )
        terminal.type("local keep = 41\r")
        try terminal.expect("> ")
        terminal.type("refonte.teams.list()\r")
        // Let the call reach the sandbox, which holds every answer for 30 s.
        Thread.sleep(forTimeInterval: 1)
        let pressed = ContinuousClock.now
        terminal.type(PseudoTerminal.ctrlC)
        try terminal.expect("interrupted")
        try terminal.expect("> ")
        // Back well before the answer would have come.
        #expect(ContinuousClock.now - pressed < .seconds(20))
        terminal.type("keep + 1\r")
        try terminal.expect("_1 = 42")
        try terminal.expect("> ")
        terminal.type(PseudoTerminal.ctrlD)
        #expect(try terminal.waitForExit() == 0)
    }

    @Test func helpShowsAnOperationFromTheCatalog() throws {
        let home = try REPLHome()
        defer { home.remove() }
        let terminal = try start(home)
        terminal.type(".help teams.invite\r")
        try terminal.expect("refonte.teams.invite: Invite teammates by email.")
        try terminal.expect("Example (runs against the demo sandbox):")
        try terminal.expect("> ")
    }

    @Test func aFreshMachineTalksToTheEmbeddedSandbox() throws {
        let home = try REPLHome()
        defer { home.remove() }
        // Wide enough for a teammate's every field side by side.
        let terminal = try start(home, columns: 220)
        terminal.type("refonte.teams.list()\r")
        try terminal.expect("using the embedded sandbox")
        // The seeded team, as columns.
        try terminal.expect("#  email")
        try terminal.expect("> ")
        terminal.type(".profile\r")
        try terminal.expect("the embedded sandbox at http://127.0.0.1:")
        // Project names come from the live account (the seeded sandbox here).
        try terminal.expect("> ")
        terminal.type(#"p = refonte.projects.get { project = "Str"# + "\t")
        try terminal.expect(#"project = "Street Scenes""#)
        terminal.type(" }\r")
        try terminal.expect("> ")
        terminal.type("p.name\r")
        try terminal.expect(#"_2 = "Street Scenes""#)
        // A dry run shows in the prompt.
        terminal.type(".dry on\r")
        try terminal.expect("dry> ")
        terminal.type(".dry off\r")
        try terminal.expect("writes are sent again")
    }
}

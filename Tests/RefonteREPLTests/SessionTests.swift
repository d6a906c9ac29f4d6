import Dispatch
import Logging
import LuaRuntime
import RefonteAPI
import RefonteScripting
import Synchronization
import Testing

@testable import RefonteREPL

/// What a session's output received.
final class Captured: Sendable {
    private let texts = Mutex<[String]>([])
    var all: String { texts.withLock { $0.joined() } }

    func output(colour: Bool = false, labels: Bool = false) -> REPLOutput {
        REPLOutput(
            colour: colour,
            labels: labels,
            redact: { $0 },
            sink: { _, text in self.texts.withLock { $0.append(text) } }
        )
    }

    func clear() { texts.withLock { $0 = [] } }
}

/// A session with the script environment and the `refonte` table (whose connection is never
/// opened here: nothing calls the API).
func makeSession(limits: LuaLimits = LuaLimits(), labels: Bool = false) throws -> (REPLSession, Captured) {
    let unused = APIConnection { throw CancellationError() }
    let state = try ScriptState.make(
        limits: limits,
        permissions: ScriptPermissions(),
        packagePath: "./?.lua",
        extensions: [APIExtension(connection: unused, facts: RunFacts(sandbox: true))],
        logger: Logger(label: "test")
    )
    let captured = Captured()
    return (try REPLSession(state: state, output: captured.output(labels: labels)), captured)
}

extension REPLSession {
    /// Compiles and runs one complete statement; its error, if any.
    @discardableResult
    func enter(_ source: String) async throws -> LuaError? {
        guard case .ready(let function) = compile(source) else {
            throw LuaValueError("not a complete statement: \(source)")
        }
        return await run(function)
    }
}

@Suite struct SessionTests {
    @Test func expressionsPrintTheirValuesAndKeepThemNumbered() async throws {
        let (session, out) = try makeSession(labels: true)
        try await session.enter("1 + 1")
        try await session.enter("'a', nil")
        #expect(out.all == "_1 = 2\n_2 = \"a\"\n_3 = nil\n")
        try await session.enter("_1 * 10")
        #expect(out.all.hasSuffix("_4 = 20\n"))
        #expect(try session.state.global("_2") == "a")
    }

    @Test func localsOutliveTheirStatementAndClosuresShareThem() async throws {
        let (session, out) = try makeSession()
        try await session.enter("local n = 0")
        try await session.enter("local function bump() n = n + 1 return n end")
        try await session.enter("bump() bump()")
        try await session.enter("n, bump()")
        #expect(out.all == "2\n3\n")
        // They are the session's, not globals.
        #expect(try session.state.global("n") == .nil)
        out.clear()
        // `local print = print` takes the global before declaring the local.
        try await session.enter("local print = print")
        try await session.enter("print == _G.print")
        #expect(out.all == "true\n")
    }

    @Test func recursionThroughALocalFunction() async throws {
        let (session, out) = try makeSession()
        try await session.enter(
            "local function fact(n) if n <= 1 then return 1 end return n * fact(n - 1) end"
        )
        try await session.enter("fact(10)")
        #expect(out.all == "3628800\n")
    }

    @Test func incompleteStatementsWaitForMoreLines() throws {
        let (session, _) = try makeSession()
        guard case .incomplete = session.compile("function f()") else {
            Issue.record("not incomplete"); return
        }
        guard case .incomplete = session.compile("function f()\n  return {") else {
            Issue.record("not incomplete"); return
        }
        guard case .ready = session.compile("function f()\n  return 1\nend") else {
            Issue.record("not ready"); return
        }
        guard case .invalid(let message) = session.compile("x = = 1") else {
            Issue.record("not invalid"); return
        }
        #expect(message.hasPrefix("stdin:1:"))
    }

    @Test func anErrorLeavesTheSessionAsItWas() async throws {
        let (session, out) = try makeSession()
        try await session.enter("local kept = 'yes'")
        let error = try await session.enter("error('boom')")
        #expect(error?.message == "stdin:1: boom")
        try await session.enter("kept")
        #expect(out.all == "\"yes\"\n")
    }

    @Test func spawnRunsBesideTheStatementAtThePrompt() async throws {
        let (session, out) = try makeSession()
        try await session.enter("t = spawn(function() sleep(10) return 'done' end)")
        try await session.enter("t:wait()")
        #expect(out.all == "\"done\"\n")
    }

    @Test func theTimeoutAppliesToEachStatement() async throws {
        let (session, _) = try makeSession(limits: LuaLimits(timeout: .milliseconds(300)))
        var total = Duration.zero
        while total < .seconds(1) {
            #expect(try await session.enter("for i = 1, 1e6 do end") == nil)
            total += session.state.scriptTime
        }
        let stopped = try await session.enter("while true do end")
        #expect(stopped?.kind == .limit(.time(.milliseconds(300))))
        #expect(try await session.enter("return 1") == nil)
    }

    @Test func ctrlCStopsAStatementAndTheSessionGoesOn() async throws {
        let (session, out) = try makeSession(limits: LuaLimits(interruptible: true))
        try await session.enter("local before = 41")
        let interrupter = session.state.interrupter
        // From a thread outside Swift's concurrency pool, as the REPL's Ctrl-C thread.
        DispatchQueue.global().asyncAfter(deadline: .now() + .milliseconds(200)) { interrupter.interrupt() }
        let stopped = try await session.enter("sleep(60000)")
        #expect(stopped?.kind == .interrupted)
        try await session.enter("before + 1")
        #expect(out.all == "42\n")
    }
}

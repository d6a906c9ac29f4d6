import LuaRuntime
import RefonteScripting

/// The Lua side of one REPL: a state set up exactly as `refonte run` sets up a script's (the
/// same jail, limits and `refonte` table, from `ScriptState`), in which statements are
/// compiled and run one after the other, keeping their locals and globals.
final class REPLSession {
    let state: LuaState
    let output: REPLOutput
    private let compileFunction: LuaFunction
    private let evalFunction: LuaFunction

    /// Registry fields where the prelude leaves the session's locals.
    static let declaredKey = "refonte.repl.declared"
    static let valuesKey = "refonte.repl.values"

    init(state: LuaState, output: REPLOutput) throws {
        self.state = state
        self.output = output
        let stash = LuaSwiftFunction("repl stash") { call in
            let name = try call.string(1, "name")
            call.stack.reserve(2)
            call.stack.pushRegistry()
            call.stack.copy(2)
            call.stack.rawSet(-2, field: "refonte.repl." + name)
            call.stack.pop()
            return .none
        }
        let echo = LuaSwiftFunction("repl echo") { [output] call in
            let number = try call.integer(1, "number")
            let text = try PrettyPrinter.render(
                call.stack,
                at: 2,
                options: output.prettyOptions(),
                label: output.labels ? "_\(number)" : nil
            )
            output.result(text)
            return .none
        }
        let prelude = try state.load(.repl)
        let functions = try state.call(
            prelude,
            [.function(.swift(stash)), .function(.swift(echo)), .string(LocalRewriter.store)]
        )
        guard functions.count == 2, case .function(let compile) = functions[0],
            case .function(let eval) = functions[1]
        else { throw LuaValueError("the REPL prelude did not return its functions") }
        compileFunction = compile
        evalFunction = eval
    }

    /// What a piece of typed text is.
    enum Compiled {
        case ready(LuaFunction)
        /// The statement goes on: more lines are needed (lua.c's `<eof>` rule).
        case incomplete
        /// A syntax error, as Lua words it.
        case invalid(String)
    }

    /// Compiles `source` the way lua.c 5.4 does: first as `return <source>` (an expression,
    /// whose values are printed), then as a statement, with its top-level locals kept for
    /// later statements (`LocalRewriter`).
    func compile(_ source: String, chunkName: String = "=stdin") -> Compiled {
        if case .ready(let function) = load("return " + source, chunkName) { return .ready(function) }
        switch load(source, chunkName) {
        case .invalid(let message) where message.hasSuffix("<eof>"):
            return .incomplete
        case .ready(let plain):
            let rewritten = LocalRewriter.rewrite(source)
            guard rewritten != source, case .ready(let kept) = load(rewritten, chunkName) else {
                return .ready(plain)
            }
            return .ready(kept)
        case let other:
            return other
        }
    }

    /// Compiles `source` as it is, as one statement or a whole file: no `return` form, no
    /// locals kept (`.load`), an unfinished statement is an error.
    func compileStatement(_ source: LuaString, chunkName: String) -> Compiled {
        load(source, chunkName)
    }

    private func load(_ source: String, _ chunkName: String) -> Compiled {
        load(LuaString(source), chunkName)
    }

    private func load(_ source: LuaString, _ chunkName: String) -> Compiled {
        state.resetScriptClock()
        do {
            let results = try state.call(compileFunction, [.string(source), .string(chunkName)])
            if case .function(let function)? = results.first { return .ready(function) }
            if results.count > 1, case .string(let message) = results[1] {
                return .invalid(message.description)
            }
            return .invalid("cannot compile the statement")
        } catch {
            recover(after: error)
            return .invalid(error.message)
        }
    }

    /// Runs a compiled statement: API calls yield as in a script, `spawn`ed tasks run beside
    /// it, the clock of `--timeout` starts from zero. Returns when the statement and every
    /// task it spawned have finished, or the error that stopped them; the session goes on
    /// either way.
    func run(_ function: LuaFunction) async -> LuaError? {
        state.resetScriptClock()
        do {
            try await state.run(evalFunction, arguments: [.function(function)], copyingResults: false)
            return nil
        } catch {
            recover(after: error)
            return error
        }
    }

    /// `refonte.env.base_url`, read raw: where calls went, once the connection is open (the
    /// embedded sandbox picks its port on the first call).
    func liveBaseURL() -> String? {
        let stack = state.stack
        let base = stack.top
        defer { stack.setTop(base) }
        guard stack.reserve(3) else { return nil }
        stack.pushGlobals()
        guard stack.rawGet(-1, field: "refonte") == .table, stack.rawGet(-1, field: "env") == .table,
            stack.rawGet(-1, field: "base_url") == .string
        else { return nil }
        return stack.string(at: -1)
    }

    private func recover(after error: LuaError) {
        state.recover()
        if case .limit(.memory(let cap)) = error.kind, state.memoryInUse > cap {
            output.notice(
                "the session still holds \(state.memoryInUse / 1024) KB of its \(cap / 1024) KB "
                    + "(--max-memory): set large values to nil, or start a new session"
            )
        }
    }
}

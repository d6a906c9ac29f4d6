import LuaRuntime
import RefonteAPI
import RefonteScripting

/// What Tab does: text to insert at the cursor, or the choices to list when the text typed
/// does not decide between them.
struct Completion: Equatable {
    var insert = ""
    var choices: [String] = []

    static let none = Completion()
}

/// Completes from the live session: globals and the session's locals, the keys of live
/// tables, `refonte.` paths from the catalog, an operation's argument names inside its
/// argument table, project names after `project = "`, and the dot-commands.
///
/// Tables are read raw (no `__index` or `__pairs` runs), so completing never runs Lua code.
/// It runs on the REPL's thread while the line editor waits for keys, when no statement runs.
struct Completer {
    let state: LuaState
    let projects: ProjectNames?

    /// Completes `text`, everything typed before the cursor in the statement so far.
    func complete(_ text: String) -> Completion {
        if let command = DotCommand.completion(text) { return command }
        switch CompletionContext(text) {
        case .nothing:
            return .none
        case .name(let partial):
            var names = Set(LuaName.reserved.map { Choice(name: $0, suffix: " ") })
            names.formUnion(tableChoices(pushing: { $0.pushGlobals() }))
            names.formUnion(tableChoices(pushing: { $0.pushRegistry(field: REPLSession.valuesKey) }))
            return Self.completion(partial, names)
        case .member(let path, let partial, let method):
            var names = Set(method ? methodChoices(path) : tableChoices(pushing: { _ = push(path, on: $0) }))
            if path.first == "refonte", !method {
                for child in CatalogNames.children(of: Array(path.dropFirst())) {
                    names.insert(Choice(name: child.name, suffix: child.isGroup ? "." : ""))
                }
            }
            return Self.completion(partial, names)
        case .argument(let id, let partial, let given):
            guard let operation = Catalog.operation(id: id) else { return .none }
            let names = operation.parameters.map(\.name).filter { !given.contains($0) }
            return Self.completion(partial, Set(names.map { Choice(name: $0, suffix: " = ") }))
        case .projectName(let partial):
            let names = projects?.names() ?? []
            return Self.completion(
                partial,
                Set(names.map { Choice(name: $0, suffix: "\"") }),
                identifiersOnly: false
            )
        }
    }

    struct Choice: Hashable {
        var name: String
        var suffix: String
    }

    /// Inserts what all choices starting with `partial` share, or lists them when they share
    /// nothing more.
    static func completion(
        _ partial: String,
        _ choices: Set<Choice>,
        identifiersOnly: Bool = true
    ) -> Completion {
        let matching = choices.filter { $0.name.hasPrefix(partial) && (!identifiersOnly || !$0.name.isEmpty) }
        let names = Set(matching.map(\.name)).sorted()
        guard let first = names.first else { return .none }
        if names.count == 1, let only = matching.first(where: { $0.name == first }) {
            return Completion(insert: String(first.dropFirst(partial.count)) + only.suffix)
        }
        var common = first
        for name in names.dropFirst() {
            common = String(zip(common, name).prefix { $0 == $1 }.map(\.0))
        }
        if common.count > partial.count { return Completion(insert: String(common.dropFirst(partial.count))) }
        return Completion(choices: names)
    }

    // MARK: reading the live state (raw)

    /// The names in the table `push` leaves on the stack (nothing when it is not a table).
    private func tableChoices(pushing push: (LuaStack) -> Void) -> [Choice] {
        let stack = state.stack
        let base = stack.top
        defer { stack.setTop(base) }
        guard stack.reserve(4) else { return [] }
        push(stack)
        guard stack.type(at: -1) == .table else { return [] }
        return Self.keys(of: stack.top, in: stack).map { key in
            Choice(name: key.name, suffix: key.type == .table ? "." : "")
        }
    }

    /// `a:` lists the methods a value has: the functions of its table and of its metatable's
    /// `__index` table; a string's are the `string` library's.
    private func methodChoices(_ path: [String]) -> [Choice] {
        let stack = state.stack
        let base = stack.top
        defer { stack.setTop(base) }
        guard stack.reserve(6), push(path, on: stack) else { return [] }
        let value = stack.top
        var keys: [(name: String, type: LuaType)] = []
        switch stack.type(at: value) {
        case .string:
            stack.pushGlobals()
            if stack.rawGet(-1, field: "string") == .table { keys += Self.keys(of: stack.top, in: stack) }
        case .table, .userdata:
            if stack.type(at: value) == .table { keys += Self.keys(of: value, in: stack) }
            if stack.pushMetatable(value), stack.rawGet(-1, field: "__index") == .table {
                keys += Self.keys(of: stack.top, in: stack)
            }
        default: break
        }
        return keys.filter { $0.type == .function }.map { Choice(name: $0.name, suffix: "(") }
    }

    /// Pushes the value at `path`: the first name from the session's locals, else the
    /// globals; then field after field. False (with something pushed) when a step is not a table.
    private func push(_ path: [String], on stack: LuaStack) -> Bool {
        guard let first = path.first else { return false }
        stack.pushRegistry(field: REPLSession.declaredKey)
        var declared = false
        if stack.type(at: -1) == .table {
            declared = stack.rawGet(-1, field: first) == .boolean
            stack.pop()
        }
        stack.pop()
        if declared {
            stack.pushRegistry(field: REPLSession.valuesKey)
        } else {
            stack.pushGlobals()
        }
        stack.rawGet(-1, field: first)
        for name in path.dropFirst() {
            guard stack.reserve(2), stack.type(at: -1) == .table else { return false }
            stack.rawGet(-1, field: name)
        }
        return true
    }

    /// The identifier keys of the table at `index`, with the type of each value.
    private static func keys(of index: Int32, in stack: LuaStack) -> [(name: String, type: LuaType)] {
        var keys: [(name: String, type: LuaType)] = []
        stack.reserve(3)
        stack.pushNil()
        while stack.next(index) {
            if stack.type(at: -2) == .string, let name = stack.string(at: -2), LuaName.isIdentifier(name) {
                keys.append((name, stack.type(at: -1)))
            }
            stack.pop()
            // A table of millions of names is no list to choose from.
            if keys.count >= 10_000 {
                stack.pop()
                break
            }
        }
        return keys
    }
}

extension LuaStack {
    /// Pushes `registry[field]`.
    fileprivate func pushRegistry(field: String) {
        pushRegistry()
        rawGet(-1, field: field)
        remove(-2)
    }
}

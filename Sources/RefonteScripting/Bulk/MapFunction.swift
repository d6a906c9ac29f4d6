import LuaRuntime
import RefonteAPI

/// `refonte.map(items, fn, opts)`: calls `fn(item, i)` for every item on a few `spawn`ed tasks
/// at once, so their API calls overlap, and returns the results in input order.
///
/// The workers are a few lines of Lua over `spawn`; each takes the next item when its last one
/// finishes, so at most `concurrency` calls of `fn` are running. Every API call still goes
/// through the run's client: one rate limiter, one retry budget, one audit log. The Lua VM is
/// one thread, so the workers share their counters without locks.
enum MapFunction {
    static let defaultConcurrency: Int64 = 8
    /// As many as the client keeps connections: more tasks would only queue for one.
    static let maximumConcurrency = Int64(ClientConfiguration.defaultMaxConnections)

    enum Option: String, CaseIterable {
        case concurrency
        case stopOnError = "stop_on_error"
        case label

        var declaration: TableField {
            switch self {
            case .concurrency:
                TableField(
                    name: rawValue,
                    type: "integer?",
                    doc: "items running at once, 1 to \(maximumConcurrency) (default \(defaultConcurrency))"
                )
            case .stopOnError:
                TableField(
                    name: rawValue,
                    type: "boolean?",
                    doc: "start no item after the first failure (default false)"
                )
            case .label:
                TableField(name: rawValue, type: "string?", doc: "what the progress line calls the job")
            }
        }
    }

    /// The fields of the third value `refonte.map` returns.
    static let summaryFields = [
        TableField(name: "succeeded", type: "integer", doc: "items whose fn returned"),
        TableField(name: "failed", type: "integer", doc: "items whose fn raised an error (in errors)"),
        TableField(name: "not_started", type: "integer", doc: "items never started (stop_on_error)"),
    ]

    /// `refonte.map` and its tables, for `types/refonte.lua`.
    static let stub =
        """

        ---@class refonte.MapOptions

        """ + Option.allCases.map(\.declaration.annotation).joined() + """

            ---@class refonte.MapSummary

            """ + summaryFields.map(\.annotation).joined() + """

            ---Calls `fn(item, i)` for every item, at most `opts.concurrency` at once, so that their
            ---API calls overlap; returns the results in input order. An item whose `fn` raised has no
            ---result and its error in `errors[i]`. With `stop_on_error`, no item starts after the first
            ---failure and the items already running finish. Progress shows on standard error.
            ---
            ---```lua
            ---local results, errors = refonte.map(emails, function(email)
            ---  return refonte.teams.invite { emails = { email }, role = "labeler" }
            ---end, { concurrency = 16 })
            ---```
            ---@generic T, R
            ---@param items T[]
            ---@param fn fun(item: T, i: integer): R
            ---@param opts? refonte.MapOptions
            ---@return table<integer, R> results
            ---@return table<integer, refonte.Error|string> errors
            ---@return refonte.MapSummary summary
            function refonte.map(items, fn, opts) end

            """

    static func install(in state: LuaState, progress: any MapProgress) throws {
        let chunk = try state.load(.map)
        try state.call(
            chunk,
            [
                .function(.swift(check())),
                .function(.swift(started(progress))),
                .function(.swift(advanced(progress))),
                .function(.swift(finished(progress))),
                .boolean(progress.sharesTerminalWithOutput),
                .function(
                    .swift(
                        LuaSwiftFunction("print") { _ in
                            progress.hideForOutput(); return .none
                        }
                    )
                ),
                .function(
                    .swift(
                        LuaSwiftFunction("print") { _ in
                            progress.showAfterOutput(); return .none
                        }
                    )
                ),
            ]
        )
    }

    /// `(items, fn, opts) -> concurrency, stop_on_error, label`, or an `invalid_argument` error
    /// naming `refonte.map`, the argument and what was expected.
    static func check() -> LuaSwiftFunction {
        LuaSwiftFunction("refonte.map") { call in
            func refuse(
                _ field: String,
                _ expected: String,
                got: String?,
                kind: ArgumentError.Kind = .invalidValue
            )
                throws -> LuaReturn
            {
                let error = ArgumentError(
                    operationID: "map",
                    field: field,
                    expected: expected,
                    got: got,
                    kind: kind
                )
                try ErrorValue.push(error, on: call.stack)
                return .raise
            }
            let stack = call.stack
            guard call.type(1) == .table else {
                return try refuse("items", "a list (a table of items at 1, 2, ...)", got: typeName(call, 1))
            }
            guard call.type(2) == .function else {
                return try refuse("fn", "a function, called as fn(item, i)", got: typeName(call, 2))
            }
            var concurrency = defaultConcurrency
            var stopOnError = false
            var label = "refonte.map"
            switch call.type(3) {
            case .none, .nil:
                break
            case .table:
                stack.reserve(3)
                stack.pushNil()
                // Each refusal pops the key and value before it pushes the error.
                while stack.next(3) {
                    let names = Option.allCases.map(\.rawValue)
                    guard stack.type(at: -2) == .string, let key = stack.string(at: -2),
                        let option = Option(rawValue: key)
                    else {
                        let key =
                            stack.type(at: -2) == .string
                            ? stack.string(at: -2) ?? "?" : "[\(valueText(stack, -2))]"
                        let error = ArgumentError(
                            operationID: "map",
                            field: "opts." + key,
                            expected: names.joined(separator: ", "),
                            kind: .unknown,
                            suggestion: Suggestion.closest(to: key, in: names)
                        )
                        stack.pop(2)
                        try ErrorValue.push(error, on: stack)
                        return .raise
                    }
                    let field = "opts." + option.rawValue
                    switch option {
                    case .concurrency:
                        let range = 1...maximumConcurrency
                        let expected = "an integer from \(range.lowerBound) to \(range.upperBound)"
                        guard let number = integer(stack, -1), range.contains(number) else {
                            let got = valueText(stack, -1)
                            stack.pop(2)
                            return try refuse(field, expected, got: got)
                        }
                        concurrency = number
                    case .stopOnError:
                        guard stack.type(at: -1) == .boolean else {
                            let got = valueText(stack, -1)
                            stack.pop(2)
                            return try refuse(field, "true or false", got: got)
                        }
                        stopOnError = stack.boolean(at: -1)
                    case .label:
                        guard stack.type(at: -1) == .string, let text = stack.string(at: -1), !text.isEmpty
                        else {
                            let got = valueText(stack, -1)
                            stack.pop(2)
                            return try refuse(field, "a non-empty string", got: got)
                        }
                        label = text
                    }
                    stack.pop()
                }
            default:
                return try refuse(
                    "opts",
                    "a table such as { concurrency = 8, stop_on_error = true, label = \"inviting\" }",
                    got: typeName(call, 3)
                )
            }
            stack.setTop(0)
            stack.reserve(3)
            stack.push(concurrency)
            stack.push(stopOnError)
            stack.push(label)
            return .results(3)
        }
    }

    private static func typeName(_ call: LuaCall, _ position: Int32) -> String {
        call.type(position) == .none ? "nothing" : call.stack.typeName(at: position)
    }

    /// A whole number, also when written as a float (`8.0`).
    private static func integer(_ stack: LuaStack, _ index: Int32) -> Int64? {
        guard stack.type(at: index) == .number else { return nil }
        if stack.isInteger(index) { return stack.integer(at: index) }
        guard let number = stack.number(at: index), number.rounded() == number, abs(number) < 1e15 else {
            return nil
        }
        return Int64(number)
    }

    /// A value as messages show it, without calling any metamethod.
    private static func valueText(_ stack: LuaStack, _ index: Int32) -> String {
        switch stack.type(at: index) {
        case .number:
            if stack.isInteger(index) { return stack.integer(at: index).map { "\($0)" } ?? "a number" }
            return stack.number(at: index).map { "\($0)" } ?? "a number"
        case .boolean: return stack.boolean(at: index) ? "true" : "false"
        case .string:
            let text = stack.string(at: index) ?? ""
            return text.count > 40 ? "a string" : JSONValue.string(text).jsonText
        case let type: return type.name
        }
    }

    /// `(total, label) -> map`
    static func started(_ progress: any MapProgress) -> LuaSwiftFunction {
        LuaSwiftFunction("refonte.map") { call in
            let total = try call.integer(1, "total")
            let label = try call.string(2, "label")
            return try call.returning(.integer(Int64(progress.started(total: Int(total), label: label))))
        }
    }

    /// `(map, done, failed)`
    static func advanced(_ progress: any MapProgress) -> LuaSwiftFunction {
        LuaSwiftFunction("refonte.map") { call in
            progress.advanced(
                Int(try call.integer(1, "map")),
                done: Int(try call.integer(2, "done")),
                failed: Int(try call.integer(3, "failed"))
            )
            return .none
        }
    }

    /// `(map, done, failed)`
    static func finished(_ progress: any MapProgress) -> LuaSwiftFunction {
        LuaSwiftFunction("refonte.map") { call in
            progress.finished(
                Int(try call.integer(1, "map")),
                done: Int(try call.integer(2, "done")),
                failed: Int(try call.integer(3, "failed"))
            )
            return .none
        }
    }
}

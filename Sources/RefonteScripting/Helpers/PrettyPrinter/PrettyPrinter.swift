import LuaRuntime

/// Renders Lua values for people: `pp(value)` in scripts, and every result the REPL prints.
///
/// Keys are sorted (numbers, then names), nesting stops at a depth, a table that contains
/// itself is marked `<cycle>`, `json.null` is shown apart from `nil` and a dry run's
/// placeholder apart from a string (`(known after apply)`, in its own colour), and an array of records
/// becomes aligned columns when they fit the width. Values are read raw (`PrettyReader`), so no
/// metamethod of the value runs.
public enum PrettyPrinter {
    /// The value at `index` as lines of text (each ending with a newline), after `label` and
    /// ` = ` when a label is given. Throws when the script's limits stop the work.
    public static func render(
        _ stack: LuaStack,
        at index: Int32,
        options: PrettyOptions,
        label: String? = nil
    ) throws(LuaLimitReached) -> String {
        var reader = PrettyReader(stack: stack, options: options)
        let node = try reader.read(index)
        let lead = label.map { [PrettyText($0, .label), PrettyText(" = ", .label)] } ?? []
        let lines = PrettyLayout(width: max(20, options.width - 1)).lines(node, lead: lead)
        let text = PrettyLayout.text(lines, colour: options.colour)
        // The finished text and the nodes it came from exist at once.
        guard stack.withinLimits(reserving: 2 * text.utf8.count + 4 * reader.bytes) else {
            throw LuaLimitReached()
        }
        return text
    }

    /// Writes `text` to standard output through C's buffer, the one Lua's `print` uses, so the
    /// two keep their order.
    public static func write(_ text: String) {
        LuaStandardOutput.write(text)
    }
}

/// `pp(value [, options])`: prints a value readably on standard output.
enum PrettyPrintFunction {
    static func make() -> LuaSwiftFunction {
        LuaSwiftFunction("pp") { call in
            var options = PrettyOptions()
            options.width = TerminalFacts.columns()
            options.colour = TerminalFacts.colourOnStandardOutput()
            if !call.isMissing(2) {
                try call.expect(2, "options", is: .table)
                if let depth = try limit(call, "depth") { options.depth = depth }
                if let items = try limit(call, "items") { options.items = items }
                call.stack.setTop(2)
            }
            if call.argumentCount == 0 { call.stack.pushNil() }
            PrettyPrinter.write(try PrettyPrinter.render(call.stack, at: 1, options: options))
            return .none
        }
    }

    /// `options.<name>`: a whole number of at least 1 (`math.huge` for no limit), or nil.
    private static func limit(_ call: LuaCall, _ name: String) throws -> Int? {
        let stack = call.stack
        stack.reserve(1)
        defer { stack.pop() }
        switch stack.rawGet(2, field: name) {
        case .nil: return nil
        case .number:
            let value = stack.number(at: -1) ?? 0
            if value >= 1, value == value.rounded(.down) { return value >= 1e9 ? Int(1e9) : Int(value) }
            fallthrough
        default:
            throw LuaArgumentError(
                position: 2,
                label: "options.\(name)",
                expected: "a whole number of at least 1 (math.huge for no limit)",
                got: stack.type(at: -1) == .number
                    ? PrettyReader.numberText(stack, -1) : stack.typeName(at: -1)
            )
        }
    }

    static let global = ScriptGlobal(
        "pp",
        stub: """
            ---Prints `value` readably on standard output: keys sorted, nesting cut at `depth`
            ---(default 5), at most `items` entries per table (default 100; `math.huge` for all),
            ---`<cycle>` where a table contains itself, `json.null` apart from nil, a dry run's
            ---placeholders as (known after apply), an array of records as aligned columns when
            ---they fit the terminal. Coloured on a terminal, unless NO_COLOR is set. Metamethods
            ---of the value are not called.
            ---@param value any
            ---@param options? {depth: integer?, items: integer?}
            function pp(value, options) end

            """
    )
}

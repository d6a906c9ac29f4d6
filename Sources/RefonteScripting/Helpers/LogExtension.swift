import Logging
import LuaRuntime

/// `log.debug/info/warn/error(message, fields)`: structured lines on the host's logger
/// (stderr in `refonte run`), so a script's own output on stdout stays clean.
public struct LogExtension: ScriptExtension {
    let logger: Logger

    /// `log.<name>` for each level.
    static let levels: [(name: String, level: Logger.Level)] = [
        ("debug", .debug), ("info", .info), ("warn", .warning), ("error", .error),
    ]

    static let global = ScriptGlobal(
        "log",
        stub: "---Structured lines on standard error: `log.info(\"invited\", {count = 3})`.\nlog = {}\n"
            + levels.map { level in
                """

                ---@param message string
                ---@param fields? table<string, any>
                function log.\(level.name)(message, fields) end

                """
            }.joined()
    )

    public init(logger: Logger) {
        self.logger = logger
    }

    public func install(in context: ScriptContext) throws {
        var table: [LuaValue: LuaValue] = [:]
        for (name, level) in Self.levels {
            table[.string(name)] = .function(.swift(function(name, level)))
        }
        try context.state.setGlobal("log", .table(.map(table)))
    }

    private func function(_ name: String, _ level: Logger.Level) -> LuaSwiftFunction {
        let logger = logger
        return LuaSwiftFunction("log.\(name)") { call in
            let message = try call.string(1, "message")
            var metadata: Logger.Metadata = [:]
            if !call.isMissing(2) {
                try call.expect(2, "fields", is: .table)
                metadata = try Self.metadata(of: 2, in: call)
            }
            logger.log(level: level, "\(message)", metadata: metadata)
            return .none
        }
    }

    /// The fields table as log metadata: strings, numbers and booleans as text, tables as JSON.
    private static func metadata(of index: Int32, in call: LuaCall) throws -> Logger.Metadata {
        let stack = call.stack
        var metadata: Logger.Metadata = [:]
        stack.reserve(3)
        stack.pushNil()
        while stack.next(index) {
            defer { stack.pop() }
            guard stack.type(at: -2) == .string, let key = stack.string(at: -2) else {
                throw LuaArgumentError(
                    position: 2,
                    label: "fields",
                    expected: "a table with string keys",
                    got: "a \(stack.typeName(at: -2)) key"
                )
            }
            metadata[key] = .string(try text(at: stack.top, in: stack))
        }
        return metadata
    }

    private static func text(at index: Int32, in stack: LuaStack) throws -> String {
        switch stack.type(at: index) {
        case .string: return stack.string(at: index) ?? ""
        case .number:
            if let integer = stack.integer(at: index) { return String(integer) }
            return String(stack.number(at: index) ?? 0)
        case .boolean: return stack.boolean(at: index) ? "true" : "false"
        case .table: return String(decoding: try LuaJSONEncoder.encode(stack, at: index), as: UTF8.self)
        default: return stack.typeName(at: index)
        }
    }
}

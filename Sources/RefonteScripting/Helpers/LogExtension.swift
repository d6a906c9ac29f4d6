import Logging
import LuaRuntime

/// `log.debug/info/warn/error(message, fields)`: structured lines on the host's logger
/// (stderr in `refonte run`), so a script's own output on stdout stays clean.
///
/// A line is a line, not a dump: the message and each field are cut at `maximumText` bytes,
/// and fields past `maximumLine` bytes in all are left out with a note, so what the host builds
/// for one line is bounded whatever the script passes.
public struct LogExtension: ScriptExtension {
    let logger: Logger

    static let maximumText = 4096
    static let maximumLine = 64 * 1024

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
            guard call.type(1) == .string else { throw call.mismatch(1, "message", expected: "a string") }
            let message = Self.text(at: 1, in: call.stack)
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
        var length = 0
        var omitted = 0
        stack.reserve(3)
        stack.pushNil()
        while stack.next(index) {
            defer { stack.pop() }
            if length > maximumLine {
                omitted += 1
                continue
            }
            guard stack.type(at: -2) == .string else {
                throw LuaArgumentError(
                    position: 2,
                    label: "fields",
                    expected: "a table with string keys",
                    got: "a \(stack.typeName(at: -2)) key"
                )
            }
            let key = text(at: stack.top - 1, in: stack)
            let value = try fieldText(at: stack.top, in: stack)
            length += key.utf8.count + value.utf8.count
            metadata[key] = .string(value)
        }
        if omitted > 0 { metadata["omitted_fields"] = .string("\(omitted) more past \(maximumLine) bytes") }
        return metadata
    }

    private static func fieldText(at index: Int32, in stack: LuaStack) throws -> String {
        switch stack.type(at: index) {
        case .string: return text(at: index, in: stack)
        case .number:
            if let integer = stack.integer(at: index) { return String(integer) }
            return String(stack.number(at: index) ?? 0)
        case .boolean: return stack.boolean(at: index) ? "true" : "false"
        case .table:
            let json: [UInt8]
            do {
                json = try LuaJSONEncoder.encode(
                    stack,
                    at: index,
                    options: LuaJSONEncoder.Options(maximumBytes: maximumText)
                )
            } catch {
                guard error == .tooLong(maximumText) else { throw error }
                return "(a table of more than \(maximumText) bytes of JSON)"
            }
            return String(decoding: json, as: UTF8.self)
        default: return stack.typeName(at: index)
        }
    }

    /// The string at `index`, cut at `maximumText` bytes with a note of the rest.
    private static func text(at index: Int32, in stack: LuaStack) -> String {
        stack.withBytes(at: index) { bytes in
            guard bytes.count > maximumText else { return String(decoding: bytes, as: UTF8.self) }
            return String(decoding: bytes.prefix(maximumText), as: UTF8.self)
                + "... (\(bytes.count - maximumText) more bytes)"
        } ?? ""
    }
}

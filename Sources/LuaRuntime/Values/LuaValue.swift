/// A Lua value copied out of (or into) a Lua state.
///
/// Integers and floats stay apart, strings are bytes (not necessarily UTF-8), and a table is
/// read as an array when its keys are exactly 1...n, as a map otherwise.
public enum LuaValue: Hashable {
    case `nil`
    case boolean(Bool)
    case integer(Int64)
    case number(Double)
    case string(LuaString)
    case table(LuaTable)
    case function(LuaFunction)
    /// A userdata or a thread: seen, but it cannot be copied out of its state.
    case opaque(LuaType)

    public static func string(_ text: String) -> LuaValue { .string(LuaString(text)) }

    public var typeName: String {
        switch self {
        case .nil: "nil"
        case .boolean: "boolean"
        case .integer, .number: "number"
        case .string: "string"
        case .table: "table"
        case .function: "function"
        case .opaque(let type): type.name
        }
    }
}

extension LuaValue: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByFloatLiteral,
    ExpressibleByBooleanLiteral, ExpressibleByNilLiteral
{
    public init(stringLiteral value: String) { self = .string(LuaString(value)) }
    public init(integerLiteral value: Int64) { self = .integer(value) }
    public init(floatLiteral value: Double) { self = .number(value) }
    public init(booleanLiteral value: Bool) { self = .boolean(value) }
    public init(nilLiteral: ()) { self = .nil }
}

/// A Lua string: bytes, which are often but not always UTF-8.
public struct LuaString: Hashable, Sendable, CustomStringConvertible, ExpressibleByStringLiteral {
    public var bytes: [UInt8]

    public init(bytes: [UInt8]) { self.bytes = bytes }
    public init(_ text: String) { self.bytes = Array(text.utf8) }
    public init(stringLiteral value: String) { self.init(value) }

    /// The text, or nil when the bytes are not valid UTF-8.
    public var utf8: String? { String(validating: bytes, as: UTF8.self) }
    public var description: String { String(decoding: bytes, as: UTF8.self) }
}

/// A Lua table as an array (keys 1...n) or as a map.
public enum LuaTable: Hashable {
    case array([LuaValue])
    case map([LuaValue: LuaValue])
}

/// A function that can cross into Lua: a Swift closure, or a reference to a Lua function.
public enum LuaFunction: Hashable {
    case swift(LuaSwiftFunction)
    case lua(LuaReference)
}

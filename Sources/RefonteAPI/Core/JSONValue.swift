/// A JSON value as the catalog, the request builder and the sandbox see it.
///
/// Integers and floating-point numbers stay apart so that `"limit": 5` never turns into `5.0`
/// on the wire. Responses bound for Lua do not pass through this type: they are decoded straight
/// into Lua values by the scripting layer.
public enum JSONValue: Sendable, Hashable {
    case null
    case bool(Bool)
    case integer(Int64)
    case double(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])
}

extension JSONValue {
    /// The name a user sees for this value's kind in error messages ("got number").
    public var kindName: String {
        switch self {
        case .null: "null"
        case .bool: "boolean"
        case .integer: "integer"
        case .double: "number"
        case .string: "string"
        case .array: "array"
        case .object: "object"
        }
    }
}

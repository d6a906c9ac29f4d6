import LuaRuntime
import RefonteAPI

/// The Lua error value of a failed API call: a table scripts can inspect (`err.code`,
/// `err.status`, `err.retry_after`) whose `tostring` is one readable line.
enum ErrorValue {
    /// Every field an error value may hold.
    enum Field: String, CaseIterable {
        case operation, code, message, status
        case retryAfter = "retry_after"
        case attempts, field, expected, got

        var declaration: TableField {
            switch self {
            case .operation:
                TableField(name: rawValue, type: "string", doc: "the operation id, e.g. \"teams.invite\"")
            case .code:
                TableField(
                    name: rawValue,
                    type: "string",
                    doc: "not_found, duplicate, bad_request, rate_limited, invalid_argument, ..."
                )
            case .message: TableField(name: rawValue, type: "string", doc: "")
            case .status:
                TableField(
                    name: rawValue,
                    type: "integer?",
                    doc: "the HTTP status; nil when no answer arrived"
                )
            case .retryAfter:
                TableField(name: rawValue, type: "number?", doc: "seconds the server asked to wait (429)")
            case .attempts:
                TableField(name: rawValue, type: "integer?", doc: "how many times the request was sent")
            case .field:
                TableField(
                    name: rawValue,
                    type: "string?",
                    doc: "for invalid_argument: the argument at fault"
                )
            case .expected:
                TableField(
                    name: rawValue,
                    type: "string?",
                    doc: "for invalid_argument: what would have been accepted"
                )
            case .got:
                TableField(name: rawValue, type: "string?", doc: "for invalid_argument: what was given")
            }
        }

        var key: LuaValue { .string(rawValue) }
    }

    /// Pushes the table for an API failure (`code` such as `not_found`, `duplicate`).
    static func push(_ error: APIError, on stack: LuaStack) throws {
        var fields: [LuaValue: LuaValue] = [
            Field.operation.key: .string(error.operationID),
            Field.code.key: .string(error.code),
            Field.message.key: .string(error.message),
            Field.attempts.key: .integer(Int64(error.attempts)),
        ]
        if let status = error.status { fields[Field.status.key] = .integer(Int64(status)) }
        if let retryAfter = error.retryAfter { fields[Field.retryAfter.key] = .number(retryAfter) }
        try push(fields, text: error.description, on: stack)
    }

    /// Pushes the table for arguments refused before anything was sent (`code` is
    /// `invalid_argument`; `field`, `expected` and `got` say what was wrong).
    static func push(_ error: ArgumentError, on stack: LuaStack) throws {
        var fields: [LuaValue: LuaValue] = [
            Field.operation.key: .string(error.operationID),
            Field.code.key: "invalid_argument",
            Field.message.key: .string(error.description),
            Field.field.key: .string(error.field),
            Field.expected.key: .string(error.expected),
        ]
        if let got = error.got { fields[Field.got.key] = .string(got) }
        try push(fields, text: error.description, on: stack)
    }

    private static func push(_ fields: [LuaValue: LuaValue], text: String, on stack: LuaStack) throws {
        try stack.push(.table(.map(fields)))
        let table = stack.top
        let describe = LuaSwiftFunction("tostring") { call in try call.returning(.string(text)) }
        try stack.push(.table(.map(["__name": "refonte.error", "__tostring": .function(.swift(describe))])))
        stack.setMetatable(table)
    }
}

import LuaRuntime
import RefonteAPI

/// The Lua error value of a failed API call: a table scripts can inspect (`err.code`,
/// `err.status`, `err.retry_after`) whose `tostring` is one readable line.
enum ErrorValue {
    /// Pushes the table for an API failure (`code` such as `not_found`, `duplicate`).
    static func push(_ error: APIError, on stack: LuaStack) throws {
        var fields: [LuaValue: LuaValue] = [
            "operation": .string(error.operationID),
            "code": .string(error.code),
            "message": .string(error.message),
            "attempts": .integer(Int64(error.attempts)),
        ]
        if let status = error.status { fields["status"] = .integer(Int64(status)) }
        if let retryAfter = error.retryAfter { fields["retry_after"] = .number(retryAfter) }
        try push(fields, text: error.description, on: stack)
    }

    /// Pushes the table for arguments refused before anything was sent (`code` is
    /// `invalid_argument`; `field`, `expected` and `got` say what was wrong).
    static func push(_ error: ArgumentError, on stack: LuaStack) throws {
        var fields: [LuaValue: LuaValue] = [
            "operation": .string(error.operationID),
            "code": "invalid_argument",
            "message": .string(error.description),
            "field": .string(error.field),
            "expected": .string(error.expected),
        ]
        if let got = error.got { fields["got"] = .string(got) }
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

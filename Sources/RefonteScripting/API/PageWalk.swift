import LuaRuntime
import RefonteAPI

/// The step between two pages of an iterator, decided by the catalog's paging rules.
enum PageWalk {
    /// `(operation id, arguments, page) -> next arguments | nil`
    static func nextArguments() -> LuaSwiftFunction {
        LuaSwiftFunction("refonte iterator") { call in
            let id = try call.string(1, "operation")
            guard let operation = Catalog.operation(id: id) else {
                throw LuaValueError("no operation \(id)")
            }
            try call.expect(2, "arguments", is: .table)
            try call.expect(3, "page", is: .table)
            let arguments = try LuaArguments.json(at: 2, in: call.stack, for: operation)

            let stack = call.stack
            stack.reserve(3)
            let hasMore = stack.rawGet(3, field: "has_more") == .boolean && stack.boolean(at: -1)
            let token = stack.rawGet(3, field: "next_token") == .string ? stack.string(at: -1) : nil
            let returned = stack.rawGet(3, field: "docs") == .table ? stack.rawLength(-1) : 0
            stack.pop(3)

            guard
                let next = operation.nextPageArguments(
                    after: arguments,
                    hasMore: hasMore,
                    nextToken: token,
                    returnedCount: returned
                )
            else { return try call.returning(.nil) }
            try LuaJSONDecoder.decode(JSONValue.object(next).encoded(), onto: stack)
            return .results(1)
        }
    }
}

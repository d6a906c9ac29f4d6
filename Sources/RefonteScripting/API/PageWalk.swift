import LuaRuntime
import RefonteAPI

/// The steps of an iterator over pages, decided by the catalog's paging rules.
enum PageWalk {
    /// `(operation id, iterator arguments) -> first page's arguments, cap | nil`: checks what the
    /// script gave `<group>.iter` (`limit` caps the items, `page_size` sets the page).
    static func start() -> LuaSwiftFunction {
        LuaSwiftFunction("refonte iterator") { call in
            let id = try call.string(1, "operation")
            guard let operation = Catalog.operation(id: id) else {
                throw LuaValueError("no operation \(id)")
            }
            let given = try call.isMissing(2) ? [:] : LuaArguments.json(at: 2, in: call.stack, for: operation)
            let start: PageWalkStart
            do {
                start = try operation.startPageWalk(given)
            } catch let error as ArgumentError {
                try ErrorValue.push(error, on: call.stack)
                return .raise
            }
            let stack = call.stack
            stack.reserve(2)
            try LuaJSONDecoder.decode(JSONValue.object(start.arguments).encoded(), onto: stack)
            if let cap = start.cap { stack.push(cap) } else { stack.pushNil() }
            return .results(2)
        }
    }

    /// `(operation id, arguments, page, remaining | nil) -> next arguments | nil`; the next page
    /// asks for no more than the `remaining` items the iterator may still yield.
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
            let remaining = call.isMissing(4) ? nil : try call.integer(4, "remaining")

            guard
                let next = operation.nextPageArguments(
                    after: arguments,
                    hasMore: hasMore,
                    nextToken: token,
                    returnedCount: returned
                )
            else { return try call.returning(.nil) }
            let page = operation.pageArguments(next, remaining: remaining)
            try LuaJSONDecoder.decode(JSONValue.object(page).encoded(), onto: stack)
            return .results(1)
        }
    }
}

import LuaRuntime

/// The `json` table: `encode`, `decode`, `null`, and `array`/`object` to mark a table's kind.
enum JSONLibrary {
    static func install(in state: LuaState) throws {
        let stack = state.stack
        try JSONMarkers.install(on: stack)

        let encode = LuaSwiftFunction("json.encode") { call in
            guard call.argumentCount >= 1 else { throw call.mismatch(1, "value", expected: "a value") }
            var options = LuaJSONEncoder.Options()
            if !call.isMissing(2) {
                try call.expect(2, "options", is: .table)
                call.stack.rawGet(2, field: "pretty")
                options.pretty = call.stack.boolean(at: -1)
                call.stack.pop()
            }
            let bytes = try LuaJSONEncoder.encode(call.stack, at: 1, options: options)
            // While Lua copies the text, both copies exist.
            guard call.stack.withinLimits(reserving: 2 * bytes.count) else { throw LuaLimitReached() }
            call.stack.push(bytes: bytes)
            return .results(1)
        }
        let decode = LuaSwiftFunction("json.decode") { call in
            try call.expect(1, "text", is: .string)
            // (A typed-throws closure here crashes the 6.3 compiler, hence the Result.)
            let outcome = call.stack.withBytes(at: 1) { bytes in
                Result { () throws(JSONError) in try LuaJSONDecoder.decode(bytes, onto: call.stack) }
            }
            try outcome?.get()
            return .results(1)
        }

        let table = stack.top + 1
        stack.reserve(4)
        stack.newTable()
        try stack.push(.function(.swift(encode)))
        stack.rawSet(table, field: "encode")
        try stack.push(.function(.swift(decode)))
        stack.rawSet(table, field: "decode")
        JSONMarkers.push(JSONMarkers.nullKey, on: stack)
        stack.rawSet(table, field: "null")
        try stack.push(.function(.swift(marker("json.array", JSONMarkers.arrayKey))))
        stack.rawSet(table, field: "array")
        try stack.push(.function(.swift(marker("json.object", JSONMarkers.objectKey))))
        stack.rawSet(table, field: "object")
        stack.pushGlobals()
        stack.copy(table)
        stack.rawSet(-2, field: "json")
        stack.setTop(table - 1)
    }

    /// `json.array(t)` / `json.object(t)`: marks `t` (or a new table) and returns it.
    private static func marker(_ name: String, _ key: String) -> LuaSwiftFunction {
        LuaSwiftFunction(name) { call in
            if call.isMissing(1) {
                call.stack.setTop(0)
                call.stack.newTable()
            } else {
                try call.expect(1, "table", is: .table)
                call.stack.setTop(1)
            }
            JSONMarkers.push(key, on: call.stack)
            call.stack.setMetatable(1)
            return .results(1)
        }
    }
}

extension JSONLibrary {
    static let global = ScriptGlobal(
        "json",
        stub: """
            ---JSON for scripts: arrays and objects keep their kind, integers stay integers.
            json = {}

            ---@param value any
            ---@param options? {pretty: boolean}
            ---@return string
            function json.encode(value, options) end

            ---Raises an error naming the byte offset on invalid JSON.
            ---@param text string
            ---@return any
            function json.decode(text) end

            ---Marks `t` (or a new table) to encode as a JSON array, even when empty.
            ---@param t? table
            ---@return table
            function json.array(t) end

            ---Marks `t` (or a new table) to encode as a JSON object, even when empty.
            ---@param t? table
            ---@return table
            function json.object(t) end

            ---Stands for JSON null in tables given to and returned by the API.
            ---@type userdata
            json.null = nil

            """
    )
}

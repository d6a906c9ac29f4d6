import LuaRuntime

/// The Lua values that keep JSON's shape: `json.null`, and the metatables that mark a table as
/// an array or an object, so `[]` and `{}` survive a round trip. They live in the registry.
enum JSONMarkers {
    static let nullKey = "refonte.json.null"
    static let arrayKey = "refonte.json.array"
    static let objectKey = "refonte.json.object"

    static func install(on stack: LuaStack) throws {
        stack.reserve(6)
        stack.pushRegistry()
        let registry = stack.top
        defer { stack.setTop(registry - 1) }

        let null = stack.top + 1
        stack.newUserdata(size: 1)
        stack.newTable()
        stack.push("json.null")
        stack.rawSet(-2, field: "__name")
        let text = LuaSwiftFunction("tostring") { call in try call.returning("json.null") }
        try stack.push(.function(.swift(text)))
        stack.rawSet(-2, field: "__tostring")
        stack.setMetatable(null)
        stack.rawSet(registry, field: nullKey)

        for (key, name) in [(arrayKey, "json.array"), (objectKey, "json.object")] {
            stack.newTable()
            stack.push(name)
            stack.rawSet(-2, field: "__name")
            stack.rawSet(registry, field: key)
        }
        try PlaceholderValue.install(on: stack)
    }

    /// Pushes the marker stored under `key`.
    static func push(_ key: String, on stack: LuaStack) {
        stack.reserve(2)
        stack.pushRegistry()
        stack.rawGet(-1, field: key)
        stack.remove(-2)
    }
}

import Foundation
import LuaRuntime
import RefonteAPI

/// A value a dry run cannot know (a new task's id, a timestamp), as Lua sees it: a table with
/// the `refonte.unknown` metatable that prints `(known after apply)`, concatenates as that text,
/// encodes as that text in `json.encode`, and refuses to be indexed. Passed on to a later call,
/// it stays a reference (`Placeholder`), so `refonte apply` can put in the real value.
///
/// The table is empty; the marker it stands for is kept in a registry table with weak keys,
/// out of the script's reach.
enum PlaceholderValue {
    static let metatableKey = "refonte.unknown"
    static let markersKey = "refonte.unknown.markers"

    /// Puts the metatable and the marker table in the registry.
    static func install(on stack: LuaStack) throws {
        stack.reserve(6)
        stack.pushRegistry()
        let registry = stack.top
        defer { stack.setTop(registry - 1) }

        stack.newTable()
        let metatable = stack.top
        stack.push(metatableKey)
        stack.rawSet(metatable, field: "__name")
        stack.push(metatableKey)
        stack.rawSet(metatable, field: "__metatable")
        let methods: [(String, LuaSwiftFunction)] = [
            (
                "__tostring",
                LuaSwiftFunction("tostring") { call in try call.returning(.string(Placeholder.text)) }
            ),
            ("__concat", concat()),
            ("__eq", equal()),
            ("__index", refusal("has no fields")),
            ("__newindex", refusal("cannot be changed")),
            ("__len", refusal("has no length")),
        ]
        for (name, function) in methods {
            try stack.push(.function(.swift(function)))
            stack.rawSet(metatable, field: name)
        }
        stack.rawSet(registry, field: metatableKey)

        stack.newTable()
        let markers = stack.top
        stack.newTable()
        stack.push("k")
        stack.rawSet(-2, field: "__mode")
        stack.setMetatable(markers)
        stack.rawSet(registry, field: markersKey)
    }

    /// Pushes a new placeholder standing for `marker`.
    static func push(marker: String, on stack: LuaStack) {
        stack.reserve(5)
        stack.newTable()
        let value = stack.top
        JSONMarkers.push(metatableKey, on: stack)
        stack.setMetatable(value)
        JSONMarkers.push(markersKey, on: stack)
        stack.copy(value)
        stack.push(marker)
        stack.rawSet(-3)
        stack.pop()
    }

    /// The marker of the placeholder at `index`, or nil when the value is not one.
    static func marker(at index: Int32, on stack: LuaStack) -> String? {
        // Most values asked about are not tables: they leave before any other work.
        guard stack.type(at: index) == .table else { return nil }
        let index = stack.absolute(index)
        guard stack.reserve(3), stack.pushMetatable(index) else { return nil }
        JSONMarkers.push(metatableKey, on: stack)
        let isPlaceholder = stack.rawEqual(-1, -2)
        stack.pop(2)
        guard isPlaceholder else { return nil }
        JSONMarkers.push(markersKey, on: stack)
        stack.copy(index)
        _ = stack.rawGetTop(-2)
        let marker = stack.string(at: -1)
        stack.pop(2)
        return marker
    }

    /// Replaces, in the value on top of the stack (a planned answer just decoded from `json`),
    /// every string that is a placeholder marker by a placeholder.
    static func replaceMarkers(in json: JSONValue, prefix: String, on stack: LuaStack) {
        if case .string(let text) = json, text.hasPrefix(prefix) {
            stack.pop()
            push(marker: text, on: stack)
            return
        }
        replace(in: json, prefix: prefix, table: stack.top, on: stack)
    }

    private static func replace(in json: JSONValue, prefix: String, table: Int32, on stack: LuaStack) {
        stack.reserve(4)
        switch json {
        case .array(let items):
            for (offset, item) in items.enumerated() {
                let position = Int64(offset + 1)
                if case .string(let text) = item, text.hasPrefix(prefix) {
                    push(marker: text, on: stack)
                    stack.rawSet(table, index: position)
                } else if case .array = item, stack.rawGet(table, index: position) == .table {
                    replace(in: item, prefix: prefix, table: stack.top, on: stack)
                    stack.pop()
                } else if case .object = item, stack.rawGet(table, index: position) == .table {
                    replace(in: item, prefix: prefix, table: stack.top, on: stack)
                    stack.pop()
                } else {
                    stack.setTop(table)
                }
            }
        case .object(let fields):
            for (name, item) in fields {
                if case .string(let text) = item, text.hasPrefix(prefix) {
                    push(marker: text, on: stack)
                    stack.rawSet(table, field: name)
                } else if item.isContainer, stack.rawGet(table, field: name) == .table {
                    replace(in: item, prefix: prefix, table: stack.top, on: stack)
                    stack.pop()
                } else {
                    stack.setTop(table)
                }
            }
        case .null, .bool, .integer, .double, .string:
            break
        }
    }

    private static func refusal(_ what: String) -> LuaSwiftFunction {
        LuaSwiftFunction("refonte.unknown") { _ in
            throw LuaValueError(
                "\(Placeholder.text): this value \(what); a dry run does not know it until the plan is applied "
                    + "(refonte.is_unknown(v) tells such values apart)"
            )
        }
    }

    private static func concat() -> LuaSwiftFunction {
        LuaSwiftFunction("refonte.unknown") { call in
            var text = ""
            for position in Int32(1)...2 {
                if marker(at: position, on: call.stack) != nil {
                    text += Placeholder.text
                } else if call.type(position) == .string {
                    text += call.stack.string(at: position) ?? ""
                } else if let integer = call.stack.integer(at: position) {
                    text += String(integer)
                } else if let number = call.stack.number(at: position) {
                    text += luaText(number)
                } else {
                    throw LuaValueError("attempt to concatenate a \(call.stack.typeName(at: position)) value")
                }
            }
            return try call.returning(.string(text))
        }
    }

    /// A float as Lua's `tostring` writes it (`%.14g`, and `.0` when it looks like an integer).
    private static func luaText(_ number: Double) -> String {
        let text = String(format: "%.14g", number)
        let looksIntegral = text.allSatisfy { $0.isNumber || $0 == "-" }
        return looksIntegral ? text + ".0" : text
    }

    private static func equal() -> LuaSwiftFunction {
        LuaSwiftFunction("refonte.unknown") { call in
            let a = marker(at: 1, on: call.stack)
            let b = marker(at: 2, on: call.stack)
            return try call.returning(.boolean(a != nil && a == b))
        }
    }
}

extension JSONValue {
    fileprivate var isContainer: Bool {
        switch self {
        case .array, .object: true
        case .null, .bool, .integer, .double, .string: false
        }
    }
}

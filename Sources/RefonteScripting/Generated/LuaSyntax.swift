import RefonteAPI

/// Writing JSON values and type names as Lua source, for examples and editor stubs.
enum LuaSyntax {
    static func quoted(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars { LuaName.appendEscaped(scalar, to: &out) }
        return out + "\""
    }

    static func key(_ name: String) -> String {
        LuaName.isIdentifier(name) ? name : "[" + quoted(name) + "]"
    }

    /// A value as a Lua expression: `{name = "b1"}`, `{"a", "b"}`.
    static func literal(_ value: JSONValue) -> String {
        switch value {
        case .null: "json.null"
        case .bool(let b): b ? "true" : "false"
        case .integer(let i): String(i)
        case .double(let d): JSONValue.double(d).jsonText
        case .string(let s): quoted(s)
        case .array(let elements): "{" + elements.map(literal).joined(separator: ", ") + "}"
        case .object(let members):
            members.isEmpty
                ? "{}"
                : "{"
                    + members.keys.sorted().map { key($0) + " = " + literal(members[$0]!) }.joined(
                        separator: ", "
                    )
                    + "}"
        }
    }

    /// Enums that recur get a name of their own in the stubs.
    static let enumAliases: [(name: String, values: [String])] = [
        ("refonte.TaskType", Catalog.taskTypes),
        ("refonte.TaskStatus", Catalog.taskStatuses),
        ("refonte.BatchStatus", Catalog.batchStatuses),
        ("refonte.Pipeline", Catalog.pipelines),
    ]

    static func enumeration(_ values: [String]) -> String {
        enumAliases.first { $0.values == values }?.name ?? values.map(quoted).joined(separator: "|")
    }

    /// A LuaLS type for an argument's type.
    static func type(_ type: ValueType) -> String {
        switch type {
        case .string, .dateTime, .email, .url: "string"
        case .integer: "integer"
        case .number: "number"
        case .boolean: "boolean"
        case .enumeration(let values): enumeration(values)
        case .array(let element): arrayOf(self.type(element))
        case .object: "table<string, any>"
        case .record(let fields):
            "{ "
                + fields.map { $0.name + ($0.required ? "" : "?") + ": " + self.type($0.type) }
                .joined(separator: ", ") + " }"
        }
    }

    /// A LuaLS type for a response shape.
    static func type(_ schema: ResponseSchema) -> String {
        switch schema {
        case .string, .dateTime: "string"
        case .integer: "integer"
        case .number: "number"
        case .boolean: "boolean"
        case .enumeration(let values): enumeration(values)
        case .array(let element): arrayOf(type(element))
        case .map(let value): "table<string, " + type(value) + ">"
        case .object(let fields, _):
            "{ "
                + fields.map { $0.name + ($0.required ? "" : "?") + ": " + type($0.schema) }
                .joined(separator: ", ") + " }"
        case .model(let name): "refonte." + name
        // Decoded JSON null arrives as `json.null`.
        case .nullable(let wrapped): type(wrapped) + "|lightuserdata"
        case .freeObject: "table<string, any>"
        case .any: "any"
        }
    }

    private static func arrayOf(_ element: String) -> String {
        element.contains("|") ? "(" + element + ")[]" : element + "[]"
    }
}

/// The shape of a JSON value that the API returns: enough to express the contract's Objects
/// section, and to derive the OpenAPI components, the LuaLS classes and the docs from it.
///
/// Optional fields (`?` in the contract) are left out of a response when they have no value;
/// they are never sent as `null`. Fields that can hold `null` say so with `.nullable`.
public indirect enum ResponseSchema: Sendable, Hashable {
    case string
    case integer
    case number
    case boolean
    /// An ISO-8601 (RFC 3339) date-time string.
    case dateTime
    /// A string from a closed set.
    case enumeration([String])
    case array(ResponseSchema)
    /// A JSON object with free keys whose values all follow one schema (Assignments).
    case map(ResponseSchema)
    /// A JSON object with declared fields; `additionalFields` says whether others may appear.
    case object([ResponseField], additionalFields: Bool = false)
    /// A named object of `Catalog.models` (`Teammate`, `Task`, ...).
    case model(String)
    /// The value, or `null`.
    case nullable(ResponseSchema)
    /// Any JSON object (metadata, task params).
    case freeObject
    /// Any JSON value (a task's response).
    case any
}

/// One field of a `ResponseSchema.object`.
public struct ResponseField: Sendable, Hashable {
    public var name: String
    public var schema: ResponseSchema
    public var required: Bool
    public var doc: String

    public init(_ name: String, _ schema: ResponseSchema, required: Bool = true, doc: String = "") {
        self.name = name
        self.schema = schema
        self.required = required
        self.doc = doc
    }
}

/// A named response object, one per entry of the contract's Objects section (plus the
/// paginated lists and the small result objects of single operations).
public struct ResponseModel: Sendable, Hashable, Identifiable {
    public var name: String
    public var doc: String
    public var schema: ResponseSchema

    public var id: String { name }

    public init(_ name: String, doc: String, _ schema: ResponseSchema) {
        self.name = name
        self.doc = doc
        self.schema = schema
    }
}

extension ResponseSchema {
    /// How the docs and `refonte ops describe` name this shape: "[Teammate]", "Task".
    public var description: String {
        switch self {
        case .string: "string"
        case .integer: "integer"
        case .number: "number"
        case .boolean: "boolean"
        case .dateTime: "date-time"
        case .enumeration(let values): values.joined(separator: " | ")
        case .array(let element): "[" + element.description + "]"
        case .map(let value): "{string: " + value.description + "}"
        case .object(let fields, _):
            "{" + fields.map { $0.name + ($0.required ? "" : "?") }.joined(separator: ", ") + "}"
        case .model(let name): name
        case .nullable(let wrapped): wrapped.description + " or null"
        case .freeObject: "object"
        case .any: "any"
        }
    }
}

extension ResponseSchema {
    /// The named models this shape refers to, outermost first.
    public var modelNames: [String] {
        switch self {
        case .model(let name):
            var names = [name]
            if let model = Catalog.model(named: name) {
                for inner in model.schema.modelNames where !names.contains(inner) { names.append(inner) }
            }
            return names
        case .array(let s), .map(let s), .nullable(let s): return s.modelNames
        case .object(let fields, _):
            var names: [String] = []
            for f in fields { for n in f.schema.modelNames where !names.contains(n) { names.append(n) } }
            return names
        default: return []
        }
    }
}

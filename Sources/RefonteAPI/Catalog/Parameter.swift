/// One argument of an operation, as a Lua script passes it and as it travels on the wire.
public struct Parameter: Sendable, Hashable {
    public enum Location: String, Sendable, Hashable {
        /// Substituted into the path template, percent-encoded as one segment.
        case path
        /// A query item; arrays become repeated keys.
        case query
        /// A field of the JSON object body.
        case body
        /// The whole JSON body (setMetadata takes the object itself, tags take an array).
        case wholeBody
    }

    /// The name a Lua script uses (`role`).
    public var name: String
    /// The name on the wire (`team_role`); usually the same.
    public var wireName: String
    public var location: Location
    public var type: ValueType
    public var required: Bool
    /// One line for docs, stubs and `refonte ops describe`.
    public var doc: String
    /// Inclusive bounds for an integer (`limit` is 1...100).
    public var minimum: Int64?
    public var maximum: Int64?
    /// An empty string or array is refused. Path parameters and required strings (names, ids)
    /// are non-empty unless declared otherwise.
    public var nonEmpty: Bool
    /// What the server assumes when the argument is absent; documentation only for the client,
    /// filled in by `Operation.validate` on the server side.
    public var defaultValue: JSONValue?

    public init(
        _ name: String,
        wireName: String? = nil,
        in location: Location,
        _ type: ValueType,
        required: Bool = false,
        doc: String,
        minimum: Int64? = nil,
        maximum: Int64? = nil,
        nonEmpty: Bool? = nil,
        default defaultValue: JSONValue? = nil
    ) {
        self.name = name
        self.wireName = wireName ?? name
        self.location = location
        self.type = type
        self.required = required
        self.doc = doc
        self.minimum = minimum
        self.maximum = maximum
        self.nonEmpty = nonEmpty ?? (location == .path || (required && type == .string))
        self.defaultValue = defaultValue
    }
}

/// One field of a `ValueType.record`: a small JSON object with fixed fields inside an argument
/// (`set_priorities` takes `batches = {{name = "b1"}, ...}`).
public struct RecordField: Sendable, Hashable {
    public var name: String
    public var type: ValueType
    public var required: Bool
    public var doc: String

    public init(_ name: String, _ type: ValueType, required: Bool = false, doc: String) {
        self.name = name
        self.type = type
        self.required = required
        self.doc = doc
    }
}

/// The type of a parameter's value.
public indirect enum ValueType: Sendable, Hashable {
    case string
    case integer
    case number
    case boolean
    /// A string from a closed set.
    case enumeration([String])
    case array(ValueType)
    /// A free-form JSON object (metadata, params).
    case object
    /// An ISO-8601 date-time string.
    case dateTime
    /// An email address: `local@domain.tld`, no spaces.
    case email
    /// An absolute URL with one of these schemes (any case), no spaces.
    case url(schemes: [String])
    /// A JSON object with fixed fields; unknown fields are refused.
    case record([RecordField])
}

extension ValueType {
    /// How errors and docs name the type: "array of strings", "one of labeler, member, manager".
    public var description: String {
        switch self {
        case .string: "string"
        case .integer: "integer"
        case .number: "number"
        case .boolean: "boolean"
        case .enumeration(let values): "one of " + values.joined(separator: ", ")
        case .array(let element): "array of " + element.pluralDescription
        case .object: "object"
        case .dateTime: "ISO-8601 date-time string"
        case .email: "email address"
        case .url(let schemes): "URL (" + Self.either(schemes) + ")"
        case .record(let fields): "object {" + fields.map(\.name).joined(separator: ", ") + "}"
        }
    }

    /// `http, https or s3`
    private static func either(_ words: [String]) -> String {
        words.count < 2 ? words.joined() : words.dropLast().joined(separator: ", ") + " or " + words.last!
    }

    private var pluralDescription: String {
        switch self {
        case .string: "strings"
        case .integer: "integers"
        case .number: "numbers"
        case .boolean: "booleans"
        case .object: "objects"
        case .dateTime: "ISO-8601 date-time strings"
        case .email: "email addresses"
        case .url(let schemes): "URLs (" + Self.either(schemes) + ")"
        case .record(let fields): "objects {" + fields.map(\.name).joined(separator: ", ") + "}"
        case .enumeration, .array: description
        }
    }
}

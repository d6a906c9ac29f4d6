/// A request that the server refuses; `message` names the field and what was wrong.
public struct RequestValidationError: Error, Sendable, Hashable, CustomStringConvertible {
    public var status: Int
    public var message: String

    public init(status: Int = 400, message: String) {
        self.status = status
        self.message = message
    }

    public var description: String { "\(status): \(message)" }
}

/// A request that fits its operation, its values in wire form.
public struct ValidatedRequest: Sendable, Hashable {
    /// Every given path, query and body value keyed by its wire name, plus the declared default
    /// of each absent parameter that has one (`limit` is 100). A whole-body parameter (metadata,
    /// tags) is stored under its own wire name.
    public var values: [String: JSONValue]
    /// Body fields beyond the declared ones, on operations that allow them (task create, set
    /// project params); empty otherwise.
    public var extraBodyFields: [String: JSONValue]

    public init(values: [String: JSONValue] = [:], extraBodyFields: [String: JSONValue] = [:]) {
        self.values = values
        self.extraBodyFields = extraBodyFields
    }
}

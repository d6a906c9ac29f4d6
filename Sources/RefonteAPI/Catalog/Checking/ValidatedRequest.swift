/// A request that fits its operation, its values in wire form, read through the operation's
/// own declarations: a handler asks for `limit` as an integer and gets one already checked
/// against 1...100, or a `TaskStatus` already checked against the list, so it never restates
/// a rule of the catalog.
///
/// Reading a name the operation does not declare, or as another type than it is declared, is a
/// mistake in the reading code, not in the request: it throws `ArgumentAccessError`.
public struct ValidatedRequest: Sendable {
    public let operation: Operation
    /// Every given path, query and body value keyed by its wire name, plus the declared default
    /// of each absent parameter that has one (`limit` is 100). A whole-body parameter (metadata,
    /// tags) is stored under its own wire name.
    public internal(set) var values: [String: JSONValue]
    /// Body fields beyond the declared ones, on operations that allow them (task create, set
    /// project params); empty otherwise.
    public internal(set) var extraBodyFields: [String: JSONValue]

    public init(
        operation: Operation,
        values: [String: JSONValue] = [:],
        extraBodyFields: [String: JSONValue] = [:]
    ) {
        self.operation = operation
        self.values = values
        self.extraBodyFields = extraBodyFields
    }

    public func string(_ name: String) throws(ArgumentAccessError) -> String? {
        try read(name, as: "string") { type in
            switch type {
            case .string, .email, .dateTime, .url: true
            default: false
            }
        } value: {
            if case .string(let text) = $0 { text } else { nil }
        }
    }

    public func bool(_ name: String) throws(ArgumentAccessError) -> Bool? {
        try read(name, as: "boolean") {
            $0 == .boolean
        } value: {
            if case .bool(let flag) = $0 { flag } else { nil }
        }
    }

    /// Within the declared bounds.
    public func integer(_ name: String) throws(ArgumentAccessError) -> Int64? {
        try read(name, as: "integer") {
            $0 == .integer
        } value: {
            if case .integer(let number) = $0 { number } else { nil }
        }
    }

    public func strings(_ name: String) throws(ArgumentAccessError) -> [String]? {
        try read(name, as: "array of strings") { type in
            if case .array(let element) = type { element == .string || element == .email } else { false }
        } value: {
            guard case .array(let items) = $0 else { return nil }
            var texts: [String] = []
            for case .string(let text) in items { texts.append(text) }
            return texts.count == items.count ? texts : nil
        }
    }

    public func object(_ name: String) throws(ArgumentAccessError) -> [String: JSONValue]? {
        try read(name, as: "object") {
            $0 == .object
        } value: {
            if case .object(let members) = $0 { members } else { nil }
        }
    }

    /// An array of records, each already checked against the record's fields.
    public func records(_ name: String) throws(ArgumentAccessError) -> [[String: JSONValue]]? {
        try read(name, as: "array of records") { type in
            if case .array(.record) = type { true } else { false }
        } value: {
            guard case .array(let items) = $0 else { return nil }
            var records: [[String: JSONValue]] = []
            for case .object(let members) in items { records.append(members) }
            return records.count == items.count ? records : nil
        }
    }

    /// A value of a closed set. Every value the catalog allows must be a case of `Choice`.
    public func choice<Choice: CatalogChoice>(
        _ name: String,
        as choice: Choice.Type
    ) throws(ArgumentAccessError) -> Choice? {
        try read(name, as: "\(Choice.self)") { type in
            if case .enumeration(let values) = type {
                values.allSatisfy { Choice(rawValue: $0) != nil }
            } else {
                false
            }
        } value: {
            if case .string(let text) = $0 { Choice(rawValue: text) } else { nil }
        }
    }

    /// A date-time as milliseconds since 1970.
    public func dateMilliseconds(_ name: String) throws(ArgumentAccessError) -> Int64? {
        try read(name, as: "date-time") {
            $0 == .dateTime
        } value: {
            if case .string(let text) = $0 { DateTime.milliseconds(text) } else { nil }
        }
    }

    // A parameter the operation requires (or gives a default) is always there after validation.

    public func requiredString(_ name: String) throws(ArgumentAccessError) -> String {
        try present(name, string(name))
    }

    public func requiredBool(_ name: String) throws(ArgumentAccessError) -> Bool {
        try present(name, bool(name))
    }

    public func requiredInteger(_ name: String) throws(ArgumentAccessError) -> Int64 {
        try present(name, integer(name))
    }

    public func requiredStrings(_ name: String) throws(ArgumentAccessError) -> [String] {
        try present(name, strings(name))
    }

    public func requiredObject(_ name: String) throws(ArgumentAccessError) -> [String: JSONValue] {
        try present(name, object(name))
    }

    public func requiredRecords(_ name: String) throws(ArgumentAccessError) -> [[String: JSONValue]] {
        try present(name, records(name))
    }

    public func requiredChoice<Choice: CatalogChoice>(
        _ name: String,
        as choice: Choice.Type
    ) throws(ArgumentAccessError) -> Choice {
        try present(name, self.choice(name, as: choice))
    }

    private func present<Value>(_ name: String, _ value: Value?) throws(ArgumentAccessError) -> Value {
        let parameter = operation.parameters.first { $0.wireName == name }
        guard parameter?.required == true || parameter?.defaultValue != nil else {
            throw ArgumentAccessError(
                operationID: operation.id,
                name: name,
                problem: "is read as required, but the catalog declares it optional with no default"
            )
        }
        guard let value else {
            throw ArgumentAccessError(
                operationID: operation.id,
                name: name,
                problem: "is missing after validation"
            )
        }
        return value
    }

    private func read<Value>(
        _ name: String,
        as kind: String,
        declared: (ValueType) -> Bool,
        value: (JSONValue) -> Value?
    ) throws(ArgumentAccessError) -> Value? {
        guard let parameter = operation.parameters.first(where: { $0.wireName == name }) else {
            throw ArgumentAccessError(operationID: operation.id, name: name, problem: "is not declared")
        }
        guard declared(parameter.type) else {
            throw ArgumentAccessError(
                operationID: operation.id,
                name: name,
                problem: "is read as \(kind), but the catalog declares \(parameter.type.description)"
            )
        }
        guard let given = values[name], given != .null else { return nil }
        guard let typed = value(given) else {
            throw ArgumentAccessError(
                operationID: operation.id,
                name: name,
                problem: "holds \(given.shortDescription), not a valid \(kind)"
            )
        }
        return typed
    }
}

/// Code read a validated request in a way its operation's declaration does not allow: a bug
/// in the reader, reported as an internal error.
public struct ArgumentAccessError: Error, Sendable, CustomStringConvertible {
    public var operationID: String
    public var name: String
    public var problem: String

    public var description: String { "\(operationID): parameter '\(name)' \(problem)" }
}

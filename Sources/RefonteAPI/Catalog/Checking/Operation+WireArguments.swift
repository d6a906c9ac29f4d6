extension Operation {
    /// A prepared request's arguments read back from its wire form, keyed by wire name: path
    /// parameters (percent-decoded), query items (repeated keys as arrays), the body's fields or
    /// the whole body. Body fields the catalog does not declare (free-form operations) are in
    /// `extras`. The inverse of `prepare`, for a dry run's echo, a retry's recovery and the plan.
    public func wireArguments(of request: PreparedRequest) -> WireArguments {
        var arguments = WireArguments()
        let template = path.split(separator: "/", omittingEmptySubsequences: false)
        let actual = request.path.split(separator: "/", omittingEmptySubsequences: false)
        if template.count == actual.count {
            for (pattern, segment) in zip(template, actual)
            where pattern.hasPrefix("{") && pattern.hasSuffix("}") {
                let name = String(pattern.dropFirst().dropLast())
                arguments.values[name] = .string(PercentEncoding.decode(String(segment)) ?? String(segment))
            }
        }
        for item in request.query {
            let parameter = parameters.first { $0.location == .query && $0.wireName == item.name }
            let value = Self.queryValue(item.value, type: parameter?.type)
            if case .array = parameter?.type {
                if case .array(let existing) = arguments.values[item.name] {
                    arguments.values[item.name] = .array(existing + [value])
                } else {
                    arguments.values[item.name] = .array([value])
                }
            } else {
                arguments.values[item.name] = value
            }
        }
        guard let body = request.body, let parsed = try? JSONValue.parse(body) else { return arguments }
        if let whole = parameters.first(where: { $0.location == .wholeBody }) {
            arguments.values[whole.wireName] = parsed
            return arguments
        }
        guard case .object(let fields) = parsed else { return arguments }
        let declared = Set(parameters.filter { $0.location == .body }.map(\.wireName))
        for (name, value) in fields {
            if declared.contains(name) {
                arguments.values[name] = value
            } else {
                arguments.extras[name] = value
            }
        }
        return arguments
    }

    private static func queryValue(_ text: String, type: ValueType?) -> JSONValue {
        var type = type
        if case .array(let element) = type { type = element }
        switch type {
        case .integer: if let integer = Int64(text) { return .integer(integer) }
        case .number: if let number = Double(text) { return .double(number) }
        case .boolean: if let flag = Bool(text.lowercased()) { return .bool(flag) }
        default: break
        }
        return .string(text)
    }
}

/// The arguments of a request in wire form: declared ones by wire name, and free-form extras.
public struct WireArguments: Sendable, Hashable {
    public var values: [String: JSONValue] = [:]
    public var extras: [String: JSONValue] = [:]

    public init(values: [String: JSONValue] = [:], extras: [String: JSONValue] = [:]) {
        self.values = values
        self.extras = extras
    }
}

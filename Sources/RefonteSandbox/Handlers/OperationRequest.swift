import RefonteAPI

/// One checked API call as a handler sees it: who asks, and the values of the parameters
/// keyed by their wire names (the catalog has already checked their types).
struct OperationRequest: Sendable {
    var operationID: String
    var tenant: Tenant
    var values: [String: JSONValue]
    /// Body fields the operation does not declare, for operations whose bodies are free-form.
    var extraBodyFields: [String: JSONValue]
    var now: Timestamp

    init(
        operationID: String,
        tenant: Tenant,
        values: [String: JSONValue],
        extraBodyFields: [String: JSONValue] = [:],
        now: Timestamp = .now()
    ) {
        self.operationID = operationID
        self.tenant = tenant
        self.values = values
        self.extraBodyFields = extraBodyFields
        self.now = now
    }

    private func wrongType(_ name: String, _ expected: String, _ got: JSONValue) -> SandboxError {
        .badRequest("\(operationID): \(name) must be \(expected), got \(got.kindName)")
    }

    /// The value, with JSON `null` meaning absent as the contract says.
    func value(_ name: String) -> JSONValue? {
        switch values[name] {
        case nil, .null?: nil
        case let value?: value
        }
    }

    func string(_ name: String) throws(SandboxError) -> String? {
        guard let value = value(name) else { return nil }
        guard case .string(let s) = value else { throw wrongType(name, "a string", value) }
        return s
    }

    func requiredString(_ name: String) throws(SandboxError) -> String {
        guard let s = try string(name) else { throw .badRequest("\(operationID): \(name) is required") }
        guard !s.isEmpty else { throw .badRequest("\(operationID): \(name) must not be empty") }
        return s
    }

    func bool(_ name: String) throws(SandboxError) -> Bool? {
        guard let value = value(name) else { return nil }
        switch value {
        case .bool(let b): return b
        case .string("true"), .string("True"): return true
        case .string("false"), .string("False"): return false
        default: throw wrongType(name, "a boolean", value)
        }
    }

    func integer(_ name: String) throws(SandboxError) -> Int64? {
        guard let value = value(name) else { return nil }
        switch value {
        case .integer(let i): return i
        case .double(let d) where d == d.rounded() && abs(d) < 9e15: return Int64(d)
        case .string(let s) where Int64(s) != nil: return Int64(s)!
        default: throw wrongType(name, "an integer", value)
        }
    }

    func number(_ name: String) throws(SandboxError) -> Double? {
        guard let value = value(name) else { return nil }
        switch value {
        case .integer(let i): return Double(i)
        case .double(let d): return d
        default: throw wrongType(name, "a number", value)
        }
    }

    func strings(_ name: String) throws(SandboxError) -> [String]? {
        guard let value = value(name) else { return nil }
        switch value {
        case .string(let s): return [s]
        case .array(let items):
            var out: [String] = []
            for item in items {
                guard case .string(let s) = item else { throw wrongType(name, "an array of strings", value) }
                out.append(s)
            }
            return out
        default: throw wrongType(name, "an array of strings", value)
        }
    }

    func requiredStrings(_ name: String) throws(SandboxError) -> [String] {
        guard let list = try strings(name) else { throw .badRequest("\(operationID): \(name) is required") }
        guard !list.isEmpty else { throw .badRequest("\(operationID): \(name) must not be empty") }
        return list
    }

    func object(_ name: String) throws(SandboxError) -> [String: JSONValue]? {
        guard let value = value(name) else { return nil }
        guard case .object(let fields) = value else { throw wrongType(name, "an object", value) }
        return fields
    }

    func date(_ name: String) throws(SandboxError) -> Timestamp? {
        guard let text = try string(name) else { return nil }
        guard let stamp = Timestamp(iso8601: text) else {
            throw .badRequest("\(operationID): \(name) must be an ISO-8601 date-time, got \"\(text)\"")
        }
        return stamp
    }

    func limit(default defaultValue: Int64 = 100) throws(SandboxError) -> Int64 {
        let limit = try integer("limit") ?? defaultValue
        guard (1...100).contains(limit) else {
            throw .badRequest("\(operationID): limit must be from 1 to 100, got \(limit)")
        }
        return limit
    }
}

/// Email addresses: something@something.something, the check the hosted API makes.
func checkEmails(_ emails: [String], field: String, operation: String) throws(SandboxError) {
    let bad = emails.filter { email in
        let parts = email.split(separator: "@", omittingEmptySubsequences: false)
        return parts.count != 2 || parts[0].isEmpty || !parts[1].contains(".") || parts[1].hasSuffix(".")
            || parts[1].hasPrefix(".") || email.contains(" ")
    }
    if !bad.isEmpty {
        throw .badRequest("\(operation): \(field) holds invalid email addresses: \(quotedList(bad))")
    }
}

/// The names in order, each once.
func uniqued(_ items: [String]) -> [String] {
    var seen = Set<String>()
    return items.filter { seen.insert($0).inserted }
}

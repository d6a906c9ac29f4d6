extension Recovery {
    /// The read that finds what `request`, a write of `operation`, did; nil when the write
    /// lacks an argument the read needs (a task created without a `unique_id`).
    public func read(for request: PreparedRequest, of operation: Operation) -> PreparedRequest? {
        guard let reader = Catalog.operation(id: operationID) else { return nil }
        let written = operation.wireArguments(of: request).values
        var arguments: [String: JSONValue] = [:]
        for (name, source) in self.arguments {
            guard var value = written[source] else { return nil }
            if case .array? = reader.parameters.first(where: { $0.name == name })?.type {
                if case .array = value {} else { value = .array([value]) }
            }
            arguments[name] = value
        }
        return try? reader.prepare(arguments)
    }

    /// The part of the read's answer that stands for the write's answer; nil when the answer
    /// shows no sign of the write, or shows something else under the same key (a top-level
    /// field that the write also sent, with another value).
    public func pick(from body: [UInt8], for request: PreparedRequest, of operation: Operation) -> [UInt8]? {
        guard let answer = try? JSONValue.parse(body) else { return nil }
        let written = operation.wireArguments(of: request).values
        switch pick {
        case .whole:
            return Self.agrees(answer, with: written) ? body : nil
        case .first(let field):
            guard case .object(let page) = answer, case .array(let items)? = page[field],
                let first = items.first,
                Self.agrees(first, with: written)
            else { return nil }
            return first.encoded()
        case .element(let field, let argument):
            guard case .array(let items) = answer, let wanted = written[argument],
                let found = items.first(where: { Self.member($0, field) == wanted }),
                Self.agrees(found, with: written)
            else { return nil }
            return found.encoded()
        case .wholeWhenItHasAll(let field, let argument):
            guard case .array(let items) = answer, case .array(let wanted)? = written[argument] else {
                return nil
            }
            let present = Set(items.compactMap { Self.member($0, field)?.lowercasedString })
            return wanted.allSatisfy { $0.lowercasedString.map(present.contains) ?? false } ? body : nil
        }
    }

    private static func member(_ value: JSONValue, _ field: String) -> JSONValue? {
        guard case .object(let fields) = value else { return nil }
        return fields[field]
    }

    /// Every scalar the write sent under a name the found object also has is the same there.
    private static func agrees(_ found: JSONValue, with written: [String: JSONValue]) -> Bool {
        guard case .object(let fields) = found else { return false }
        for (name, value) in written {
            guard let existing = fields[name] else { continue }
            switch value {
            case .string, .integer, .bool, .double:
                if existing != value { return false }
            case .null, .array, .object:
                continue
            }
        }
        return true
    }
}

extension JSONValue {
    fileprivate var lowercasedString: String? {
        if case .string(let text) = self { return text.lowercased() }
        return nil
    }
}

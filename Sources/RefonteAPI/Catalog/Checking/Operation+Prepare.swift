extension Operation {
    /// Checks a script's arguments, keyed by their Lua names, and turns them into the request to
    /// send. Nothing is sent when this throws.
    ///
    /// - Unknown names are refused, except on operations with free-form fields, where they
    ///   travel in the body under the same name.
    /// - `null` means absent.
    /// - Path values are percent-encoded as one segment; query arrays become repeated keys and
    ///   booleans `true`/`false`; the body is compact JSON with sorted keys.
    public func prepare(_ arguments: [String: JSONValue]) throws(ArgumentError) -> PreparedRequest {
        let checker = ValueChecker(lenientEmptyTables: true, firstIndex: 1)
        var given: [String: JSONValue] = [:]
        var extras: [String: JSONValue] = [:]

        for name in arguments.keys.sorted() {
            let value = arguments[name]!
            guard let parameter = parameters.first(where: { $0.name == name }) else {
                if allowsExtraBodyFields {
                    if TextRule.isRefused(name) {
                        throw ArgumentError(
                            operationID: id,
                            field: String(JSONValue.string(name).jsonText.dropFirst().dropLast()),
                            expected: "named without NUL characters (\\u0000)",
                            kind: .invalidValue
                        )
                    }
                    do {
                        try checker.checkFreeForm(value, path: "")
                    } catch {
                        throw argumentError(error, name: name)
                    }
                    if value != .null { extras[name] = value }
                    continue
                }
                let names = parameters.map(\.name)
                throw ArgumentError(
                    operationID: id,
                    field: name,
                    expected: names.joined(separator: ", "),
                    kind: .unknown,
                    suggestion: Suggestion.closest(to: name, in: names)
                )
            }
            if value == .null { continue }
            do {
                given[name] = try checker.check(value, for: parameter)
            } catch {
                throw argumentError(error, parameter: parameter)
            }
        }

        for parameter in parameters where parameter.required && given[parameter.name] == nil {
            // On a free-form operation a misspelt argument passes as a field of its own; point
            // at it when a required one then turns up missing.
            throw ArgumentError(
                operationID: id,
                field: parameter.name,
                expected: parameter.type.description,
                kind: .missing,
                suggestion: Suggestion.closest(to: parameter.name, in: extras.keys.sorted())
            )
        }
        try checkConstraints(given)
        return PreparedRequest(
            operationID: id,
            method: method,
            path: expandPath(given),
            query: queryItems(given),
            body: body(given, extras: extras),
            idempotent: idempotent
        )
    }

    private func argumentError(_ mismatch: ValueMismatch, parameter: Parameter) -> ArgumentError {
        argumentError(mismatch, name: parameter.name)
    }

    private func argumentError(_ mismatch: ValueMismatch, name: String) -> ArgumentError {
        let field = name + mismatch.path
        switch mismatch.kind {
        case .wrongValue(let expected, let got, let suggestion):
            return ArgumentError(
                operationID: id,
                field: field,
                expected: expected,
                got: got,
                kind: .invalidValue,
                suggestion: suggestion
            )
        case .missing(let expected):
            return ArgumentError(operationID: id, field: field, expected: expected, kind: .missing)
        case .unknown(let allowed):
            let key = String(mismatch.path.split(separator: ".").last ?? "")
            return ArgumentError(
                operationID: id,
                field: field,
                expected: allowed.joined(separator: ", "),
                kind: .unknown,
                suggestion: Suggestion.closest(to: key, in: allowed)
            )
        }
    }

    private func checkConstraints(_ given: [String: JSONValue]) throws(ArgumentError) {
        func luaName(_ wire: String) -> String { parameters.first { $0.wireName == wire }?.name ?? wire }
        func value(_ wire: String) -> JSONValue? { given[luaName(wire)] }
        for constraint in constraints {
            if let rule = constraint.violation(value, name: luaName) {
                throw ArgumentError(
                    operationID: id,
                    field: constraint.field.map(luaName) ?? "",
                    expected: rule,
                    kind: .constraint
                )
            }
        }
    }

    private func expandPath(_ given: [String: JSONValue]) -> String {
        path.split(separator: "/", omittingEmptySubsequences: false).map { segment -> String in
            guard segment.hasPrefix("{"), segment.hasSuffix("}") else { return String(segment) }
            let wire = String(segment.dropFirst().dropLast())
            guard let parameter = parameters.first(where: { $0.wireName == wire && $0.location == .path }),
                case .string(let text)? = given[parameter.name]
            else { return String(segment) }
            return PercentEncoding.pathSegment(text)
        }.joined(separator: "/")
    }

    private func queryItems(_ given: [String: JSONValue]) -> [PreparedRequest.QueryItem] {
        var items: [PreparedRequest.QueryItem] = []
        for parameter in parameters where parameter.location == .query {
            guard let value = given[parameter.name] else { continue }
            if case .array(let elements) = value {
                for element in elements {
                    items.append(.init(name: parameter.wireName, value: element.queryText))
                }
            } else {
                items.append(.init(name: parameter.wireName, value: value.queryText))
            }
        }
        return items
    }

    private func body(_ given: [String: JSONValue], extras: [String: JSONValue]) -> [UInt8]? {
        if let whole = parameters.first(where: { $0.location == .wholeBody }) {
            return given[whole.name]?.encoded()
        }
        let fields = parameters.filter { $0.location == .body }
        guard !fields.isEmpty || allowsExtraBodyFields else { return nil }
        var object = extras
        for parameter in fields {
            if let value = given[parameter.name] { object[parameter.wireName] = value }
        }
        return JSONValue.object(object).encoded()
    }
}

extension JSONValue {
    /// A scalar as a query value: strings as they are, booleans `true`/`false`, numbers in JSON.
    var queryText: String {
        if case .string(let s) = self { return s }
        return jsonText
    }
}

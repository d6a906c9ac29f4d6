extension Operation {
    /// Checks a request as the server receives it, with the same rules as `prepare` so that
    /// whatever the client sends is accepted and nothing else is.
    ///
    /// - `pathParameters` are keyed by the template's names and already percent-decoded.
    /// - Query booleans may be `true`/`false`/`True`/`False`; integers must be plain decimal;
    ///   arrays are repeated keys; unknown query names are refused (400), as are repeats of a
    ///   single-valued one.
    /// - An absent or blank body is an empty object. Invalid JSON is a 400 naming the byte.
    ///   Unknown body fields are a 400, except on operations with free-form fields, where they
    ///   land in `extraBodyFields`. A `null` field is absent.
    /// - Ranges (`limit` 1–100), enums and the operation's constraints are checked here; what
    ///   depends on stored state (does the project exist, is it a Studio project) is the
    ///   server's job.
    public func validate(
        pathParameters: [String: String],
        query: [(name: String, value: String)],
        body: [UInt8]?
    ) throws(RequestValidationError) -> ValidatedRequest {
        var result = ValidatedRequest(operation: self)
        try validatePath(pathParameters, into: &result)
        try validateQuery(query, into: &result)
        try validateBody(body, into: &result)

        for parameter in parameters where parameter.required && result.values[parameter.wireName] == nil {
            throw RequestValidationError(
                message:
                    "missing required \(parameter.location.noun) '\(parameter.wireName)' (\(parameter.type.description))"
            )
        }
        for constraint in constraints {
            if let rule = constraint.violation({ result.values[$0] }, name: { $0 }) {
                throw RequestValidationError(message: rule.replacing("argument", with: "field"))
            }
        }
        for parameter in parameters where result.values[parameter.wireName] == nil {
            if let value = parameter.defaultValue { result.values[parameter.wireName] = value }
        }
        return result
    }

    fileprivate static let serverChecker = ValueChecker(lenientEmptyTables: false, firstIndex: 0)

    private func fault(_ mismatch: ValueMismatch, _ parameter: Parameter) -> RequestValidationError {
        let noun = parameter.location.noun
        let field = parameter.wireName + mismatch.path
        switch mismatch.kind {
        case .wrongValue(let expected, let got, let suggestion):
            let hint = suggestion.map { "; did you mean \"\($0)\"?" } ?? ""
            if parameter.location == .wholeBody {
                return RequestValidationError(
                    message: "request body\(mismatch.path) must be \(expected) (got \(got))\(hint)"
                )
            }
            return RequestValidationError(
                message: "\(noun) '\(field)' must be \(expected) (got \(got))\(hint)"
            )
        case .missing(let expected):
            return RequestValidationError(message: "missing required \(noun) '\(field)' (\(expected))")
        case .unknown(let allowed):
            return RequestValidationError(
                message: "unknown \(noun) '\(field)' (expected one of: \(allowed.joined(separator: ", ")))"
            )
        }
    }

    private func validatePath(
        _ pathParameters: [String: String],
        into result: inout ValidatedRequest
    ) throws(RequestValidationError) {
        for parameter in parameters where parameter.location == .path {
            guard let raw = pathParameters[parameter.wireName], !raw.isEmpty else {
                throw RequestValidationError(message: "missing path parameter '\(parameter.wireName)'")
            }
            do {
                result.values[parameter.wireName] = try Self.serverChecker.check(.string(raw), for: parameter)
            } catch {
                throw fault(error, parameter)
            }
        }
    }

    private func validateQuery(
        _ query: [(name: String, value: String)],
        into result: inout ValidatedRequest
    ) throws(RequestValidationError) {
        var raw: [String: [String]] = [:]
        var order: [String] = []
        for item in query {
            if raw[item.name] == nil { order.append(item.name) }
            raw[item.name, default: []].append(item.value)
        }
        let declared = parameters.filter { $0.location == .query }
        for name in order {
            guard let parameter = declared.first(where: { $0.wireName == name }) else {
                let names = declared.map(\.wireName)
                throw RequestValidationError(
                    message: "unknown query parameter '\(name)' (expected "
                        + (names.isEmpty ? "none" : "one of: " + names.joined(separator: ", ")) + ")"
                )
            }
            let texts = raw[name]!
            let value: JSONValue
            if case .array(let element) = parameter.type {
                value = .array(
                    try texts.enumerated().map { (n, text) throws(RequestValidationError) in
                        try queryValue(text, element, parameter, path: "[\(n)]")
                    }
                )
            } else {
                guard texts.count == 1 else {
                    throw RequestValidationError(
                        message: "query parameter '\(name)' was given \(texts.count) times; expected once"
                    )
                }
                value = try queryValue(texts[0], parameter.type, parameter, path: "")
            }
            do {
                result.values[name] = try Self.serverChecker.check(value, for: parameter)
            } catch {
                throw fault(error, parameter)
            }
        }
    }

    /// A query string is text: read it as the type says, then check it like any other value.
    private func queryValue(
        _ text: String,
        _ type: ValueType,
        _ parameter: Parameter,
        path: String
    ) throws(RequestValidationError) -> JSONValue {
        let quoted = JSONValue.string(text).shortDescription
        let parsed: JSONValue?
        switch type {
        case .boolean:
            parsed =
                switch text {
                case "true", "True": .bool(true)
                case "false", "False": .bool(false)
                default: nil
                }
        case .integer: parsed = Self.strictInteger(text).map(JSONValue.integer)
        case .number:
            parsed =
                Self.strictInteger(text).map(JSONValue.integer)
                ?? Self.strictDouble(text).map(JSONValue.double)
        default: parsed = .string(text)
        }
        guard let parsed else {
            let expected = type.expectedPhrase(minimum: parameter.minimum, maximum: parameter.maximum)
            throw RequestValidationError(
                message: "query parameter '\(parameter.wireName)\(path)' must be \(expected) (got \(quoted))"
            )
        }
        do {
            return try Self.serverChecker.check(
                parsed,
                type,
                minimum: parameter.minimum,
                maximum: parameter.maximum
            )
        } catch {
            if case .wrongValue(let expected, _, let suggestion) = error.kind {
                throw RequestValidationError(
                    message:
                        "query parameter '\(parameter.wireName)\(path)' must be \(expected) (got \(quoted))"
                        + (suggestion.map { "; did you mean \"\($0)\"?" } ?? "")
                )
            }
            throw fault(error, parameter)
        }
    }

    /// Plain decimal only: an optional '-' and digits that fit in 64 bits ("+5", " 5", "5.0"
    /// and "0x10" are refused).
    static func strictInteger(_ text: String) -> Int64? {
        let digits = text.utf8.first == UInt8(ascii: "-") ? text.utf8.dropFirst() : text.utf8[...]
        guard !digits.isEmpty, digits.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return nil }
        return Int64(text)
    }

    /// A JSON number.
    static func strictDouble(_ text: String) -> Double? {
        guard case .double(let d)? = try? JSONValue.parse(text) else { return nil }
        return d
    }

    private func validateBody(
        _ body: [UInt8]?,
        into result: inout ValidatedRequest
    ) throws(RequestValidationError) {
        let parsed: JSONValue
        if let body, body.contains(where: { ![0x20, 0x09, 0x0A, 0x0D].contains($0) }) {
            do {
                parsed = try JSONValue.parse(body)
            } catch {
                throw RequestValidationError(
                    message: "request body is not valid JSON: \(error.reason) at byte \(error.offset)"
                )
            }
        } else {
            parsed = .object([:])
        }

        if let whole = parameters.first(where: { $0.location == .wholeBody }) {
            do {
                result.values[whole.wireName] = try Self.serverChecker.check(parsed, for: whole)
            } catch {
                throw fault(error, whole)
            }
            return
        }

        guard case .object(let members) = parsed else {
            throw RequestValidationError(
                message: "request body must be a JSON object (got \(parsed.shortDescription))"
            )
        }
        let fields = parameters.filter { $0.location == .body }
        for key in members.keys.sorted() {
            let value = members[key]!
            guard let parameter = fields.first(where: { $0.wireName == key }) else {
                if allowsExtraBodyFields {
                    try Self.checkExtraField(key, value)
                    if value != .null { result.extraBodyFields[key] = value }
                    continue
                }
                let names = fields.map(\.wireName)
                throw RequestValidationError(
                    message: names.isEmpty
                        ? "unknown body field '\(key)' (this operation takes no body fields)"
                        : "unknown body field '\(key)' (expected one of: \(names.joined(separator: ", ")))"
                )
            }
            if value == .null { continue }
            do {
                result.values[key] = try Self.serverChecker.check(value, for: parameter)
            } catch {
                throw fault(error, parameter)
            }
        }
    }
}

extension Operation {
    /// A body field beyond the declared ones, on a free-form operation: stored as given, so its
    /// name and value keep to the same rules as any free-form object.
    fileprivate static func checkExtraField(_ key: String, _ value: JSONValue) throws(RequestValidationError)
    {
        do {
            try serverChecker.checkFreeForm(.object([key: value]), path: "")
        } catch {
            guard case .wrongValue(let expected, let got, _) = error.kind else { return }
            let message =
                error.path.isEmpty
                ? "request body must be \(expected) (got \(got))"
                : "body field '\(error.path.dropFirst())' must be \(expected) (got \(got))"
            throw RequestValidationError(message: message)
        }
    }
}

extension Parameter.Location {
    /// How server messages name a parameter at this location.
    var noun: String {
        switch self {
        case .path: "path parameter"
        case .query: "query parameter"
        case .body: "body field"
        case .wholeBody: "request body"
        }
    }
}

/// Why a value does not fit a type. `path` locates the offending part inside the value
/// (`[2]`, `[1].name`), empty for the value itself.
struct ValueMismatch: Error {
    enum Kind {
        /// `suggestion` is a close allowed value, for a misspelt enum value.
        case wrongValue(expected: String, got: String, suggestion: String? = nil)
        case missing(expected: String)
        case unknown(allowed: [String])
    }

    var path: String
    var kind: Kind
}

/// Checks a JSON value against a parameter's type, shared by the client (`prepare`) and the
/// server (`validate`) so that both sides agree on what is valid. Returns the value in wire form:
/// an integral double given for an integer becomes an integer (JSON Schema's view, and Lua's
/// `3.0`), and null fields inside records are dropped.
struct ValueChecker {
    /// Lua cannot tell an empty array from an empty table: on the client an empty object is
    /// accepted where an array is expected and the other way round. The server stays strict.
    var lenientEmptyTables: Bool
    /// 1 for Lua's view of arrays, 0 for JSON's.
    var firstIndex: Int

    func check(
        _ value: JSONValue,
        _ type: ValueType,
        minimum: Int64? = nil,
        maximum: Int64? = nil,
        path: String = ""
    ) throws(ValueMismatch) -> JSONValue {
        func mismatch() -> ValueMismatch {
            var suggestion: String?
            if case .enumeration(let allowed) = type, case .string(let text) = value {
                suggestion = Suggestion.closest(to: text, in: allowed)
            }
            return ValueMismatch(
                path: path,
                kind: .wrongValue(
                    expected: type.expectedPhrase(minimum: minimum, maximum: maximum),
                    got: value.shortDescription,
                    suggestion: suggestion
                )
            )
        }
        switch (type, value) {
        case (.string, .string(let text)):
            try requireText(text, path: path)
            return value
        case (.dateTime, .string(let text)):
            guard DateTime.isValid(text) else { throw mismatch() }
            return value
        case (.email, .string(let text)):
            guard EmailAddress.isValid(text) else { throw mismatch() }
            return value
        case (.url(let schemes), .string(let text)):
            guard URLText.hasScheme(text, among: schemes) else { throw mismatch() }
            return value
        case (.enumeration(let allowed), .string(let text)):
            guard allowed.contains(text) else { throw mismatch() }
            return value
        case (.boolean, .bool): return value
        case (.integer, .integer(let n)):
            guard minimum.map({ n >= $0 }) ?? true, maximum.map({ n <= $0 }) ?? true else { throw mismatch() }
            return value
        case (.integer, .double(let d)):
            guard let n = Int64(exactly: d) else { throw mismatch() }
            return try check(.integer(n), type, minimum: minimum, maximum: maximum, path: path)
        case (.number, .integer): return value
        case (.number, .double(let d)):
            guard d.isFinite else { throw mismatch() }
            return value
        case (.object, .object):
            try checkFreeForm(value, path: path)
            return value
        case (.object, .array(let elements)) where lenientEmptyTables && elements.isEmpty:
            return .object([:])
        case (.array, .object(let members)) where lenientEmptyTables && members.isEmpty:
            return .array([])
        case (.array(let element), .array(let elements)):
            var checked: [JSONValue] = []
            checked.reserveCapacity(elements.count)
            for (n, item) in elements.enumerated() {
                checked.append(try check(item, element, path: path + "[\(n + firstIndex)]"))
            }
            return .array(checked)
        case (.record(let fields), .object(let members)):
            return .object(try checkRecord(members, fields, path: path))
        default:
            throw mismatch()
        }
    }

    /// A free-form value (metadata, params, a task type's own fields) is not typed by the
    /// catalog, but it must still travel and be stored intact: JSON has no NaN or infinity (Lua's
    /// `0/0` is refused rather than sent as `null`), and no string or key may break `TextRule`.
    func checkFreeForm(_ value: JSONValue, path: String) throws(ValueMismatch) {
        switch value {
        case .double(let d) where !d.isFinite:
            throw ValueMismatch(
                path: path,
                kind: .wrongValue(expected: "a finite number", got: value.shortDescription)
            )
        case .string(let text):
            try requireText(text, path: path)
        case .array(let elements):
            for (n, element) in elements.enumerated() {
                try checkFreeForm(element, path: path + "[\(n + firstIndex)]")
            }
        case .object(let members):
            for key in members.keys.sorted() {
                if TextRule.isRefused(key) {
                    throw ValueMismatch(
                        path: path,
                        kind: .wrongValue(expected: TextRule.expectedKeys, got: "key " + Self.showingNUL(key))
                    )
                }
                try checkFreeForm(members[key]!, path: path + "." + key)
            }
        default: break
        }
    }

    /// Any string the API stores or looks up by must keep to `TextRule`.
    func requireText(_ text: String, path: String) throws(ValueMismatch) {
        guard TextRule.isRefused(text) else { return }
        throw ValueMismatch(
            path: path,
            kind: .wrongValue(expected: TextRule.expected, got: Self.showingNUL(text))
        )
    }

    /// The string quoted as JSON, cut to a window around its first NUL so that the message shows
    /// where it is even in a long string.
    static func showingNUL(_ text: String) -> String {
        let scalars = Array(text.unicodeScalars)
        guard let at = scalars.firstIndex(of: "\0") else { return JSONValue.string(text).shortDescription }
        let start = max(0, at - 40)
        let end = min(scalars.count, at + 10)
        var window = String.UnicodeScalarView()
        window.append(contentsOf: scalars[start..<end])
        return (start > 0 ? "…" : "") + JSONValue.string(String(window)).jsonText
            + (end < scalars.count ? "…" : "")
    }

    private func checkRecord(
        _ members: [String: JSONValue],
        _ fields: [RecordField],
        path: String
    ) throws(ValueMismatch) -> [String: JSONValue] {
        var out: [String: JSONValue] = [:]
        for key in members.keys.sorted() {
            guard let field = fields.first(where: { $0.name == key }) else {
                throw ValueMismatch(path: path + "." + key, kind: .unknown(allowed: fields.map(\.name)))
            }
            let member = members[key]!
            if member == .null { continue }
            out[key] = try check(member, field.type, path: path + "." + key)
        }
        for field in fields where field.required && out[field.name] == nil {
            throw ValueMismatch(
                path: path + "." + field.name,
                kind: .missing(expected: field.type.description)
            )
        }
        return out
    }
}

extension ValueType {
    /// The type with its article, for "must be ..." messages: "an array of strings".
    func expectedPhrase(minimum: Int64? = nil, maximum: Int64? = nil) -> String {
        switch self {
        case .integer:
            switch (minimum, maximum) {
            case (let lo?, let hi?): "an integer from \(lo) to \(hi)"
            case (let lo?, nil): "an integer of at least \(lo)"
            case (nil, let hi?): "an integer of at most \(hi)"
            case (nil, nil): "an integer"
            }
        case .enumeration: description
        case .dateTime: "an ISO-8601 date-time string such as \(DateTime.example)"
        case .email: "an email address such as \(EmailAddress.example)"
        case .url: "a " + description
        case .array, .object, .record: "an " + description
        case .string, .number, .boolean: "a " + description
        }
    }
}

extension JSONValue {
    /// The value as an error message shows it: strings quoted and cut short, containers by kind.
    var shortDescription: String {
        switch self {
        case .string(let s):
            let cut = s.count > 60 ? String(s.prefix(60)) + "…" : s
            return JSONValue.string(cut).jsonText
        case .double(let d) where !d.isFinite: return d.isNaN ? "nan" : d > 0 ? "inf" : "-inf"
        case .null, .bool, .integer, .double: return jsonText
        case .array(let a): return a.isEmpty ? "an empty array" : "an array"
        case .object(let o): return o.isEmpty ? "an empty object" : "an object"
        }
    }
}
